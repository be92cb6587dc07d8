using Harness.Programs;

namespace Harness.Simulation.Executions;

[Flags]
public enum EventKind : byte { Read = 1, Write = 2, Fence = 4 }

/// <summary>
/// The reads a value depends on, as masks of thread-local read indices. <see cref="Basic"/>
/// follows data flow only (herd's dtrm through registers); <see cref="Pick"/> also follows a
/// CAS's comparison to what it picks (herd's iico_ctrl), so it includes <see cref="Basic"/>.
/// </summary>
public readonly record struct ReadDependencies(ulong Basic, ulong Pick)
{
    public static readonly ReadDependencies None = new(0, 0);

    public static ReadDependencies On(int read) => new(1UL << read, 1UL << read);

    /// <summary>The same reads, reached only through a pick.</summary>
    public ReadDependencies Picked => new(0, Pick);

    public static ReadDependencies operator |(ReadDependencies a, ReadDependencies b) => new(a.Basic | b.Basic, a.Pick | b.Pick);
}

/// <summary>
/// One event of a thread's path, with symbolic values: the value a read returns is the
/// variable <see cref="ReadValueExpr"/> of its thread-local index, and a write's value and an
/// access's address are expressions over such variables, fixed only once the execution's
/// reads-from is chosen. The dependencies are the reads that reach the address, the written
/// value, and the branches before the event: the syntactic dependencies the ARMv8 model orders by.
/// </summary>
public sealed record TraceEvent(
    EventKind Kind, EventTag Tags, ValueExpr Address, ValueExpr WrittenValue,
    ReadDependencies AddressDependencies, ReadDependencies DataDependencies, ReadDependencies ControlDependencies,
    int RmwReadIndex)
{
    public bool IsRead => (Kind & EventKind.Read) != 0;
    public bool IsWrite => (Kind & EventKind.Write) != 0;

    /// <summary>The location, when the address does not depend on values read; else -1.</summary>
    public int StaticLocation { get; init; } = -1;
}

/// <summary>A branch taken on a value read: the path exists only if the condition is non-zero (or zero).</summary>
public readonly record struct PathConstraint(ValueExpr Condition, bool MustBeNonZero);

/// <summary>
/// One way a thread can run: its events, the branches it took on values read, and its final
/// registers as expressions. <see cref="Cut"/> marks a path abandoned at the loop bound: it
/// contributes no final state but is counted.
/// </summary>
public sealed record ThreadTrace(
    IReadOnlyList<TraceEvent> Events, IReadOnlyList<PathConstraint> Constraints, ValueExpr[] FinalRegisters, bool Cut);

/// <summary>
/// Enumerates the control-flow paths of each thread by symbolic execution, as herd7 does:
/// reads return unknowns, a branch on an unknown explores both sides and records which side it
/// took, and a compare-exchange on an unknown forks into success and failure. Values become
/// concrete later, when a candidate execution's reads-from equates each read with a write.
/// </summary>
public sealed class ThreadTraceEnumerator(EventProgram program, int loopBound)
{
    private const int MaxTracesPerThread = 100_000;

    private readonly EventProgram _program = program;
    private readonly int _loopBound = loopBound;

    /// <summary>The traces of every thread, indexed like <see cref="EventProgram.Threads"/>.</summary>
    public IReadOnlyList<IReadOnlyList<ThreadTrace>> Enumerate() =>
        _program.Threads.Select(t => (IReadOnlyList<ThreadTrace>)EnumerateThread(t)).ToList();

    private List<ThreadTrace> EnumerateThread(ProgramThread thread)
    {
        var results = new List<ThreadTrace>();
        var registers = new ValueExpr[thread.RegisterNames.Count];
        Array.Fill(registers, Symbolic.Zero);
        if (thread.Id < _program.InitialRegisters.Count)
            foreach (var (register, value) in _program.InitialRegisters[thread.Id]) registers[register] = new ConstExpr(value);
        var start = new PathState(0, registers, new ReadDependencies[registers.Length], ReadDependencies.None, [], [], new int[thread.Code.Count]);
        new PathWalker(this, thread, results).Walk(start);
        return results;
    }

