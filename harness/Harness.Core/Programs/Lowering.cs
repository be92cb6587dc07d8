using Harness.Programs;

namespace Harness.Programs;

/// <summary>
/// Decides which instructions each memory operation of the source becomes: the C++ events
/// themselves (<see cref="LanguageTarget"/>) or what the JIT emits for a mapping scheme on one
/// target (Harness.Mapping.MappedTarget). <c>written</c> is the .NET primitive a C# test wrote
/// (null in a C test, whose order the scheme maps).
/// </summary>
public abstract class LoweringTarget
{
    public abstract ProgramLevel Level { get; }

    public abstract void Load(ThreadBuilder b, int destination, ValueExpr address, MemoryOrder order, DotNetPrimitive? written);
    public abstract void Store(ThreadBuilder b, ValueExpr address, ValueExpr value, MemoryOrder order, DotNetPrimitive? written);
    public abstract void ReadModifyWrite(ThreadBuilder b, int destination, ValueExpr address, RmwOperation operation, ValueExpr operand, MemoryOrder order, DotNetPrimitive? written);

    /// <summary>A compare-exchange: sets <paramref name="status"/> to 1 or 0 and <paramref name="oldValue"/> to the value read.</summary>
    public abstract void CompareExchange(ThreadBuilder b, int status, int oldValue, ValueExpr address, ValueExpr expected, ValueExpr desired,
        MemoryOrder success, MemoryOrder failure, bool strong, DotNetPrimitive? written);

    public abstract void Fence(ThreadBuilder b, MemoryOrder order, DotNetPrimitive? written);
}

/// <summary>The C++ program itself, with herd's C semantics: read-modify-writes are single events.</summary>
public sealed class LanguageTarget : LoweringTarget
{
    public static readonly LanguageTarget Instance = new();

    public override ProgramLevel Level => ProgramLevel.Language;

    public static EventTag TagOf(MemoryOrder order) => order switch
    {
        MemoryOrder.NonAtomic => EventTag.NonAtomic,
        MemoryOrder.Relaxed => EventTag.Relaxed,
        MemoryOrder.Acquire => EventTag.Acquire,
        MemoryOrder.Release => EventTag.Release,
        MemoryOrder.AcqRel => EventTag.AcqRel,
        MemoryOrder.SeqCst => EventTag.SeqCst,
        _ => throw new ArgumentOutOfRangeException(nameof(order)),
    };

    public override void Load(ThreadBuilder b, int destination, ValueExpr address, MemoryOrder order, DotNetPrimitive? written) =>
        b.Emit(new LoadInstruction(destination, address, TagOf(order, written)));

    public override void Store(ThreadBuilder b, ValueExpr address, ValueExpr value, MemoryOrder order, DotNetPrimitive? written) =>
        b.Emit(new StoreInstruction(address, value, TagOf(order, written)));

    public override void ReadModifyWrite(ThreadBuilder b, int destination, ValueExpr address, RmwOperation operation, ValueExpr operand, MemoryOrder order, DotNetPrimitive? written) =>
        b.Emit(new RmwInstruction(destination, address, operation, operand, TagOf(order, written), TagOf(order, written), SingleEvent: true));

    public override void CompareExchange(ThreadBuilder b, int status, int oldValue, ValueExpr address, ValueExpr expected, ValueExpr desired,
        MemoryOrder success, MemoryOrder failure, bool strong, DotNetPrimitive? written) =>
        b.Emit(new CasInstruction(status, oldValue, address, expected, desired,
            TagOf(success, written), TagOf(success, written), TagOf(failure, written), strong, SingleEvent: true));

    public override void Fence(ThreadBuilder b, MemoryOrder order, DotNetPrimitive? written) => b.Emit(new FenceInstruction(TagOf(order, written)));

    /// <summary>C++'s models know nothing of .NET's primitives: a test written with them is judged by the .NET and hardware models only.</summary>
    private static EventTag TagOf(MemoryOrder order, DotNetPrimitive? written) => written is null
        ? TagOf(order)
        : throw new InvalidOperationException($"a test written with .NET primitives ({written}) has no C++ program to judge");
}

