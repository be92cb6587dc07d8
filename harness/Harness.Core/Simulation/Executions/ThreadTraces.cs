using Harness.Language;
using Harness.Simulation.Programs;

namespace Harness.Simulation.Executions;

[Flags]
public enum EventKind : byte { Read = 1, Write = 2, Fence = 4 }

/// <summary>
/// One event of a thread's path. Dependencies are masks over the thread-local indices of the
/// reads they come from.
/// </summary>
public sealed record TraceEvent(
    EventKind Kind, EventTag Tags, int Location, long ReadValue, long WrittenValue,
    ulong AddressDependencies, ulong DataDependencies, ulong ControlDependencies,
    int RmwReadIndex)
{
    public bool IsRead => (Kind & EventKind.Read) != 0;
    public bool IsWrite => (Kind & EventKind.Write) != 0;
}

/// <summary>
/// One way a thread can run, given the values its reads return. <see cref="Cut"/> marks a path
/// abandoned at the loop bound: it contributes no final state but is counted.
/// </summary>
public sealed record ThreadTrace(IReadOnlyList<TraceEvent> Events, long[] FinalRegisters, bool Cut);

public sealed class SimulationException(string message) : Exception(message);

/// <summary>
/// Enumerates the paths of each thread. Reads may return any value some write of the program
/// could store to that location; those value sets are grown to a fixpoint first, so every
/// path that a consistent execution could take is among the results.
/// </summary>
public sealed class ThreadTraceEnumerator
{
    private const int MaxValueRounds = 32;
    private const int MaxTracesPerThread = 200_000;

    private readonly EventProgram _program;
    private readonly int _loopBound;
    private HashSet<long>[] _values;

    public ThreadTraceEnumerator(EventProgram program, int loopBound)
    {
        _program = program;
        _loopBound = loopBound;
        _values = program.InitialValues.Select(v => new HashSet<long> { v }).ToArray();
    }

    /// <summary>The traces of every thread, indexed like <see cref="EventProgram.Threads"/>.</summary>
    public IReadOnlyList<IReadOnlyList<ThreadTrace>> Enumerate()
    {
        for (var round = 0; round < MaxValueRounds; round++)
        {
            var traces = _program.Threads.Select(EnumerateThread).ToList();
            var grown = false;
            foreach (var trace in traces.SelectMany(t => t))
                foreach (var e in trace.Events)
                    if (e.IsWrite && _values[e.Location].Add(e.WrittenValue)) grown = true;
            if (!grown) return traces;
        }
        throw new SimulationException(
            $"the values written to memory do not settle after {MaxValueRounds} rounds; the test computes unboundedly many values");
    }

    private List<ThreadTrace> EnumerateThread(ProgramThread thread)
    {
        var results = new List<ThreadTrace>();
        var registers = new long[thread.RegisterNames.Count];
        var dependencies = new ulong[thread.RegisterNames.Count];
        if (thread.Id < _program.InitialRegisters.Count)
            foreach (var (register, value) in _program.InitialRegisters[thread.Id]) registers[register] = value;
        var walker = new PathWalker(this, thread, results);
        walker.Walk(new PathState(0, registers, dependencies, 0, [], new int[thread.Code.Count]));
        return results;
    }

    /// <summary>A thread's machine state part-way along one path; forked at every choice.</summary>
    private sealed class PathState(int pc, long[] registers, ulong[] dependencies, ulong control, List<TraceEvent> events, int[] backJumps)
    {
        public int Pc = pc;
        public ulong Control = control;
        public long[] Registers { get; } = registers;
        public ulong[] Dependencies { get; } = dependencies;
        public List<TraceEvent> Events { get; } = events;
        public int[] BackJumps { get; } = backJumps;

        public PathState Fork() => new(Pc, (long[])Registers.Clone(), (ulong[])Dependencies.Clone(), Control, [.. Events], (int[])BackJumps.Clone());
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
                        state.Registers[assign.Destination] = Evaluate(assign.Value, state);
                        state.Dependencies[assign.Destination] = DependenciesOf(assign.Value, state);
                        state.Pc++;
                        break;

                    case FenceInstruction fence:
                        state.Events.Add(new TraceEvent(EventKind.Fence, fence.Tags, -1, 0, 0, 0, 0, state.Control, -1));
                        state.Pc++;
                        break;

                    case StoreInstruction store:
                        state.Events.Add(new TraceEvent(EventKind.Write, store.Tags, LocationAt(store.Address, state), 0,
                            Evaluate(store.Value, state), DependenciesOf(store.Address, state),
                            DependenciesOf(store.Value, state), state.Control, -1));
                        state.Pc++;
                        break;

