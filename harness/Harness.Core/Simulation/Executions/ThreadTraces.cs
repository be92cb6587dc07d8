using Harness.Language;
using Harness.Simulation.Programs;

namespace Harness.Simulation.Executions;

[Flags]
public enum EventKind : byte { Read = 1, Write = 2, Fence = 4 }

/// <summary>
/// One event of a thread's path. Dependency masks range over the thread-local indices of the
/// reads they come from: <see cref="AddressDependencies"/>, <see cref="DataDependencies"/> and
/// <see cref="ControlDependencies"/> are the syntactic ones the ARMv8 model orders by;
/// <see cref="ValueDependencies"/> are the reads whose values this event's address and written
/// value are really computed from (<c>r ^ r</c> is 0 whatever r is), which decide whether an
/// execution's values can be determined at all.
/// </summary>
public sealed record TraceEvent(
    EventKind Kind, EventTag Tags, int Location, long ReadValue, long WrittenValue,
    ulong AddressDependencies, ulong DataDependencies, ulong ControlDependencies,
    int RmwReadIndex)
{
    public bool IsRead => (Kind & EventKind.Read) != 0;
    public bool IsWrite => (Kind & EventKind.Write) != 0;

    public ulong ValueDependencies { get; init; }

    /// <summary>A single-event read-modify-write whose written value is computed from the value it read.</summary>
    public bool WriteUsesOwnRead { get; init; }
}

/// <summary>
/// One way a thread can run, given the values its reads return. <see cref="Cut"/> marks a path
/// abandoned at the loop bound: it contributes no final state but is counted.
/// </summary>
public sealed record ThreadTrace(IReadOnlyList<TraceEvent> Events, long[] FinalRegisters, bool Cut);

public sealed class SimulationException(string message) : Exception(message);

/// <summary>
/// Enumerates the paths of each thread with concrete values, the way herd7's symbolic
/// execution would find them. First the values each location may hold are discovered: every
/// branch is explored whatever its condition (herd keeps both sides of a branch on an unknown
/// value), and reads return any value found so far, until nothing new appears or the values have
/// been carried through as many writes as one execution holds. Then each thread's paths are
/// enumerated exactly, each read returning one of those values and each branch following it.
/// </summary>
public sealed class ThreadTraceEnumerator
{
    private const int MaxTracesPerThread = 200_000;

    private readonly EventProgram _program;
    private readonly int _loopBound;
    private readonly HashSet<long>[] _values;

    /// <summary>Why some path was dropped, for the error when a thread is left with no path at all.</summary>
    private string? InvalidAddress { get; set; }

    public ThreadTraceEnumerator(EventProgram program, int loopBound)
    {
        _program = program;
        _loopBound = loopBound;
        _values = program.InitialValues.Select(v => new HashSet<long> { v }).ToArray();
    }

    /// <summary>The traces of every thread, indexed like <see cref="EventProgram.Threads"/>.</summary>
    public IReadOnlyList<IReadOnlyList<ThreadTrace>> Enumerate()
    {
        for (var round = 0; ; round++)
        {
            var discovered = _program.Threads.Select(t => EnumerateThread(t, followBranches: false)).ToList();
            var grown = false;
            foreach (var trace in discovered.SelectMany(t => t))
                foreach (var e in trace.Events)
                    if (e.IsWrite && _values[e.Location].Add(e.WrittenValue)) grown = true;
            // A value is computed through at most as many writes as one execution performs.
            var writesPerExecution = discovered.Sum(traces => traces.Select(t => t.Events.Count(e => e.IsWrite)).DefaultIfEmpty(0).Max());
            if (!grown || round > writesPerExecution) break;
        }
        var traces = _program.Threads.Select(t => (IReadOnlyList<ThreadTrace>)EnumerateThread(t, followBranches: true)).ToList();
        if (InvalidAddress is not null && traces.Any(t => t.Count == 0)) throw new SimulationException(InvalidAddress);
        return traces;
    }