/// <summary>
/// Lowers a parsed litmus test to an <see cref="EventProgram"/> for one target: structured
/// control flow becomes jumps, memory accesses inside expressions are hoisted into
/// temporaries in evaluation order, and each memory operation goes through the target.
/// </summary>
public static class Lowering
{
    public static EventProgram Lower(LitmusTest test, LoweringTarget target)
    {
        var locationNames = CollectLocations(test);
        var locationIndex = locationNames.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i);
        var initial = new long[locationNames.Count];
        var initialRegisters = test.Threads.Select(_ => new Dictionary<int, long>()).ToList();
        var threads = new List<ProgramThread>();

        foreach (var thread in test.Threads)
        {
            var builder = new ThreadBuilder(locationIndex);
            foreach (var init in test.Initial)
                if (init.Target.Thread == thread.Id) initialRegisters[thread.Id][builder.Register(init.Target.Name)] = init.Value;
            foreach (var key in test.Condition.Proposition.Keys().Concat(test.ExtraLocations))
                if (key.Thread == thread.Id) builder.Register(key.Name);
            new StatementLowering(builder, target, locationIndex).LowerAll(thread.Body);
            threads.Add(new ProgramThread(thread.Id, builder.Code.ToList(), builder.Registers.ToList()));
        }
        foreach (var init in test.Initial)
            if (init.Target.Thread is null) initial[locationIndex[init.Target.Name]] = init.Value;

