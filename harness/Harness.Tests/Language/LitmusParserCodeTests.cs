using Harness.Language;
using NUnit.Framework;
using static Harness.Tests.Language.LitmusText;
using Harness.Programs;

namespace Harness.Tests.Language;

/// <summary>Thread code: statements, atomic operations and expressions.</summary>
[TestFixture]
public sealed class LitmusParserCodeTests
{
    // ------------------------------------------------------------------ statements

    [Test]
    public void Declarations()
    {
        var body = ParseBody("int r0 = 1; int r1; long r2 = r0; intptr_t r3; unsigned long r4 = 2, r5;");

        Assert.That(body, Is.EqualTo(new Statement[]
        {
            new LocalDeclaration("int", "r0", new Constant(1, At(4, 10)), At(4, 1)),
            new LocalDeclaration("int", "r1", null, At(4, 13)),
            new LocalDeclaration("long", "r2", new RegisterRead("r0", At(4, 31)), At(4, 21)),
            new LocalDeclaration("intptr_t", "r3", null, At(4, 35)),
            new LocalDeclaration("unsigned long", "r4", new Constant(2, At(4, 67)), At(4, 48)),
            new LocalDeclaration("unsigned long", "r5", null, At(4, 70)),
        }));
    }

    [Test]
    public void AssignmentDeclaresAnUndeclaredRegister()
    {
        var body = ParseBody("r0 = 1;\nr1 = r0 + 1;");

        Assert.That(body, Is.EqualTo(new Statement[]
        {
            new Assignment("r0", new Constant(1, At(4, 6)), At(4, 1)),
            new Assignment("r1", new Binary(BinaryOperator.Add, new RegisterRead("r0", At(5, 6)), new Constant(1, At(5, 11)), At(5, 6)), At(5, 1)),
        }));
    }

    [Test]
    public void PlainStoresAndLoadsAreNonAtomicEvenOnAtomicParameters()
    {
        var body = ParseBody("*x = 1;\nint r0 = *y;", parameters: "atomic_int* x, int* y");

        Assert.That(body, Is.EqualTo(new Statement[]
        {
            new Store("x", new Constant(1, At(4, 6)), MemoryOrder.NonAtomic, At(4, 1)),
            new LocalDeclaration("int", "r0", new Load("y", MemoryOrder.NonAtomic, At(5, 10)), At(5, 1)),
        }));
    }

    [Test]
    public void StoresWithEveryAllowedOrder()
    {
        var body = ParseBody("""
            atomic_store_explicit(x, 1, memory_order_relaxed);
            atomic_store_explicit(x, 2, memory_order_release);
            atomic_store_explicit(x, 3, memory_order_seq_cst);
            atomic_store(y, 4);
            """);

        Assert.That(body.Cast<Store>().Select(store => (store.Location, store.Order)), Is.EqualTo(new[]
        {
            ("x", MemoryOrder.Relaxed), ("x", MemoryOrder.Release), ("x", MemoryOrder.SeqCst), ("y", MemoryOrder.SeqCst),
        }));
    }

    [Test]
    public void FencesWithEveryOrderAndConsumeReadAsAcquire()
    {
        var body = ParseBody("""
            atomic_thread_fence(memory_order_relaxed);
            atomic_thread_fence(memory_order_consume);
            atomic_thread_fence(memory_order_acquire);
            atomic_thread_fence(memory_order_release);
            atomic_thread_fence(memory_order_acq_rel);
            atomic_thread_fence(memory_order_seq_cst);
            """);

        Assert.That(body.Cast<Fence>().Select(fence => fence.Order), Is.EqualTo(new[]
        {
            MemoryOrder.Relaxed, MemoryOrder.Acquire, MemoryOrder.Acquire, MemoryOrder.Release, MemoryOrder.AcqRel, MemoryOrder.SeqCst,
        }));
        Assert.That(body[1].Span, Is.EqualTo(At(5, 1)));
    }

    [Test]
    public void LoadsExplicitAndSeqCst()
    {
        var body = ParseBody("""
            int r0 = atomic_load_explicit(x, memory_order_relaxed);
            int r1 = atomic_load_explicit(x, memory_order_consume);
            int r2 = atomic_load_explicit(x, memory_order_acquire);
            int r3 = atomic_load_explicit(x, memory_order_seq_cst);
            int r4 = atomic_load(y);
            """);

        Assert.That(body.Cast<LocalDeclaration>().Select(declaration => declaration.Value), Is.EqualTo(new Expression[]
        {
            new Load("x", MemoryOrder.Relaxed, At(4, 10)),
            new Load("x", MemoryOrder.Acquire, At(5, 10)),
            new Load("x", MemoryOrder.Acquire, At(6, 10)),
            new Load("x", MemoryOrder.SeqCst, At(7, 10)),
            new Load("y", MemoryOrder.SeqCst, At(8, 10)),
        }));
    }