    private List<ThreadTrace> EnumerateThread(ProgramThread thread, bool followBranches)
    {
        var results = new List<ThreadTrace>();
        var registers = new long[thread.RegisterNames.Count];
        if (thread.Id < _program.InitialRegisters.Count)
            foreach (var (register, value) in _program.InitialRegisters[thread.Id]) registers[register] = value;
        var start = new PathState(0, registers, new ulong[registers.Length], new ulong[registers.Length], 0, [], new int[thread.Code.Count]);
        new PathWalker(this, thread, results, followBranches).Walk(start);
        return results;
    }

    /// <summary>A thread's machine state part-way along one path; forked at every choice.</summary>
    private sealed class PathState(int pc, long[] registers, ulong[] dependencies, ulong[] valueDependencies,
        ulong control, List<TraceEvent> events, int[] backJumps)
    {
        public int Pc = pc;
        public ulong Control = control;
        public long[] Registers { get; } = registers;
        public ulong[] Dependencies { get; } = dependencies;
        public ulong[] ValueDependencies { get; } = valueDependencies;
        public List<TraceEvent> Events { get; } = events;
        public int[] BackJumps { get; } = backJumps;

        public PathState Fork() => new(Pc, (long[])Registers.Clone(), (ulong[])Dependencies.Clone(),
            (ulong[])ValueDependencies.Clone(), Control, [.. Events], (int[])BackJumps.Clone());

        public void SetRegister(int register, long value, ulong dependencies, ulong valueDependencies)
        {
            if (register < 0) return;
            Registers[register] = value;
            Dependencies[register] = dependencies;
            ValueDependencies[register] = valueDependencies;
        }

        public long Evaluate(ValueExpr expr) => ThreadTraceEnumerator.Evaluate(expr, Registers);

        public ulong DependenciesOf(ValueExpr expr) => expr switch
        {
            RegExpr r => Dependencies[r.Register],
            UnaryExpr u => DependenciesOf(u.Operand),
            BinaryExpr b => DependenciesOf(b.Left) | DependenciesOf(b.Right),
            _ => 0,
        };

        /// <summary>Like <see cref="DependenciesOf"/>, but an expression whose value cannot vary (r ^ r, r - r, r * 0, r &amp; 0) depends on nothing.</summary>
        public ulong ValueDependenciesOf(ValueExpr expr) => expr switch
        {
            RegExpr r => ValueDependencies[r.Register],
            UnaryExpr u => ValueDependenciesOf(u.Operand),
            BinaryExpr { Operator: BinaryOperator.BitXor or BinaryOperator.Sub } b when b.Left == b.Right => 0,
            BinaryExpr { Operator: BinaryOperator.Mul or BinaryOperator.BitAnd, Right: ConstExpr { Value: 0 } } => 0,
            BinaryExpr { Operator: BinaryOperator.Mul or BinaryOperator.BitAnd, Left: ConstExpr { Value: 0 } } => 0,
            BinaryExpr b => ValueDependenciesOf(b.Left) | ValueDependenciesOf(b.Right),
            _ => 0,
        };
    }

    private sealed class PathWalker(ThreadTraceEnumerator owner, ProgramThread thread, List<ThreadTrace> results, bool followBranches)
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
                        state.SetRegister(assign.Destination, state.Evaluate(assign.Value),
                            state.DependenciesOf(assign.Value), state.ValueDependenciesOf(assign.Value));
                        state.Pc++;
                        break;

                    case FenceInstruction fence:
                        state.Events.Add(new TraceEvent(EventKind.Fence, fence.Tags, -1, 0, 0, 0, 0, state.Control, -1));
                        state.Pc++;
                        break;

                    case StoreInstruction store:
                        var stored = LocationAt(store.Address, state);
                        if (stored < 0) return;
                        state.Events.Add(new TraceEvent(EventKind.Write, store.Tags, stored, 0,
                            state.Evaluate(store.Value), state.DependenciesOf(store.Address),
                            state.DependenciesOf(store.Value), state.Control, -1)
                        {
                            ValueDependencies = state.ValueDependenciesOf(store.Address) | state.ValueDependenciesOf(store.Value),
                        });
                        state.Pc++;
                        break;

                    case JumpInstruction jump:
                        if (!WalkJump(state, jump)) return;
                        break;