    /// <summary>A thread's machine state part-way along one path; forked at every choice.</summary>
    private sealed class PathState(int pc, ValueExpr[] registers, ReadDependencies[] dependencies, ReadDependencies control,
        List<TraceEvent> events, List<PathConstraint> constraints, int[] backJumps)
    {
        public int Pc = pc;
        public ReadDependencies Control = control;

        /// <summary>The event index of the load-exclusive a store-exclusive would pair with; -1 when none is pending.</summary>
        public int Reservation = -1;
        public ValueExpr[] Registers { get; } = registers;
        public ReadDependencies[] Dependencies { get; } = dependencies;
        public List<TraceEvent> Events { get; } = events;
        public List<PathConstraint> Constraints { get; } = constraints;
        public int[] BackJumps { get; } = backJumps;

        public PathState Fork() => new(Pc, (ValueExpr[])Registers.Clone(), (ReadDependencies[])Dependencies.Clone(), Control,
            [.. Events], [.. Constraints], (int[])BackJumps.Clone()) { Reservation = Reservation };

        public void SetRegister(int register, ValueExpr value, ReadDependencies dependencies)
        {
            if (register < 0) return;
            Registers[register] = value;
            Dependencies[register] = dependencies;
        }

        /// <summary>The expression's value in terms of constants and read unknowns.</summary>
        public ValueExpr Value(ValueExpr expr) => expr switch
        {
            ConstExpr or ReadValueExpr => expr,
            RegExpr r => Registers[r.Register],
            UnaryExpr u => Symbolic.Unary(u.Operator, Value(u.Operand)),
            BinaryExpr b => Symbolic.Binary(b.Operator, Value(b.Left), Value(b.Right)),
            _ => throw new InvalidOperationException($"unknown expression {expr}"),
        };

        public ReadDependencies DependenciesOf(ValueExpr expr) => expr switch
        {
            RegExpr r => Dependencies[r.Register],
            UnaryExpr u => DependenciesOf(u.Operand),
            BinaryExpr b => DependenciesOf(b.Left) | DependenciesOf(b.Right),
            _ => ReadDependencies.None,
        };

        public int NextIndex => Events.Count;
    }

    private sealed class PathWalker(ThreadTraceEnumerator owner, ProgramThread thread, List<ThreadTrace> results)
    {
        public void Walk(PathState state)
        {
            var code = thread.Code;
            while (true)
            {
                if (state.Pc >= code.Count)
                {
                    Emit(state, cut: false);
                    return;
                }
                if (state.Events.Count > EventSetCapacity)
                    throw new SimulationException($"thread P{thread.Id} performs more than {EventSetCapacity} memory accesses on one path");

                switch (code[state.Pc])
                {
                    case AssignInstruction assign:
                        state.SetRegister(assign.Destination, state.Value(assign.Value), state.DependenciesOf(assign.Value));
                        break;

                    case FenceInstruction fence:
                        state.Events.Add(new TraceEvent(EventKind.Fence, fence.Tags, Symbolic.Zero, Symbolic.Zero,
                            ReadDependencies.None, ReadDependencies.None, state.Control, -1));
                        break;

                    case StoreInstruction store:
                        state.Events.Add(Access(state, EventKind.Write, store.Tags, store.Address,
                            state.Value(store.Value), state.DependenciesOf(store.Value), -1));
                        break;

                    case LoadInstruction load:
                    {
                        var index = state.NextIndex;
                        state.Events.Add(Access(state, EventKind.Read, load.Tags, load.Address, Symbolic.Zero, ReadDependencies.None, -1));
                        state.SetRegister(load.Destination, new ReadValueExpr(index), ReadDependencies.On(index));
                        if (load.Tags.HasFlag(EventTag.Exclusive)) state.Reservation = index;
                        break;
                    }

                    case StoreExclusiveInstruction store:
                        WalkStoreExclusive(state, store);
                        break;

                    case RmwInstruction rmw:
                    {
                        var index = AddRmw(state, rmw.Address, rmw.Operation, state.Value(rmw.Operand),
                            state.DependenciesOf(rmw.Operand), rmw.ReadTags, rmw.WriteTags, rmw.SingleEvent);
                        state.SetRegister(rmw.Destination, new ReadValueExpr(index), ReadDependencies.On(index));
                        break;
                    }

                    case CasInstruction cas:
                        WalkCas(state, cas);
                        return;

                    case JumpInstruction jump:
                        if (!WalkJump(state, jump)) return;
                        continue;

                    default:
                        throw new InvalidOperationException($"unknown instruction {code[state.Pc]}");
                }
                state.Pc++;
            }
        }