    [Test]
    public void ReadModifyWritesAsStatementsAndValues()
    {
        var body = ParseBody("""
            atomic_fetch_add_explicit(x, 1, memory_order_relaxed);
            int r0 = atomic_fetch_sub_explicit(x, 2, memory_order_acquire);
            int r1 = atomic_fetch_or_explicit(x, 4, memory_order_release);
            int r2 = atomic_fetch_and_explicit(x, 8, memory_order_acq_rel);
            int r3 = atomic_exchange_explicit(x, r0, memory_order_seq_cst);
            atomic_exchange(y, 2);
            int r4 = atomic_fetch_add(y, 1) + atomic_fetch_sub(y, 1) + atomic_fetch_or(y, 1) + atomic_fetch_and(y, 1);
            """);

        Assert.That(body[0], Is.EqualTo(new ExpressionStatement(
            new ReadModifyWrite(RmwOperation.Add, "x", new Constant(1, At(4, 30)), MemoryOrder.Relaxed, At(4, 1)), At(4, 1))));
        Assert.That(body.Skip(1).Take(4).Cast<LocalDeclaration>().Select(declaration => (ReadModifyWrite)declaration.Value!)
                .Select(rmw => (rmw.Operation, rmw.Order)),
            Is.EqualTo(new[]
            {
                (RmwOperation.Sub, MemoryOrder.Acquire), (RmwOperation.Or, MemoryOrder.Release),
                (RmwOperation.And, MemoryOrder.AcqRel), (RmwOperation.Exchange, MemoryOrder.SeqCst),
            }));
        Assert.That(((ReadModifyWrite)((LocalDeclaration)body[4]).Value!).Operand, Is.EqualTo(new RegisterRead("r0", At(8, 38))));
        Assert.That(body[5], Is.EqualTo(new ExpressionStatement(
            new ReadModifyWrite(RmwOperation.Exchange, "y", new Constant(2, At(9, 20)), MemoryOrder.SeqCst, At(9, 1)), At(9, 1))));

        var sum = (Binary)((LocalDeclaration)body[6]).Value!;
        var operations = new List<RmwOperation>();
        Expression node = sum;
        while (node is Binary binary)
        {
            operations.Insert(0, ((ReadModifyWrite)binary.Right).Operation);
            node = binary.Left;
        }
        operations.Insert(0, ((ReadModifyWrite)node).Operation);
        Assert.That(operations, Is.EqualTo(new[] { RmwOperation.Add, RmwOperation.Sub, RmwOperation.Or, RmwOperation.And }));
    }

    [Test]
    public void CompareExchanges()
    {
        var body = ParseBody("""
            int r0 = atomic_compare_exchange_strong_explicit(x, e, 2, memory_order_acq_rel, memory_order_acquire);
            int r1 = atomic_compare_exchange_weak_explicit(x, e, r0 + 1, memory_order_release, memory_order_relaxed);
            int r2 = atomic_compare_exchange_strong(x, e, 3);
            atomic_compare_exchange_weak(x, e, 4);
            """, parameters: "atomic_int* x, int* e");

        Assert.That(((LocalDeclaration)body[0]).Value, Is.EqualTo(new CompareExchange(
            "x", "e", new Constant(2, At(4, 56)), MemoryOrder.AcqRel, MemoryOrder.Acquire, Strong: true, At(4, 10))));
        var weak = (CompareExchange)((LocalDeclaration)body[1]).Value!;
        Assert.That((weak.Strong, weak.Success, weak.Failure, weak.Desired is Binary), Is.EqualTo((false, MemoryOrder.Release, MemoryOrder.Relaxed, true)));
        Assert.That(((LocalDeclaration)body[2]).Value, Is.EqualTo(new CompareExchange(
            "x", "e", new Constant(3, At(6, 47)), MemoryOrder.SeqCst, MemoryOrder.SeqCst, Strong: true, At(6, 10))));
        Assert.That(((ExpressionStatement)body[3]).Expression, Is.EqualTo(new CompareExchange(
            "x", "e", new Constant(4, At(7, 36)), MemoryOrder.SeqCst, MemoryOrder.SeqCst, Strong: false, At(7, 1))));
    }

