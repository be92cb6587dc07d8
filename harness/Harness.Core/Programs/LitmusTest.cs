using Harness.Programs;

namespace Harness.Programs;

/// <summary>
/// A litmus test as written in the herdtools7 "C" dialect: the shared test model that the
/// simulator, the kernel generator and the reports all read. It is a faithful image of the
/// source: nothing here is mapped or lowered yet.
/// </summary>
public sealed record LitmusTest(
    string Architecture,
    string Name,
    string? Comment,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    IReadOnlyList<InitialValue> Initial,
    IReadOnlyList<ThreadCode> Threads,
    FinalCondition Condition,
    IReadOnlyList<StateKey> ExtraLocations,
    string SourceFile)
{
    /// <summary>
    /// The most threads a test may have: the runner gives each instance one cache line of
    /// start flags, one int per thread, and the smallest line it pads by holds 16.
    /// </summary>
    public const int MaxThreads = 16;

    /// <summary>Every shared location the test names, in first-mention order.</summary>
    public IReadOnlyList<string> Locations { get; init; } = [];

    /// <summary>
    /// For a hardware litmus test (X86, AArch64), its instructions as the simulator's program;
    /// null for a C test, whose programs are derived by lowering <see cref="Threads"/>.
    /// </summary>
    public EventProgram? HardwareProgram { get; init; }

    public bool IsHardwareTest => HardwareProgram is not null;

    /// <summary>The first word of a litmus test written in C#.</summary>
    public const string CSharpArchitecture = "CSharp";

    /// <summary>
    /// A test written with .NET primitives (a C# test): every access names its primitive, so no
    /// mapping scheme applies, and C++'s models, which know nothing of the primitives, cannot judge it.
    /// </summary>
    public bool IsDotNetTest => Architecture == CSharpArchitecture;
}

/// <summary>Where a construct starts in its source file (1-based line and column).</summary>
public readonly record struct SourceSpan(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}

/// <summary>
/// Names a final-state component the way herd7 prints it: <c>1:r0</c> for register r0 of
/// thread 1, <c>x</c> for the final value of location x.
/// </summary>
public readonly record struct StateKey(int? Thread, string Name) : IComparable<StateKey>
{
    public bool IsRegister => Thread is not null;

    public static StateKey Register(int thread, string name) => new(thread, name);
    public static StateKey Location(string name) => new(null, name);

    public override string ToString() => Thread is int t ? $"{t}:{Name}" : Name;

    /// <summary>herd7 orders registers (by thread, then name) before locations.</summary>
    public int CompareTo(StateKey other)
    {
        if (IsRegister != other.IsRegister) return IsRegister ? -1 : 1;
        if (Thread != other.Thread) return (Thread ?? 0).CompareTo(other.Thread ?? 0);
        return string.CompareOrdinal(Name, other.Name);
    }
}

/// <summary>An entry of the initial-state block: <c>[x]=1</c>, <c>x=1</c>, <c>int x = 1</c> or <c>0:r0=1</c>.</summary>
public sealed record InitialValue(StateKey Target, long Value, string? Type, SourceSpan Span);

public sealed record ThreadCode(int Id, IReadOnlyList<Parameter> Parameters, IReadOnlyList<Statement> Body, SourceSpan Span)
{
    /// <summary>Whether the thread has a while loop, at any depth.</summary>
    public bool HasLoop => ContainsLoop(Body);

    private static bool ContainsLoop(IEnumerable<Statement> statements) => statements.Any(s => s switch
    {
        WhileStatement => true,
        IfStatement i => ContainsLoop(i.Then) || ContainsLoop(i.Else),
        _ => false,
    });
}

/// <summary>A thread parameter such as <c>atomic_int* x</c>; its name is the shared location it points to.</summary>
public sealed record Parameter(string Type, string Name, SourceSpan Span)
{
    public bool IsAtomic => Type.Contains("atomic", StringComparison.Ordinal);
}

/// <summary>
/// C++ memory orders. <see cref="NonAtomic"/> marks plain accesses (<c>*x = 1</c>);
/// <c>memory_order_consume</c> is read as <see cref="Acquire"/>, as compilers do.
/// </summary>
public enum MemoryOrder { NonAtomic, Relaxed, Acquire, Release, AcqRel, SeqCst }