                    case LoadInstruction load:
                        ForEachValue(state, load.Address, (next, location, value) =>
                        {
                            var index = next.Events.Count;
                            next.Events.Add(new TraceEvent(EventKind.Read, load.Tags, location, value, 0,
                                next.DependenciesOf(load.Address), 0, next.Control, -1)
                            {
                                ValueDependencies = next.ValueDependenciesOf(load.Address),
                            });
                            next.SetRegister(load.Destination, value, 1UL << index, 1UL << index);
                        });
                        return;

                    case RmwInstruction rmw:
                        ForEachValue(state, rmw.Address, (next, location, value) =>
                        {
                            var written = Apply(rmw.Operation, value, next.Evaluate(rmw.Operand));
                            var readIndex = AddRmw(next, location, value, written, rmw.Address, rmw.Operand,
                                rmw.ReadTags, rmw.WriteTags, rmw.SingleEvent, usesOldValue: rmw.Operation != RmwOperation.Exchange);
                            next.SetRegister(rmw.Destination, value, 1UL << readIndex, 1UL << readIndex);
                        });
                        return;

                    case CasInstruction cas:
                        WalkCas(state, cas);
                        return;

                    default:
                        throw new InvalidOperationException($"unknown instruction {code[state.Pc]}");
                }
            }
        }

        /// <summary>Follows a jump; false when the path ended (cut at the loop bound, or forked).</summary>
        private bool WalkJump(PathState state, JumpInstruction jump)
        {
            if (jump.Condition is null) return TakeJump(state, jump);
            state.Control |= state.DependenciesOf(jump.Condition);
            if (followBranches)
            {
                if (state.Evaluate(jump.Condition) != 0) return TakeJump(state, jump);
                state.Pc++;
                return true;
            }
            // Discovering values: both sides of every branch.
            var taken = state.Fork();
            if (TakeJump(taken, jump)) Walk(taken);
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

        private void WalkCas(PathState state, CasInstruction cas)
        {
            var location = LocationAt(cas.Address, state);
            if (location < 0) return;
            var expected = state.Evaluate(cas.Expected);
            if (!followBranches || owner._values[location].Contains(expected))
            {
                var success = state.Fork();
                var desired = success.Evaluate(cas.Desired);
                var readIndex = AddRmw(success, location, expected, desired, cas.Address, cas.Desired,
                    cas.SuccessReadTags, cas.SuccessWriteTags, cas.SingleEvent, usesOldValue: false);
                success.SetRegister(cas.StatusRegister, 1, 1UL << readIndex, 1UL << readIndex);
                success.SetRegister(cas.OldValueRegister, expected, 1UL << readIndex, 1UL << readIndex);
                success.Pc++;
                Walk(success);
            }
            foreach (var value in SortedValues(location))
            {
                if (cas.Strong && value == expected) continue;
                var failure = state.Fork();
                var index = failure.Events.Count;
                failure.Events.Add(new TraceEvent(EventKind.Read, cas.FailureTags, location, value, 0,
                    failure.DependenciesOf(cas.Address), 0, failure.Control, -1)
                {
                    ValueDependencies = failure.ValueDependenciesOf(cas.Address),
                });
                failure.SetRegister(cas.StatusRegister, 0, 1UL << index, 1UL << index);
                failure.SetRegister(cas.OldValueRegister, value, 1UL << index, 1UL << index);
                failure.Pc++;
                Walk(failure);
            }
        }

        /// <summary>Adds the events of a read-modify-write; returns the index of the event that read.</summary>
        private static int AddRmw(PathState state, int location, long read, long written, ValueExpr address, ValueExpr operand,
            EventTag readTags, EventTag writeTags, bool singleEvent, bool usesOldValue)
        {
            var addressDeps = state.DependenciesOf(address);
            var dataDeps = state.DependenciesOf(operand);
            var valueDeps = state.ValueDependenciesOf(address) | state.ValueDependenciesOf(operand);
            var readIndex = state.Events.Count;
            if (singleEvent)
            {
                state.Events.Add(new TraceEvent(EventKind.Read | EventKind.Write, readTags | writeTags, location, read, written,
                    addressDeps, dataDeps, state.Control, -1)
                {
                    ValueDependencies = valueDeps,
                    WriteUsesOwnRead = usesOldValue,
                });
                return readIndex;
            }
            state.Events.Add(new TraceEvent(EventKind.Read, readTags, location, read, 0, addressDeps, 0, state.Control, -1)
            {
                ValueDependencies = state.ValueDependenciesOf(address),
            });
            state.Events.Add(new TraceEvent(EventKind.Write, writeTags, location, 0, written, addressDeps, dataDeps, state.Control, readIndex)
            {
                ValueDependencies = valueDeps | (usesOldValue ? 1UL << readIndex : 0),
            });
            return readIndex;
        }

        private void ForEachValue(PathState state, ValueExpr address, Action<PathState, int, long> onValue)
        {
            var location = LocationAt(address, state);
            if (location < 0) return;
            foreach (var value in SortedValues(location))
            {
                var next = state.Fork();
                onValue(next, location, value);
                next.Pc++;
                Walk(next);
            }
        }

        private List<long> SortedValues(int location)
        {
            var values = owner._values[location].ToList();
            values.Sort();
            return values;
        }

        private void Emit(PathState state, bool cut)
        {
            if (results.Count >= MaxTracesPerThread)
                throw new SimulationException($"thread P{thread.Id} has more than {MaxTracesPerThread} paths; lower the loop bound");
            results.Add(new ThreadTrace(state.Events, state.Registers, cut));
        }

        /// <summary>
        /// The location an address evaluates to, or -1. A path whose address is not a location
        /// is dropped: with a value no execution can produce it is not a real path.
        /// </summary>
        private int LocationAt(ValueExpr address, PathState state)
        {
            var value = state.Evaluate(address);
            var location = EventProgram.LocationOf(value);
            if (location >= 0 && location < owner._program.Locations.Count) return location;
            owner.InvalidAddress ??= $"thread P{thread.Id} accesses memory at {value}, which is not a location of the test";
            return -1;
        }
    }

    private const int EventSetCapacity = Relations.EventSet.Capacity;

    internal static long Evaluate(ValueExpr expr, long[] registers) => expr switch
    {
        ConstExpr c => c.Value,
        RegExpr r => registers[r.Register],
        UnaryExpr u => Apply(u.Operator, Evaluate(u.Operand, registers)),
        BinaryExpr b => Apply(b.Operator, Evaluate(b.Left, registers), Evaluate(b.Right, registers)),
        _ => throw new InvalidOperationException($"unknown expression {expr}"),
    };

    public static long Apply(RmwOperation operation, long old, long operand) => operation switch
    {
        RmwOperation.Exchange => operand,
        RmwOperation.Add => old + operand,
        RmwOperation.Sub => old - operand,
        RmwOperation.Or => old | operand,
        RmwOperation.And => old & operand,
        _ => throw new ArgumentOutOfRangeException(nameof(operation)),
    };

    public static long Apply(UnaryOperator op, long value) => op switch
    {
        UnaryOperator.Negate => -value,
        UnaryOperator.LogicalNot => value == 0 ? 1 : 0,
        UnaryOperator.BitNot => ~value,
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    public static long Apply(BinaryOperator op, long left, long right) => op switch
    {
        BinaryOperator.Add => left + right,
        BinaryOperator.Sub => left - right,
        BinaryOperator.Mul => left * right,
        BinaryOperator.Div => right == 0 ? throw new SimulationException("division by zero") : left / right,
        BinaryOperator.Mod => right == 0 ? throw new SimulationException("division by zero") : left % right,
        BinaryOperator.BitAnd => left & right,
        BinaryOperator.BitOr => left | right,
        BinaryOperator.BitXor => left ^ right,
        BinaryOperator.ShiftLeft => left << (int)(right & 63),
        BinaryOperator.ShiftRight => left >> (int)(right & 63),
        BinaryOperator.Equal => left == right ? 1 : 0,
        BinaryOperator.NotEqual => left != right ? 1 : 0,
        BinaryOperator.Less => left < right ? 1 : 0,
        BinaryOperator.LessEqual => left <= right ? 1 : 0,
        BinaryOperator.Greater => left > right ? 1 : 0,
        BinaryOperator.GreaterEqual => left >= right ? 1 : 0,
        BinaryOperator.LogicalAnd => left != 0 && right != 0 ? 1 : 0,
        BinaryOperator.LogicalOr => left != 0 || right != 0 ? 1 : 0,
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };
}