    [Test]
    public void IfElseWithBlocksAndSingleStatements()
    {
        var body = ParseBody("""
            int r0 = atomic_load_explicit(x, memory_order_relaxed);
            if (r0 == 1) {
              atomic_store_explicit(y, 1, memory_order_relaxed);
              r0 = 2;
            } else
              r0 = 3;
            if (atomic_load(y) != 0) *x = 4;
            """);

        var first = (IfStatement)body[1];
        Assert.That(first.Span, Is.EqualTo(At(5, 1)));
        Assert.That(first.Condition, Is.EqualTo(new Binary(BinaryOperator.Equal,
            new RegisterRead("r0", At(5, 5)), new Constant(1, At(5, 11)), At(5, 5))));
        Assert.That(first.Then.Select(statement => statement.GetType()), Is.EqualTo(new[] { typeof(Store), typeof(Assignment) }));
        Assert.That(first.Else, Is.EqualTo(new Statement[] { new Assignment("r0", new Constant(3, At(9, 8)), At(9, 3)) }));

        var second = (IfStatement)body[2];
        Assert.That(((Binary)second.Condition).Left, Is.EqualTo(new Load("y", MemoryOrder.SeqCst, At(10, 5))));
        Assert.That(second.Then, Is.EqualTo(new Statement[] { new Store("x", new Constant(4, At(10, 31)), MemoryOrder.NonAtomic, At(10, 26)) }));
        Assert.That(second.Else, Is.Empty);
    }

    [Test]
    public void ElseIfChains()
    {
        var body = ParseBody("int r0 = 0;\nif (r0 == 0) r0 = 1; else if (r0 == 1) r0 = 2; else { r0 = 3; }");

        var outer = (IfStatement)body[1];
        var inner = (IfStatement)outer.Else.Single();
        Assert.That(inner.Else.Single(), Is.InstanceOf<Assignment>());
    }

    [Test]
    public void WhileLoops()
    {
        var body = ParseBody("""
            int r0 = 0;
            while (r0 == 0) r0 = atomic_load_explicit(x, memory_order_acquire);
            while (atomic_load(y) < 2) { atomic_fetch_add(y, 1); }
            """);

        var first = (WhileStatement)body[1];
        Assert.That(first.Span, Is.EqualTo(At(5, 1)));
        Assert.That(first.Body.Single(), Is.EqualTo(new Assignment("r0", new Load("x", MemoryOrder.Acquire, At(5, 22)), At(5, 17))));
        var second = (WhileStatement)body[2];
        Assert.That(second.Body.Single(), Is.InstanceOf<ExpressionStatement>());
    }

    [Test]
    public void BlocksAreFlattenedAndEmptyStatementsDropped()
    {
        var body = ParseBody("{ int r0 = 1; ; { r0 = 2; } } ; ; { } r0 = 3;");

        Assert.That(body.Select(statement => statement.GetType()),
            Is.EqualTo(new[] { typeof(LocalDeclaration), typeof(Assignment), typeof(Assignment) }));
    }

    [Test]
    public void RegistersDeclaredInABlockAreVisibleAfterIt()
    {
        var body = ParseBody("if (1) { int r0 = 1; }\nint r1 = r0;");

        Assert.That(body, Has.Count.EqualTo(2));
    }

    [Test]
    public void ExpressionStatementOfAPlainLoad()
    {
        var body = ParseBody("*x;");

        Assert.That(body.Single(), Is.EqualTo(new ExpressionStatement(new Load("x", MemoryOrder.NonAtomic, At(4, 1)), At(4, 1))));
    }

    // ------------------------------------------------------------------ expressions

    [Test]
    public void Constants()
    {
        Assert.That(ParseExpression("42"), Is.EqualTo(new Constant(42, At(5, 9))));
        Assert.That(ParseExpression("0x1F"), Is.EqualTo(new Constant(31, At(5, 9))));
        Assert.That(ParseExpression("0XfF"), Is.EqualTo(new Constant(255, At(5, 9))));
        Assert.That(ParseExpression("-7"), Is.EqualTo(new Constant(-7, At(5, 9))));
        Assert.That(ParseExpression("2147483647"), Is.EqualTo(new Constant(int.MaxValue, At(5, 9))));
        Assert.That(ParseExpression("-2147483648"), Is.EqualTo(new Constant(int.MinValue, At(5, 9))));
        Assert.That(ParseExpression("0x7fffffff"), Is.EqualTo(new Constant(int.MaxValue, At(5, 9))));
    }