public static class MemoryOrderNames
{
    public static string ToCName(this MemoryOrder order) => order switch
    {
        MemoryOrder.NonAtomic => "non-atomic",
        MemoryOrder.Relaxed => "memory_order_relaxed",
        MemoryOrder.Acquire => "memory_order_acquire",
        MemoryOrder.Release => "memory_order_release",
        MemoryOrder.AcqRel => "memory_order_acq_rel",
        MemoryOrder.SeqCst => "memory_order_seq_cst",
        _ => throw new ArgumentOutOfRangeException(nameof(order)),
    };
}

// ---------------------------------------------------------------- statements

public abstract record Statement(SourceSpan Span);

/// <summary><c>int r0 = e;</c> or <c>int r0;</c> (a declared register starts at 0).</summary>
public sealed record LocalDeclaration(string Type, string Register, Expression? Value, SourceSpan Span) : Statement(Span);

/// <summary><c>r0 = e;</c></summary>
public sealed record Assignment(string Register, Expression Value, SourceSpan Span) : Statement(Span);

/// <summary><c>atomic_store_explicit(x, e, mo)</c>, <c>atomic_store(x, e)</c> or plain <c>*x = e</c>.</summary>
public sealed record Store(string Location, Expression Value, MemoryOrder Order, SourceSpan Span) : Statement(Span)
{
    /// <summary>The .NET primitive the source wrote (a C# test); null when a mapping scheme chooses one for the order (a C test).</summary>
    public DotNetPrimitive? Primitive { get; init; }

    /// <summary>diy7's address dependency, <c>x + (r0 &amp; 128)</c>: an offset added to the location's address.</summary>
    public Expression? Offset { get; init; }

    /// <summary>A C# test's array element <c>a[e]</c>: the element index, added to the element <see cref="Location"/> names (element 0).</summary>
    public Expression? Index { get; init; }
}

/// <summary><c>atomic_thread_fence(mo)</c>.</summary>
public sealed record Fence(MemoryOrder Order, SourceSpan Span) : Statement(Span)
{
    /// <summary>The .NET primitive the source wrote (a C# test); null when a mapping scheme chooses one for the order (a C test).</summary>
    public DotNetPrimitive? Primitive { get; init; }

    /// <summary>
    /// The method a C# test called, as written (<c>Thread.MemoryBarrier</c>): two methods are one
    /// primitive, and a kernel calls the one the test wrote.
    /// </summary>
    public string? Method { get; init; }
}

/// <summary>An expression evaluated for its effect, e.g. <c>atomic_fetch_add_explicit(x, 1, mo);</c>.</summary>
public sealed record ExpressionStatement(Expression Expression, SourceSpan Span) : Statement(Span);

public sealed record IfStatement(Expression Condition, IReadOnlyList<Statement> Then, IReadOnlyList<Statement> Else, SourceSpan Span) : Statement(Span);

/// <summary>A <c>while</c> loop (also <c>for (;;)</c>, as a loop on 1); the simulator unrolls it to a bound, the kernel bounds its spins.</summary>
public sealed record WhileStatement(Expression Condition, IReadOnlyList<Statement> Body, SourceSpan Span) : Statement(Span);

/// <summary><c>break;</c> out of the innermost loop (diy7's loop observers use it).</summary>
public sealed record BreakStatement(SourceSpan Span) : Statement(Span);

// ---------------------------------------------------------------- expressions

public abstract record Expression(SourceSpan Span);

public sealed record Constant(long Value, SourceSpan Span) : Expression(Span);

public sealed record RegisterRead(string Register, SourceSpan Span) : Expression(Span);

/// <summary><c>atomic_load_explicit(x, mo)</c>, <c>atomic_load(x)</c> or plain <c>*x</c>.</summary>
public sealed record Load(string Location, MemoryOrder Order, SourceSpan Span) : Expression(Span)
{
    /// <summary>The .NET primitive the source wrote (a C# test); null when a mapping scheme chooses one for the order (a C test).</summary>
    public DotNetPrimitive? Primitive { get; init; }

    /// <summary>diy7's address dependency, <c>x + (r0 &amp; 128)</c>: an offset added to the location's address.</summary>
    public Expression? Offset { get; init; }

    /// <summary>A C# test's array element <c>a[e]</c>: the element index, added to the element <see cref="Location"/> names (element 0).</summary>
    public Expression? Index { get; init; }
}

public enum RmwOperation { Exchange, Add, Sub, Or, And }