                    case JumpInstruction jump:
                        if (jump.Condition is not null)
                        {
                            state.Control |= DependenciesOf(jump.Condition, state);
                            if (Evaluate(jump.Condition, state) == 0)
                            {
                                state.Pc++;
                                break;
                            }
                        }
                        if (jump.Target <= state.Pc && ++state.BackJumps[state.Pc] > owner._loopBound)
                        {
                            Emit(state, cut: true);
                            return;
                        }
                        state.Pc = jump.Target;
                        break;

                    case LoadInstruction load:
                        ForEachValue(state, load.Address, (next, location, value) =>
                        {
                            var index = next.Events.Count;
                            next.Events.Add(new TraceEvent(EventKind.Read, load.Tags, location, value, 0,
                                DependenciesOf(load.Address, next), 0, next.Control, -1));
                            if (load.Destination >= 0)
                            {
                                next.Registers[load.Destination] = value;
                                next.Dependencies[load.Destination] = 1UL << index;
                            }
                        });
                        return;

                    case RmwInstruction rmw:
                        ForEachValue(state, rmw.Address, (next, location, value) =>
                        {
                            var written = Apply(rmw.Operation, value, Evaluate(rmw.Operand, next));
                            AddRmw(next, location, value, written, rmw.Address, rmw.Operand, rmw.ReadTags, rmw.WriteTags, rmw.SingleEvent);
                            SetResult(next, rmw.Destination, value);
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

        private void WalkCas(PathState state, CasInstruction cas)
        {
            var location = LocationAt(cas.Address, state);
            var expected = Evaluate(cas.Expected, state);
            if (owner._values[location].Contains(expected))
            {
                var success = state.Fork();
                var desired = Evaluate(cas.Desired, success);
                AddRmw(success, location, expected, desired, cas.Address, cas.Desired,
                    cas.SuccessReadTags, cas.SuccessWriteTags, cas.SingleEvent);
                SetResult(success, cas.StatusRegister, 1);
                SetResult(success, cas.OldValueRegister, expected);
                success.Pc++;
                Walk(success);
            }
            foreach (var value in SortedValues(location))
            {
                if (cas.Strong && value == expected) continue;
                var failure = state.Fork();
                var index = failure.Events.Count;
                failure.Events.Add(new TraceEvent(EventKind.Read, cas.FailureTags, location, value, 0,
                    DependenciesOf(cas.Address, failure), 0, failure.Control, -1));
                SetResult(failure, cas.StatusRegister, 0, 1UL << index);
                SetResult(failure, cas.OldValueRegister, value, 1UL << index);
                failure.Pc++;
                Walk(failure);
            }
        }

        private static void SetResult(PathState state, int register, long value, ulong dependencies = ulong.MaxValue)
        {
            if (register < 0) return;
            state.Registers[register] = value;
            // By default a result depends on the access that produced it: the last read added.
            state.Dependencies[register] = dependencies != ulong.MaxValue ? dependencies : 1UL << LastReadIndex(state);
        }

        private static int LastReadIndex(PathState state)
        {
            for (var i = state.Events.Count - 1; i >= 0; i--)
                if (state.Events[i].IsRead) return i;
            return 0;
        }

        private void AddRmw(PathState state, int location, long read, long written, ValueExpr address, ValueExpr operand,
            EventTag readTags, EventTag writeTags, bool singleEvent)
        {
            var addressDeps = DependenciesOf(address, state);
            var dataDeps = DependenciesOf(operand, state);
            if (singleEvent)
            {
                state.Events.Add(new TraceEvent(EventKind.Read | EventKind.Write, readTags | writeTags, location, read, written,
                    addressDeps, dataDeps, state.Control, -1));
                return;
            }
            var readIndex = state.Events.Count;
            state.Events.Add(new TraceEvent(EventKind.Read, readTags, location, read, 0, addressDeps, 0, state.Control, -1));
            state.Events.Add(new TraceEvent(EventKind.Write, writeTags, location, 0, written, addressDeps, dataDeps, state.Control, readIndex));
        }

        private void ForEachValue(PathState state, ValueExpr address, Action<PathState, int, long> onValue)
        {
            var location = LocationAt(address, state);
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

        private int LocationAt(ValueExpr address, PathState state)
        {
            var value = Evaluate(address, state);
            var location = EventProgram.LocationOf(value);
            if (location < 0 || location >= owner._program.Locations.Count)
                throw new SimulationException($"thread P{thread.Id} accesses memory at {value}, which is not a location of the test");
            return location;
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

    private static long Evaluate(ValueExpr expr, PathState state) => Evaluate(expr, state.Registers);

    private static ulong DependenciesOf(ValueExpr expr, PathState state) => expr switch
    {
        ConstExpr => 0,
        RegExpr r => state.Dependencies[r.Register],
        UnaryExpr u => DependenciesOf(u.Operand, state),
        BinaryExpr b => DependenciesOf(b.Left, state) | DependenciesOf(b.Right, state),
        _ => 0,
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