        /// <summary>Follows a jump; false when this path ended here (cut, or continued in forks).</summary>
        private bool WalkJump(PathState state, JumpInstruction jump)
        {
            if (jump.Condition is null) return TakeJump(state, jump);
            state.Control |= state.DependenciesOf(jump.Condition);
            var condition = state.Value(jump.Condition);
            if (condition is ConstExpr c)
            {
                if (c.Value != 0) return TakeJump(state, jump);
                state.Pc++;
                return true;
            }
            // A branch on a value read: both sides, each remembering which side it took.
            var taken = state.Fork();
            taken.Constraints.Add(new PathConstraint(condition, MustBeNonZero: true));
            if (TakeJump(taken, jump)) Walk(taken);
            state.Constraints.Add(new PathConstraint(condition, MustBeNonZero: false));
            state.Pc++;
            return true;
        }

        private bool TakeJump(PathState state, JumpInstruction jump)
        {
            if (jump.Target <= state.Pc && ++state.BackJumps[state.Pc] > owner._loopBound)
            {
                Emit(state, cut: true);
                return false;
            }
            state.Pc = jump.Target;
            return true;
        }

        /// <summary>
        /// A store-exclusive succeeds on a path of its own (when a load-exclusive of the same address
        /// is pending) and fails on this one; either way the reservation is spent.
        /// </summary>
        private void WalkStoreExclusive(PathState state, StoreExclusiveInstruction store)
        {
            var reservation = state.Reservation;
            state.Reservation = -1;
            if (reservation >= 0)
            {
                var success = state.Fork();
                var sameAddress = Symbolic.Binary(BinaryOperator.Equal, success.Value(store.Address), success.Events[reservation].Address);
                if (sameAddress is not ConstExpr { Value: 0 })
                {
                    if (sameAddress is not ConstExpr) success.Constraints.Add(new PathConstraint(sameAddress, MustBeNonZero: true));
                    success.Events.Add(Access(success, EventKind.Write, store.Tags, store.Address,
                        success.Value(store.Value), success.DependenciesOf(store.Value), reservation));
                    success.SetRegister(store.StatusRegister, Symbolic.Zero, ReadDependencies.None);
                    success.Pc++;
                    Walk(success);
                }
            }
            state.SetRegister(store.StatusRegister, Symbolic.One, ReadDependencies.None);
        }

        /// <summary>Success and failure are paths of their own; each constrains the value read.</summary>
        private void WalkCas(PathState state, CasInstruction cas)
        {
            if (cas.Dependencies == CasDependencies.Pick)
            {
                // herd makes two candidates of a success: the old value Rs receives is the read's,
                // or the expected value that the comparison picked (equal on success); an outcome
                // either allows is allowed. When the expected value depends on no read, the first
                // orders more than the second and so adds no outcome.
                if (state.DependenciesOf(cas.Expected).Pick != 0 && cas.OldValueRegister >= 0)
                    WalkCasSuccess(state.Fork(), cas, oldValueIsPicked: false);
                WalkCasSuccess(state.Fork(), cas, oldValueIsPicked: true);
            }
            else WalkCasSuccess(state.Fork(), cas, oldValueIsPicked: false);

            var failure = state;
            var expected = failure.Value(cas.Expected);
            var failedIndex = failure.NextIndex;
            failure.Events.Add(Access(failure, EventKind.Read, cas.FailureTags, cas.Address, Symbolic.Zero, ReadDependencies.None, -1));
            var failedRead = new ReadValueExpr(failedIndex);
            // A weak compare-exchange may fail whatever it reads.
            if (cas.Strong)
                failure.Constraints.Add(new PathConstraint(Symbolic.Binary(BinaryOperator.NotEqual, failedRead, expected), MustBeNonZero: true));
            // herd also tries a failed CAS whose old value is picked after the expected value's
            // reads: that orders more, so it adds no outcome.
            failure.SetRegister(cas.StatusRegister, Symbolic.Zero, ReadDependencies.On(failedIndex));
            failure.SetRegister(cas.OldValueRegister, failedRead, ReadDependencies.On(failedIndex));
            failure.Pc++;
            Walk(failure);
        }