/// <summary><c>atomic_exchange_explicit</c> and <c>atomic_fetch_{add,sub,or,and}_explicit</c>: returns the old value.</summary>
public sealed record ReadModifyWrite(RmwOperation Operation, string Location, Expression Operand, MemoryOrder Order, SourceSpan Span) : Expression(Span)
{
    /// <summary>The .NET primitive the source wrote (a C# test); null when a mapping scheme chooses one for the order (a C test).</summary>
    public DotNetPrimitive? Primitive { get; init; }

    /// <summary>diy7's address dependency, <c>x + (r0 &amp; 128)</c>: an offset added to the location's address.</summary>
    public Expression? Offset { get; init; }

    /// <summary>A C# test's array element <c>a[e]</c>: the element index, added to the element <see cref="Location"/> names (element 0).</summary>
    public Expression? Index { get; init; }

    /// <summary>
    /// The Interlocked method a C# test called; null in a C test. Its result is not always the old
    /// value: <c>Add</c>, <c>Increment</c> and <c>Decrement</c> return the new one.
    /// </summary>
    public InterlockedMethod? Method { get; init; }

    /// <summary>Whether the expression's value is the value written rather than the value read.</summary>
    public bool ReturnsNewValue => Method is InterlockedMethod.Add or InterlockedMethod.Increment or InterlockedMethod.Decrement;
}

/// <summary>
/// C#'s <c>Interlocked.CompareExchange(ref x, value, comparand)</c>: writes <see cref="Desired"/> when
/// the location holds <see cref="Comparand"/>, and returns the value read either way (where C's
/// compare-exchange returns success and keeps the expected value in a location).
/// </summary>
public sealed record ValueCompareExchange(string Location, Expression Desired, Expression Comparand, SourceSpan Span) : Expression(Span)
{
    public DotNetPrimitive Primitive => DotNetPrimitive.InterlockedCompareExchange;

    /// <summary>The nearest C++ order, for display only: every Interlocked method is a full barrier.</summary>
    public MemoryOrder Order => MemoryOrder.SeqCst;

    /// <summary>A C# test's array element <c>a[e]</c>: the element index, added to the element <see cref="Location"/> names (element 0).</summary>
    public Expression? Index { get; init; }
}

/// <summary>
/// <c>atomic_compare_exchange_{strong,weak}_explicit(x, e, desired, succ, fail)</c>. As in herd7 the
/// expected value lives in location <see cref="ExpectedLocation"/>; the result is 1 on success and 0
/// on failure, when the value read is also written into the expected location.
/// </summary>
public sealed record CompareExchange(
    string Location, string ExpectedLocation, Expression Desired,
    MemoryOrder Success, MemoryOrder Failure, bool Strong, SourceSpan Span) : Expression(Span)
{
    /// <summary>The .NET primitive the source wrote (a C# test); null when a mapping scheme chooses one for the order (a C test).</summary>
    public DotNetPrimitive? Primitive { get; init; }
}

public enum BinaryOperator
{
    Add, Sub, Mul, Div, Mod, BitAnd, BitOr, BitXor, ShiftLeft, ShiftRight,
    Equal, NotEqual, Less, LessEqual, Greater, GreaterEqual, LogicalAnd, LogicalOr,
}

public sealed record Binary(BinaryOperator Operator, Expression Left, Expression Right, SourceSpan Span) : Expression(Span);

public enum UnaryOperator { Negate, LogicalNot, BitNot }

public sealed record Unary(UnaryOperator Operator, Expression Operand, SourceSpan Span) : Expression(Span);

// ---------------------------------------------------------------- final condition

public enum Quantifier { Exists, NotExists, ForAll }

/// <summary>The question a test asks about its final states, with its source text kept for reports.</summary>
public sealed record FinalCondition(Quantifier Quantifier, Proposition Proposition, string Text, SourceSpan Span);

public abstract record Proposition;
public sealed record AtomProposition(StateKey Key, long Value, SourceSpan Span) : Proposition;
public sealed record AndProposition(Proposition Left, Proposition Right) : Proposition;
public sealed record OrProposition(Proposition Left, Proposition Right) : Proposition;
public sealed record NotProposition(Proposition Operand) : Proposition;
public sealed record ImpliesProposition(Proposition Left, Proposition Right) : Proposition;
public sealed record ConstantProposition(bool Value) : Proposition;