    [Test]
    public void UnaryOperators()
    {
        Assert.That(ParseExpression("-a"), Is.EqualTo(new Unary(UnaryOperator.Negate, new RegisterRead("a", At(5, 10)), At(5, 9))));
        Assert.That(ParseExpression("!a"), Is.EqualTo(new Unary(UnaryOperator.LogicalNot, new RegisterRead("a", At(5, 10)), At(5, 9))));
        Assert.That(ParseExpression("~a"), Is.EqualTo(new Unary(UnaryOperator.BitNot, new RegisterRead("a", At(5, 10)), At(5, 9))));
        Assert.That(ParseExpression("- -a"), Is.InstanceOf<Unary>());
    }

    /// <summary>Fully parenthesised forms, with registers a b c and constants, written as the tree's shape.</summary>
    [TestCase("a || b && c", "(a || (b && c))")]
    [TestCase("a && b | c", "(a && (b | c))")]
    [TestCase("a | b ^ c", "(a | (b ^ c))")]
    [TestCase("a ^ b & c", "(a ^ (b & c))")]
    [TestCase("a & b == c", "(a & (b == c))")]
    [TestCase("a == b < c", "(a == (b < c))")]
    [TestCase("a != b >= c", "(a != (b >= c))")]
    [TestCase("a <= b << c", "(a <= (b << c))")]
    [TestCase("a > b >> c", "(a > (b >> c))")]
    [TestCase("a << b + c", "(a << (b + c))")]
    [TestCase("a - b * c", "(a - (b * c))")]
    [TestCase("a + b / c % 2", "(a + ((b / c) % 2))")]
    [TestCase("a - b - c", "((a - b) - c)")]
    [TestCase("a / b / c", "((a / b) / c)")]
    [TestCase("(a - b) * c", "((a - b) * c)")]
    [TestCase("-a * b", "(-a * b)")]
    [TestCase("!a && ~b", "(!a && ~b)")]
    [TestCase("a < b == b > c || !(a & 1)", "(((a < b) == (b > c)) || !(a & 1))")]
    [TestCase("a+b*c-(a|b)^c", "(((a + (b * c)) - (a | b)) ^ c)")]
    public void BinaryPrecedenceAndAssociativityFollowC(string expression, string expected)
    {
        Assert.That(Show(ParseExpression(expression)), Is.EqualTo(expected));
    }

    [Test]
    public void BinaryNodesStartWhereTheirLeftOperandStarts()
    {
        var product = (Binary)ParseExpression("(a - b) * c");

        Assert.That(product.Span, Is.EqualTo(At(5, 9)));
        Assert.That(product.Left.Span, Is.EqualTo(At(5, 10)));
    }

    [Test]
    public void MemoryAccessesInsideExpressions()
    {
        var expression = ParseExpression("atomic_load(x) + 1 == *y * atomic_exchange_explicit(x, a, memory_order_relaxed)");

        Assert.That(Show(expression), Is.EqualTo("((load(x) + 1) == (*y * xchg(x, a)))"));
    }

    private static string Show(Expression expression) => expression switch
    {
        Constant constant => constant.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        RegisterRead register => register.Register,
        Load { Order: MemoryOrder.NonAtomic } load => "*" + load.Location,
        Load load => $"load({load.Location})",
        ReadModifyWrite rmw => $"xchg({rmw.Location}, {Show(rmw.Operand)})",
        Unary unary => unary.Operator switch
        {
            UnaryOperator.Negate => "-",
            UnaryOperator.LogicalNot => "!",
            _ => "~",
        } + Show(unary.Operand),
        Binary binary => $"({Show(binary.Left)} {Symbol(binary.Operator)} {Show(binary.Right)})",
        _ => expression.GetType().Name,
    };

    private static string Symbol(BinaryOperator op) => op switch
    {
        BinaryOperator.Add => "+", BinaryOperator.Sub => "-", BinaryOperator.Mul => "*", BinaryOperator.Div => "/",
        BinaryOperator.Mod => "%", BinaryOperator.BitAnd => "&", BinaryOperator.BitOr => "|", BinaryOperator.BitXor => "^",
        BinaryOperator.ShiftLeft => "<<", BinaryOperator.ShiftRight => ">>", BinaryOperator.Equal => "==",
        BinaryOperator.NotEqual => "!=", BinaryOperator.Less => "<", BinaryOperator.LessEqual => "<=",
        BinaryOperator.Greater => ">", BinaryOperator.GreaterEqual => ">=", BinaryOperator.LogicalAnd => "&&",
        _ => "||",
    };
}