        /// <summary>The success path, the old value depending on the read or, picked, on the comparison.</summary>
        private void WalkCasSuccess(PathState success, CasInstruction cas, bool oldValueIsPicked)
        {
            var expected = success.Value(cas.Expected);
            var expectedDependencies = success.DependenciesOf(cas.Expected);
            var index = success.NextIndex;
            var picks = cas.Dependencies == CasDependencies.Pick;
            var comparison = (ReadDependencies.On(index) | expectedDependencies).Picked;
            var written = success.DependenciesOf(cas.Desired) | (picks ? comparison : ReadDependencies.None);
            AddRmw(success, cas.Address, RmwOperation.Exchange, success.Value(cas.Desired), written,
                cas.SuccessReadTags, cas.SuccessWriteTags, cas.SingleEvent);
            var read = new ReadValueExpr(index);
            success.Constraints.Add(new PathConstraint(Symbolic.Binary(BinaryOperator.Equal, read, expected), MustBeNonZero: true));
            success.SetRegister(cas.StatusRegister, Symbolic.One, picks ? comparison : ReadDependencies.On(index));
            success.SetRegister(cas.OldValueRegister, read,
                oldValueIsPicked ? expectedDependencies | comparison : ReadDependencies.On(index));
            success.Pc++;
            Walk(success);
        }

        /// <summary>Adds the events of a read-modify-write; returns the index of the event that reads.</summary>
        private int AddRmw(PathState state, ValueExpr address, RmwOperation operation, ValueExpr operand, ReadDependencies operandDependencies,
            EventTag readTags, EventTag writeTags, bool singleEvent)
        {
            var index = state.NextIndex;
            var written = Symbolic.Apply(operation, new ReadValueExpr(index), operand);
            if (singleEvent)
            {
                state.Events.Add(Access(state, EventKind.Read | EventKind.Write, readTags | writeTags, address, written, operandDependencies, -1));
                return index;
            }
            state.Events.Add(Access(state, EventKind.Read, readTags, address, Symbolic.Zero, ReadDependencies.None, -1));
            state.Events.Add(Access(state, EventKind.Write, writeTags, address, written, operandDependencies, index));
            return index;
        }

        private TraceEvent Access(PathState state, EventKind kind, EventTag tags, ValueExpr addressExpr, ValueExpr written,
            ReadDependencies dataDependencies, int rmwReadIndex)
        {
            var address = state.Value(addressExpr);
            var location = address is ConstExpr c ? EventProgram.LocationOf(c.Value) : -1;
            if (address is ConstExpr && (location < 0 || location >= owner._program.Locations.Count))
                throw new SimulationException($"thread P{thread.Id} accesses memory at {((ConstExpr)address).Value}, which is not a location of the test");
            return new TraceEvent(kind, tags, address, written, state.DependenciesOf(addressExpr), dataDependencies,
                state.Control, rmwReadIndex) { StaticLocation = location };
        }

        private void Emit(PathState state, bool cut)
        {
            if (results.Count >= MaxTracesPerThread)
                throw new SimulationException($"thread P{thread.Id} has more than {MaxTracesPerThread} paths; lower the loop bound");
            results.Add(new ThreadTrace(state.Events, state.Constraints, state.Registers, cut));
        }
    }

    private const int EventSetCapacity = Relations.EventSet.Capacity;
}