        return new EventProgram(test.Name, target.Level, locationNames, initial, threads,
            initialRegisters, ObservedKeys(test));
    }

    /// <summary>What a final state records: the condition's and the locations clause's keys (herd7's rule).</summary>
    public static IReadOnlyList<StateKey> ObservedKeys(LitmusTest test)
    {
        var keys = new SortedSet<StateKey>(test.Condition.Proposition.Keys());
        keys.UnionWith(test.ExtraLocations);
        return keys.ToList();
    }

    private static List<string> CollectLocations(LitmusTest test)
    {
        var names = new List<string>(test.Locations);
        void Add(string name) { if (!names.Contains(name)) names.Add(name); }
        foreach (var init in test.Initial) if (init.Target.Thread is null) Add(init.Target.Name);
        foreach (var thread in test.Threads) foreach (var p in thread.Parameters) Add(p.Name);
        foreach (var key in test.Condition.Proposition.Keys().Concat(test.ExtraLocations)) if (key.Thread is null) Add(key.Name);
        return names;
    }

    private sealed class StatementLowering(ThreadBuilder b, LoweringTarget target, IReadOnlyDictionary<string, int> locations)
    {
        /// <summary>For each enclosing loop, the jumps its <c>break</c>s emitted, patched to its exit.</summary>
        private readonly Stack<List<int>> _breaks = new();

        public void LowerAll(IEnumerable<Statement> statements)
        {
            foreach (var s in statements) Lower(s);
        }

        private void Lower(Statement statement)
        {
            switch (statement)
            {
                case LocalDeclaration d:
                    var declared = b.Register(d.Register);
                    b.Emit(new AssignInstruction(declared, d.Value is null ? new ConstExpr(0) : Value(d.Value)));
                    break;
                case Assignment a:
                    var value = Value(a.Value);
                    b.Emit(new AssignInstruction(b.Register(a.Register), value));
                    break;
                case Store s:
                    target.Store(b, Address(s.Location, s.Offset, s.Index), Value(s.Value), s.Order, s.Primitive);
                    break;
                case Programs.Fence f:
                    target.Fence(b, f.Order, f.Primitive);
                    break;
                case ExpressionStatement e:
                    Value(e.Expression);
                    break;
                case IfStatement i:
                    var skipThen = b.EmitJump(IsZero(Value(i.Condition)));
                    LowerAll(i.Then);
                    if (i.Else.Count == 0)
                    {
                        b.Patch(skipThen, b.Position);
                        break;
                    }
                    var skipElse = b.EmitJump(null);
                    b.Patch(skipThen, b.Position);
                    LowerAll(i.Else);
                    b.Patch(skipElse, b.Position);
                    break;
                case WhileStatement w:
                    var top = b.Position;
                    var exit = b.EmitJump(IsZero(Value(w.Condition)));
                    _breaks.Push([]);
                    LowerAll(w.Body);
                    b.Patch(b.EmitJump(null), top);
                    b.Patch(exit, b.Position);
                    foreach (var jump in _breaks.Pop()) b.Patch(jump, b.Position);
                    break;
                case BreakStatement:
                    if (_breaks.Count == 0) throw new InvalidOperationException("'break' outside a loop");
                    _breaks.Peek().Add(b.EmitJump(null));
                    break;
                default:
                    throw new InvalidOperationException($"cannot lower {statement.GetType().Name}");
            }
        }

        /// <summary>
        /// A location's address, plus diy7's dependency offset (<c>x + (r0 &amp; 128)</c>) or a C# array
        /// element's index when there is one. An array's elements are consecutive locations, so the
        /// index counts in locations: the address depends on the registers the index reads.
        /// </summary>
        private ValueExpr Address(string location, Expression? offset, Expression? index = null)
        {
            ValueExpr address = b.AddressOf(b.Location(location));
            if (offset is not null) address = new BinaryExpr(BinaryOperator.Add, address, Value(offset));
            if (index is not null)
            {
                var element = Value(index);
                if (element is not (ConstExpr or RegExpr))
                {
                    var saved = b.Temporary();
                    b.Emit(new AssignInstruction(saved, element));
                    element = new RegExpr(saved);
                }
                address = new BinaryExpr(BinaryOperator.Add, address,
                    new BinaryExpr(BinaryOperator.Mul, element, new ConstExpr(1L << EventProgram.AddressShift)));
                // An index outside the array would throw in C#: its address becomes 0, no location,
                // so that such an execution ends there rather than reach a neighbouring field.
                var inRange = new BinaryExpr(BinaryOperator.LogicalAnd,
                    new BinaryExpr(BinaryOperator.GreaterEqual, element, new ConstExpr(0)),
                    new BinaryExpr(BinaryOperator.Less, element, new ConstExpr(ArrayLength(location))));
                address = new BinaryExpr(BinaryOperator.Mul, address, inRange);
            }
            return address;
        }

        /// <summary>The elements of the array whose element 0 is <paramref name="first"/>: the consecutive locations <c>a[0]</c>, <c>a[1]</c>, ...</summary>
        private long ArrayLength(string first)
        {
            var name = first[..first.IndexOf('[', StringComparison.Ordinal)];
            var length = 0;
            while (locations.ContainsKey($"{name}[{length}]")) length++;
            return length;
        }

        private static ValueExpr IsZero(ValueExpr value) => new UnaryExpr(UnaryOperator.LogicalNot, value);

        /// <summary>Lowers an expression; its memory accesses are emitted now, in C's evaluation order.</summary>
        private ValueExpr Value(Expression expression)
        {
            switch (expression)
            {
                case Constant c:
                    return new ConstExpr(c.Value);
                case RegisterRead r:
                    return new RegExpr(b.Register(r.Register));
                case Unary u:
                    return new UnaryExpr(u.Operator, Value(u.Operand));
                case Binary { Operator: BinaryOperator.LogicalAnd or BinaryOperator.LogicalOr } logical
                    when logical.Right.AccessesMemory():
                    return ShortCircuit(logical);
                case Binary bin:
                    var left = Value(bin.Left);
                    if (bin.Right.AccessesMemory() && left is not ConstExpr)
                    {
                        // Keep the left operand's value before the right operand's accesses run.
                        var saved = b.Temporary();
                        b.Emit(new AssignInstruction(saved, left));
                        left = new RegExpr(saved);
                    }
                    return new BinaryExpr(bin.Operator, left, Value(bin.Right));
                case Load load:
                    var loaded = b.Temporary();
                    target.Load(b, loaded, Address(load.Location, load.Offset, load.Index), load.Order, load.Primitive);
                    return new RegExpr(loaded);
                case ReadModifyWrite rmw:
                    // C# evaluates the ref argument (an element's index) before the operand.
                    var rmwAddress = Address(rmw.Location, rmw.Offset, rmw.Index);
                    var operand = Value(rmw.Operand);
                    var old = b.Temporary();
                    target.ReadModifyWrite(b, old, rmwAddress, rmw.Operation, operand, rmw.Order, rmw.Primitive);
                    if (!rmw.ReturnsNewValue) return new RegExpr(old);
                    return new BinaryExpr(rmw.Operation == RmwOperation.Sub ? BinaryOperator.Sub : BinaryOperator.Add, new RegExpr(old), operand);
                case CompareExchange cas:
                    return CompareExchange(cas);
                case ValueCompareExchange cas:
                    return ValueCompareExchange(cas);
                default:
                    throw new InvalidOperationException($"cannot lower {expression.GetType().Name}");
            }
        }

        /// <summary>
        /// herd7's compare-exchange: the expected value is read (non-atomically) from its location;
        /// on failure the value found is written back there.
        /// </summary>
        private ValueExpr CompareExchange(CompareExchange cas)
        {
            var expectedLocation = b.AddressOf(b.Location(cas.ExpectedLocation));
            var expected = b.Temporary();
            target.Load(b, expected, expectedLocation, MemoryOrder.NonAtomic, written: null);
            var desired = Value(cas.Desired);
            var (status, old) = (b.Temporary(), b.Temporary());
            target.CompareExchange(b, status, old, b.AddressOf(b.Location(cas.Location)), new RegExpr(expected), desired,
                cas.Success, cas.Failure, cas.Strong, cas.Primitive);
            var skip = b.EmitJump(new RegExpr(status));
            target.Store(b, expectedLocation, new RegExpr(old), MemoryOrder.NonAtomic, written: null);
            b.Patch(skip, b.Position);
            return new RegExpr(status);
        }

        /// <summary>C#'s compare-exchange: the comparand is a value, and the result is the value read.</summary>
        private ValueExpr ValueCompareExchange(ValueCompareExchange cas)
        {
            var address = Address(cas.Location, offset: null, cas.Index);
            var desired = Value(cas.Desired);
            if (cas.Comparand.AccessesMemory() && desired is not ConstExpr)
            {
                // Keep the desired value before the comparand's accesses run (C# evaluates arguments in order).
                var saved = b.Temporary();
                b.Emit(new AssignInstruction(saved, desired));
                desired = new RegExpr(saved);
            }
            var comparand = Value(cas.Comparand);
            var (status, old) = (b.Temporary(), b.Temporary());
            target.CompareExchange(b, status, old, address, comparand, desired,
                cas.Order, cas.Order, strong: true, cas.Primitive);
            return new RegExpr(old);
        }

        private ValueExpr ShortCircuit(Binary logical)
        {
            var result = b.Temporary();
            b.Emit(new AssignInstruction(result, Truth(Value(logical.Left))));
            var decided = logical.Operator == BinaryOperator.LogicalAnd
                ? IsZero(new RegExpr(result))
                : new RegExpr(result);
            var skip = b.EmitJump(decided);
            b.Emit(new AssignInstruction(result, Truth(Value(logical.Right))));
            b.Patch(skip, b.Position);
            return new RegExpr(result);
        }

        private static ValueExpr Truth(ValueExpr value) => new BinaryExpr(BinaryOperator.NotEqual, value, new ConstExpr(0));
    }
}

public static class AstQueries
{
    public static bool AccessesMemory(this Expression expression) => expression switch
    {
        Load or ReadModifyWrite or CompareExchange or ValueCompareExchange => true,
        Unary u => u.Operand.AccessesMemory(),
        Binary b => b.Left.AccessesMemory() || b.Right.AccessesMemory(),
        _ => false,
    };

    public static IEnumerable<StateKey> Keys(this Proposition proposition) => proposition switch
    {
        AtomProposition a => [a.Key],
        AndProposition a => a.Left.Keys().Concat(a.Right.Keys()),
        OrProposition o => o.Left.Keys().Concat(o.Right.Keys()),
        ImpliesProposition i => i.Left.Keys().Concat(i.Right.Keys()),
        NotProposition n => n.Operand.Keys(),
        _ => [],
    };
}
