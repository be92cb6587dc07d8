using Harness.Language;
using NUnit.Framework;
using static Harness.Tests.Language.LitmusText;
using Harness.Programs;

namespace Harness.Tests.Language;

/// <summary>
/// The C that herdtools7's diy7 generator writes (gen/CCompile_gen.ml): address dependencies
/// <c>x + (r0 &amp; 128)</c>, loop observers with <c>for (;;)</c>, <c>break</c> and <c>r128--</c>,
/// and its compact spacing.
/// </summary>
[TestFixture]
public sealed class LitmusParserDiy7Tests
{
    /// <summary><c>r0 &amp; 128</c> with r0 at <paramref name="column"/> of <paramref name="line"/>: diy7's offset.</summary>
    private static Binary Mask(int line, int column) =>
        new(BinaryOperator.BitAnd, new RegisterRead("r0", At(line, column)), new Constant(128, At(line, column + 5)), At(line, column));

    // ------------------------------------------------------------------ address dependencies

    [Test]
    public void AtomicLoadThroughAnAddressDependency()
    {
        var body = ParseBody("int r0 = 0;\nint r1 = atomic_load_explicit(x + (r0 & 128),memory_order_relaxed);");

        var expected = new Load("x", MemoryOrder.Relaxed, At(5, 10)) { Offset = Mask(5, 36) };
        Assert.That(body[1], Is.EqualTo(new LocalDeclaration("int", "r1", expected, At(5, 1))));
    }

    [Test]
    public void OffsetIsPartOfTheNodesEquality()
    {
        var body = ParseBody("int r0 = 0;\nint r1 = atomic_load_explicit(x + (r0 & 128),memory_order_relaxed);");
        var load = (Load)((LocalDeclaration)body[1]).Value!;

        Assert.That(load with { Offset = null }, Is.Not.EqualTo(load));
        Assert.That(load.Offset, Is.EqualTo(Mask(5, 36)));
    }

    [Test]
    public void PlainLoadAndStoreThroughAnAddressDependency()
    {
        var body = ParseBody("int r0 = 0;\nint r1 = *(y + (r0 & 128));\n*(y + (r0 & 128)) = 1;", parameters: "volatile int* y,volatile int* x");

        Assert.That(body[1], Is.EqualTo(new LocalDeclaration(
            "int", "r1", new Load("y", MemoryOrder.NonAtomic, At(5, 10)) { Offset = Mask(5, 17) }, At(5, 1))));
        Assert.That(body[2], Is.EqualTo(
            new Store("y", new Constant(1, At(6, 21)), MemoryOrder.NonAtomic, At(6, 1)) { Offset = Mask(6, 8) }));
    }

    [Test]
    public void AtomicStoresAndExchangesThroughAnAddressDependency()
    {
        var body = ParseBody("""
            int r0 = 0;
            atomic_store_explicit(y + (r0 & 128),1,memory_order_release);
            atomic_store(y + (r0 & 128),2);
            int r1 = atomic_exchange_explicit(y + (r0 & 128),2,memory_order_relaxed);
            int r2 = atomic_exchange(x + (r0 & 128),3);
            int r3 = atomic_load(x + (r0 & 128));
            """);

        Assert.That(body[1], Is.EqualTo(new Store("y", new Constant(1, At(5, 38)), MemoryOrder.Release, At(5, 1)) { Offset = Mask(5, 28) }));
        Assert.That(body[2], Is.EqualTo(new Store("y", new Constant(2, At(6, 29)), MemoryOrder.SeqCst, At(6, 1)) { Offset = Mask(6, 19) }));
        Assert.That(((LocalDeclaration)body[3]).Value, Is.EqualTo(
            new ReadModifyWrite(RmwOperation.Exchange, "y", new Constant(2, At(7, 50)), MemoryOrder.Relaxed, At(7, 10)) { Offset = Mask(7, 40) }));
        Assert.That(((LocalDeclaration)body[4]).Value, Is.EqualTo(
            new ReadModifyWrite(RmwOperation.Exchange, "x", new Constant(3, At(8, 41)), MemoryOrder.SeqCst, At(8, 10)) { Offset = Mask(8, 31) }));
        Assert.That(((LocalDeclaration)body[5]).Value, Is.EqualTo(new Load("x", MemoryOrder.SeqCst, At(9, 10)) { Offset = Mask(9, 27) }));
    }

    [Test]
    public void FetchAndAddThroughAnAddressDependency()
    {
        var body = ParseBody("int r0 = 0;\natomic_fetch_add_explicit(x + r0,1,memory_order_relaxed);");

        var statement = (ExpressionStatement)body[1];
        Assert.That(statement.Expression, Is.EqualTo(
            new ReadModifyWrite(RmwOperation.Add, "x", new Constant(1, At(5, 34)), MemoryOrder.Relaxed, At(5, 1))
            {
                Offset = new RegisterRead("r0", At(5, 31)),
            }));
    }

    [Test]
    public void ParenthesisedLocationsAreAccepted()
    {
        var body = ParseBody("""
            int r0 = 0;
            int r1 = atomic_load_explicit((y + (r0 & 128)),memory_order_relaxed);
            int r2 = atomic_load_explicit(((x)),memory_order_acquire);
            int r3 = *(x);
            int r4 = atomic_load((x) + (r0 & 128));
            """);

        Assert.That(((LocalDeclaration)body[1]).Value, Is.EqualTo(new Load("y", MemoryOrder.Relaxed, At(5, 10)) { Offset = Mask(5, 37) }));
        Assert.That(((LocalDeclaration)body[2]).Value, Is.EqualTo(new Load("x", MemoryOrder.Acquire, At(6, 10))));
        Assert.That(((LocalDeclaration)body[3]).Value, Is.EqualTo(new Load("x", MemoryOrder.NonAtomic, At(7, 10))));
        Assert.That(((LocalDeclaration)body[4]).Value, Is.EqualTo(new Load("x", MemoryOrder.SeqCst, At(8, 10)) { Offset = Mask(8, 29) }));
    }

    [Test]
    public void SubtractedOffsetIsNegated()
    {
        var body = ParseBody("int r0 = 0;\nint r1 = atomic_load(x - r0);");

        var load = (Load)((LocalDeclaration)body[1]).Value!;
        Assert.That(load.Location, Is.EqualTo("x"));
        Assert.That(load.Offset, Is.EqualTo(new Unary(UnaryOperator.Negate, new RegisterRead("r0", At(5, 26)), At(5, 24))));
    }

    [Test]
    public void FurtherTermsAddUpAndBindAsCPlusDoes()
    {
        var body = ParseBody("int r0 = 0;\nint r1 = atomic_load(x + r0 * 2 - 1);");

        var load = (Load)((LocalDeclaration)body[1]).Value!;
        var product = new Binary(BinaryOperator.Mul, new RegisterRead("r0", At(5, 26)), new Constant(2, At(5, 31)), At(5, 26));
        Assert.That(load.Offset, Is.EqualTo(new Binary(BinaryOperator.Sub, product, new Constant(1, At(5, 35)), At(5, 26))));
    }

    [Test]
    public void StarWithoutParenthesesLoadsBeforeAdding()
    {
        var value = ParseExpression("*x + 1");

        Assert.That(value, Is.EqualTo(new Binary(
            BinaryOperator.Add, new Load("x", MemoryOrder.NonAtomic, At(5, 9)), new Constant(1, At(5, 14)), At(5, 9))));
    }

    [Test]
    public void PlainStoreStillAcceptsAParenthesisedNameAndLoadsMayStartAStatement()
    {
        var body = ParseBody("*(x) = 1;\n*(y + 1);");

        Assert.That(body[0], Is.EqualTo(new Store("x", new Constant(1, At(4, 8)), MemoryOrder.NonAtomic, At(4, 1))));
        Assert.That(body[1], Is.EqualTo(new ExpressionStatement(
            new Load("y", MemoryOrder.NonAtomic, At(5, 1)) { Offset = new Constant(1, At(5, 7)) }, At(5, 1))));
    }

    [Test]
    public void DataDependencyIsAnOrdinaryExpression()
    {
        var body = ParseBody("int r0 = 0;\n*y = 1 + (r0 & 128);", parameters: "volatile int* y,volatile int* x");

        Assert.That(body[1], Is.EqualTo(new Store(
            "y", new Binary(BinaryOperator.Add, new Constant(1, At(5, 6)), Mask(5, 11), At(5, 6)), MemoryOrder.NonAtomic, At(5, 1))));
    }

    [TestCase("int r1 = atomic_load_explicit(z + (r0 & 128),memory_order_relaxed);", 5, 31, "'z' is not a parameter of P0")]
    [TestCase("int r1 = *(1 + r0);", 5, 12, "expected a location (a parameter of P0) after '*', found '1'")]
    [TestCase("int r1 = *(x + );", 5, 16, "expected an expression, found ')'")]
    [TestCase("int r1 = *(x + r0;", 5, 18, "expected ')' to close '(', found ';'")]
    [TestCase("int r1 = atomic_load_explicit(&x + r0,memory_order_relaxed);", 5, 31, "write 'x', not '&x'")]
    [TestCase("int r1 = atomic_load(x + r0 == 1);", 5, 29, "expected ')' to close the arguments of 'atomic_load'")]
    [TestCase("int r1 = atomic_compare_exchange_strong(x + r0, y, 1);", 5, 41,
        "'atomic_compare_exchange_strong' does not take a location with an offset such as 'x + ...'")]
    [TestCase("int r1 = atomic_load(x + r9);", 5, 26, "register 'r9' is used before being declared or assigned in P0")]
    public void AddressDependencyErrors(string statement, int line, int column, string fragment)
    {
        var errors = Errors(WithBody("int r0 = 0;\n" + statement));

        Assert.That(errors, Has.Count.EqualTo(1), string.Join("\n", errors));
        Assert.That(errors[0].Span, Is.EqualTo(At(line, column)));
        Assert.That(errors[0].Message, Does.Contain(fragment));
    }

    [Test]
    public void DeeplyParenthesisedLocationIsCappedWithOneDiagnostic()
    {
        var errors = Errors(WithBody($"int r0 = atomic_load({new string('(', 10_000)}x{new string(')', 10_000)});"));

        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0].Message, Does.Contain("deeper than 64 levels"));
    }

    // ------------------------------------------------------------------ loops, break, ++ and --

    [Test]
    public void EndlessForLoopIsAWhileOnOne()
    {
        var body = ParseBody("""
            int r0;
            for (;;) {
              r0 = atomic_load_explicit(x,memory_order_relaxed);
              if (r0 != 0) break;
            }
            """);

        var loop = (WhileStatement)body[1];
        Assert.That(loop.Span, Is.EqualTo(At(5, 1)));
        Assert.That(loop.Condition, Is.EqualTo(new Constant(1, At(5, 1))));
        Assert.That(loop.Body, Has.Count.EqualTo(2));
        Assert.That(loop.Body[0], Is.EqualTo(new Assignment("r0", new Load("x", MemoryOrder.Relaxed, At(6, 8)), At(6, 3))));
        var exit = (IfStatement)loop.Body[1];
        Assert.That(exit.Condition, Is.EqualTo(
            new Binary(BinaryOperator.NotEqual, new RegisterRead("r0", At(7, 7)), new Constant(0, At(7, 13)), At(7, 7))));
        Assert.That(exit.Then, Is.EqualTo(new Statement[] { new BreakStatement(At(7, 16)) }));
        Assert.That(exit.Else, Is.Empty);
    }

    [Test]
    public void ForHeaderMayBeSpacedAndBodyMayBeOneStatement()
    {
        var body = ParseBody("for ( ; ; ) break;\nfor (;;);");

        var loops = body.Cast<WhileStatement>().ToList();
        Assert.That(loops.Select(loop => (loop.Condition, loop.Span)), Is.EqualTo(new[]
        {
            ((Expression)new Constant(1, At(4, 1)), At(4, 1)),
            (new Constant(1, At(5, 1)), At(5, 1)),
        }));
        Assert.That(loops[0].Body, Is.EqualTo(new Statement[] { new BreakStatement(At(4, 13)) }));
        Assert.That(loops[1].Body, Is.Empty);
    }

    [Test]
    public void BreakIsAllowedInAWhileLoopAndInBlocksNestedInALoop()
    {
        var body = ParseBody("int r0 = 0;\nwhile (1) { { if (r0 == 0) { break; } else break; } }");

        var loop = (WhileStatement)body[1];
        var branch = (IfStatement)loop.Body.Single();
        Assert.That(branch.Then, Is.EqualTo(new Statement[] { new BreakStatement(At(5, 30)) }));
        Assert.That(branch.Else, Is.EqualTo(new Statement[] { new BreakStatement(At(5, 44)) }));
    }

    [TestCase("break;", 4, 1)]
    [TestCase("int r0 = 0;\nif (r0 == 0) { break; }", 5, 16)]
    [TestCase("while (1) { }\nbreak;", 5, 1)]
    public void BreakOutsideALoopIsReported(string body, int line, int column)
    {
        var errors = Errors(WithBody(body));

        Assert.That(errors.Select(error => (error.Span, error.Message)), Is.EqualTo(new[] { (At(line, column), "'break' outside a loop") }));
    }

    [Test]
    public void BreakOfAnEarlierThreadDoesNotLeakIntoTheNext()
    {
        var errors = Errors("C T\n{}\nP0 (atomic_int* x) { for (;;) { break; } }\nP1 (atomic_int* x) { break; }\nexists (x=0)\n");

        Assert.That(errors.Select(error => (error.Span, error.Message)), Is.EqualTo(new[] { (At(4, 22), "'break' outside a loop") }));
    }

    [Test]
    public void BreakNeedsItsSemicolon()
    {
        var errors = Errors(WithBody("for (;;) { break 1; }"));

        Assert.That(errors.Select(error => (error.Span, error.Message)), Is.EqualTo(new[] { (At(4, 17), "expected ';' after statement, found '1'") }));
    }

    [Test]
    public void IncrementsAndDecrementsAreAssignments()
    {
        var body = ParseBody("int r0 = 200;\nr0--;\nr0++;\n--r0;\n++r0;");

        Assert.That(body.Skip(1), Is.EqualTo(new Statement[]
        {
            new Assignment("r0", new Binary(BinaryOperator.Sub, new RegisterRead("r0", At(5, 1)), new Constant(1, At(5, 3)), At(5, 1)), At(5, 1)),
            new Assignment("r0", new Binary(BinaryOperator.Add, new RegisterRead("r0", At(6, 1)), new Constant(1, At(6, 3)), At(6, 1)), At(6, 1)),
            new Assignment("r0", new Binary(BinaryOperator.Sub, new RegisterRead("r0", At(7, 3)), new Constant(1, At(7, 1)), At(7, 1)), At(7, 1)),
            new Assignment("r0", new Binary(BinaryOperator.Add, new RegisterRead("r0", At(8, 3)), new Constant(1, At(8, 1)), At(8, 1)), At(8, 1)),
        }));
    }

    [Test]
    public void SeparatedMinusSignsStayNegations()
    {
        Assert.That(ParseExpression("- -1"), Is.EqualTo(new Unary(UnaryOperator.Negate, new Constant(-1, At(5, 11)), At(5, 9))));
        Assert.That(ParseExpression("--1"), Is.EqualTo(new Unary(UnaryOperator.Negate, new Constant(-1, At(5, 10)), At(5, 9))));
        Assert.That(ParseExpression("a - -b"), Is.EqualTo(new Binary(BinaryOperator.Sub,
            new RegisterRead("a", At(5, 9)), new Unary(UnaryOperator.Negate, new RegisterRead("b", At(5, 14)), At(5, 13)), At(5, 9))));
    }

    [TestCase("r9--;", 4, 1, "register 'r9' is used before being declared or assigned in P0")]
    [TestCase("x--;", 4, 1, "cannot decrement location 'x': use atomic_fetch_sub_explicit(x, 1, ...)")]
    [TestCase("++y;", 4, 3, "cannot increment location 'y': use atomic_fetch_add_explicit(y, 1, ...)")]
    [TestCase("int r0 = 1;\nint r1 = --r0;", 5, 10, "'--' is only supported as a statement of its own, such as 'r0--;'")]
    [TestCase("int r0 = 1;\nr0 = 2 + ++r0;", 5, 10, "'++' is only supported as a statement of its own")]
    [TestCase("int r0 = 1;\nr0-- r0;", 5, 5, "expected ';' after statement, found 'r0'")]
    public void IncrementErrors(string body, int line, int column, string fragment)
    {
        var errors = Errors(WithBody(body));

        Assert.That(errors, Has.Count.EqualTo(1), string.Join("\n", errors));
        Assert.That(errors[0].Span, Is.EqualTo(At(line, column)));
        Assert.That(errors[0].Message, Does.Contain(fragment));
    }

    [TestCase("for")]
    [TestCase("break")]
    public void LoopKeywordsAreNotRegisterNames(string name)
    {
        var errors = Errors(WithBody($"int {name} = 1;"));

        Assert.That(errors.Single().Message, Is.EqualTo($"'{name}' cannot be used as a register name"));
    }

    // ------------------------------------------------------------------ frame

    [Test]
    public void CompactParametersAndTypedInitialStateWithoutValues()
    {
        var test = Parse("C T\n{atomic_int x; int y;}\nP0(volatile int* y,atomic_int* x) {\n  *y = 1;\n}\nexists (x=0)\n");

        Assert.That(test.Initial, Is.EqualTo(new[]
        {
            new InitialValue(StateKey.Location("x"), 0, "atomic_int", At(2, 2)),
            new InitialValue(StateKey.Location("y"), 0, "int", At(2, 16)),
        }));
        Assert.That(test.Threads[0].Parameters, Is.EqualTo(new[]
        {
            new Parameter("volatile int*", "y", At(3, 4)),
            new Parameter("atomic_int*", "x", At(3, 20)),
        }));
    }

    [TestCase("exists (0:r0=1 /\\ 1:r0=0 /\\ x=2)", Quantifier.Exists)]
    [TestCase("~exists (0:r0=1 /\\ 1:r0=0 /\\ x=2)", Quantifier.NotExists)]
    [TestCase("forall (0:r0=1 /\\ 1:r0=0 /\\ x=2)", Quantifier.ForAll)]
    public void Diy7Conditions(string condition, Quantifier quantifier)
    {
        var source = $$"""
            C T
            {}

            P0 (volatile int* x) {
              int r0 = -1;
              r0 = *x;
            }

            P1 (volatile int* x) {
              int r0 = *x;
              *x = 2;
            }

            {{condition}}
            """;

        var test = Parse(source);

        Assert.That(test.Condition.Quantifier, Is.EqualTo(quantifier));
        Assert.That(test.Condition.Text, Is.EqualTo(condition));
        Assert.That(test.Condition.Proposition, Is.EqualTo(new AndProposition(
            new AndProposition(
                new AtomProposition(StateKey.Register(0, "r0"), 1, At(14, condition.IndexOf('(') + 2)),
                new AtomProposition(StateKey.Register(1, "r0"), 0, At(14, condition.IndexOf('(') + 12))),
            new AtomProposition(StateKey.Location("x"), 2, At(14, condition.IndexOf('(') + 22)))));
        Assert.That(test.Threads[0].Body[0], Is.EqualTo(new LocalDeclaration("int", "r0", new Constant(-1, At(5, 12)), At(5, 3))));
    }

    // ------------------------------------------------------------------ whole tests

    [Test]
    public void LoadBufferingWithDataDependencies()
    {
        const string source = """
            C LB+datas
            "DpDatadW Rfe DpDatadW Rfe"
            Cycle=Rfe DpDatadW Rfe DpDatadW
            Relax=
            Safe=Rfe DpDatadW
            Generator=diy7 (version 7.56+01(dev))
            Prefetch=0:x=F,0:y=W,1:y=F,1:x=W
            Com=Rf Rf
            Orig=DpDatadW Rfe DpDatadW Rfe
            {}

            P0 (volatile int* y,volatile int* x) {
              int r0 = *x;
              *y = 1 + (r0 & 128);
            }

            P1 (volatile int* y,volatile int* x) {
              int r0 = *y;
              *x = 1 + (r0 & 128);
            }

            exists (0:r0=1 /\ 1:r0=1)
            """;

        var test = Parse(source);

        Assert.That(test.Name, Is.EqualTo("LB+datas"));
        Assert.That(test.Comment, Is.EqualTo("DpDatadW Rfe DpDatadW Rfe"));
        Assert.That(test.Headers, Is.EqualTo(new KeyValuePair<string, string>[]
        {
            new("Cycle", "Rfe DpDatadW Rfe DpDatadW"),
            new("Relax", ""),
            new("Safe", "Rfe DpDatadW"),
            new("Generator", "diy7 (version 7.56+01(dev))"),
            new("Prefetch", "0:x=F,0:y=W,1:y=F,1:x=W"),
            new("Com", "Rf Rf"),
            new("Orig", "DpDatadW Rfe DpDatadW Rfe"),
        }));
        Assert.That(test.Initial, Is.Empty);
        Assert.That(test.Locations, Is.EqualTo(new[] { "y", "x" }));
        Assert.That(test.Threads[0].Body, Is.EqualTo(new Statement[]
        {
            new LocalDeclaration("int", "r0", new Load("x", MemoryOrder.NonAtomic, At(13, 12)), At(13, 3)),
            new Store("y", new Binary(BinaryOperator.Add, new Constant(1, At(14, 8)), Mask(14, 13), At(14, 8)), MemoryOrder.NonAtomic, At(14, 3)),
        }));
        Assert.That(test.Threads[1].Body[1], Is.EqualTo(
            new Store("x", new Binary(BinaryOperator.Add, new Constant(1, At(19, 8)), Mask(19, 13), At(19, 8)), MemoryOrder.NonAtomic, At(19, 3))));
        Assert.That(test.Condition.Text, Is.EqualTo("exists (0:r0=1 /\\ 1:r0=1)"));
    }

    [Test]
    public void MessagePassingWithAnAddressDependency()
    {
        const string source = """
            C MP+po+addr
            "PodWWRlxRlx RfeRlxRlx DpAddrdRRlxRlx FreRlxRlx"
            Cycle=RfeRlxRlx DpAddrdRRlxRlx FreRlxRlx PodWWRlxRlx
            Relax=
            Safe=RfeRlxRlx FreRlxRlx PodWWRlxRlx DpAddrdRRlxRlx
            Generator=diy7 (version 7.56+01(dev))
            Prefetch=0:x=F,0:y=W,1:y=F,1:x=T
            Com=Rf Fr
            Orig=PodWWRlxRlx RfeRlxRlx DpAddrdRRlxRlx FreRlxRlx

            {atomic_int x; atomic_int y;}

            P0 (atomic_int* y,atomic_int* x) {
              atomic_store_explicit(x,1,memory_order_relaxed);
              atomic_store_explicit(y,1,memory_order_relaxed);
            }

            P1 (atomic_int* y,atomic_int* x) {
              int r0 = atomic_load_explicit(y,memory_order_relaxed);
              int r1 = atomic_load_explicit(x + (r0 & 128),memory_order_relaxed);
            }

            exists (1:r0=1 /\ 1:r1=0)
            """;

        var test = Parse(source);

        Assert.That(test.Headers.Select(header => header.Key), Is.EqualTo(new[]
        {
            "Cycle", "Relax", "Safe", "Generator", "Prefetch", "Com", "Orig",
        }));
        Assert.That(test.Initial.Select(value => (value.Target.Name, value.Value, value.Type)), Is.EqualTo(new[]
        {
            ("x", 0L, "atomic_int"), ("y", 0L, "atomic_int"),
        }));
        Assert.That(test.Threads[0].Body, Is.EqualTo(new Statement[]
        {
            new Store("x", new Constant(1, At(14, 27)), MemoryOrder.Relaxed, At(14, 3)),
            new Store("y", new Constant(1, At(15, 27)), MemoryOrder.Relaxed, At(15, 3)),
        }));
        Assert.That(test.Threads[1].Body, Is.EqualTo(new Statement[]
        {
            new LocalDeclaration("int", "r0", new Load("y", MemoryOrder.Relaxed, At(19, 12)), At(19, 3)),
            new LocalDeclaration("int", "r1", new Load("x", MemoryOrder.Relaxed, At(20, 12)) { Offset = Mask(20, 38) }, At(20, 3)),
        }));
    }

    [Test]
    public void CoherenceWithALoopObserver()
    {
        // The observer diy7 writes with '-obs loop': wait for a first value, then for a change, at most 200 times.
        const string source = """
            C 2+2W+obs
            "PodWW Coe PodWW Coe"
            Cycle=Coe PodWW Coe PodWW
            Relax=
            Safe=Coe PodWW
            Generator=diy7 (version 7.56+01(dev))
            Prefetch=1:x=F,1:y=W,2:y=F,2:x=W
            Com=Co Co
            Orig=PodWW Coe PodWW Coe

            {atomic_int x; atomic_int y;}

            P0 (atomic_int* x) {
              int r0;
              for (;;) {
                r0 = atomic_load_explicit(x,memory_order_relaxed);
                if (r0 != 0) break;
              }
              int r128 = 200;
              int r1;
              for (;;) {
                r1 = atomic_load_explicit(x,memory_order_relaxed);
                if (r0 != r1) {
                  break;
                }
                r128--;
                if (0 == r128) {
                  break;
                }
              }
            }

            P1 (atomic_int* y,atomic_int* x) {
              atomic_store_explicit(x,2,memory_order_relaxed);
              atomic_store_explicit(y,1,memory_order_relaxed);
            }

            P2 (atomic_int* y,atomic_int* x) {
              atomic_store_explicit(y,2,memory_order_relaxed);
              atomic_store_explicit(x,1,memory_order_relaxed);
            }

            exists (x=2 /\ y=2 /\ 0:r0=1 /\ 0:r1=2)
            """;

        var test = Parse(source);

        Assert.That(test.Threads, Has.Count.EqualTo(3));
        var observer = test.Threads[0].Body;
        Assert.That(observer.Select(statement => statement.GetType().Name), Is.EqualTo(new[]
        {
            nameof(LocalDeclaration), nameof(WhileStatement), nameof(LocalDeclaration), nameof(LocalDeclaration), nameof(WhileStatement),
        }));
        var firstLoop = (WhileStatement)observer[1];
        Assert.That(firstLoop.Condition, Is.EqualTo(new Constant(1, At(15, 3))));
        var firstExit = (IfStatement)firstLoop.Body[1];
        Assert.That(firstExit.Span, Is.EqualTo(At(17, 5)));
        Assert.That(firstExit.Condition, Is.EqualTo(
            new Binary(BinaryOperator.NotEqual, new RegisterRead("r0", At(17, 9)), new Constant(0, At(17, 15)), At(17, 9))));
        Assert.That(firstExit.Then, Is.EqualTo(new Statement[] { new BreakStatement(At(17, 18)) }));
        var secondLoop = (WhileStatement)observer[4];
        Assert.That(secondLoop.Body, Has.Count.EqualTo(4));
        Assert.That(secondLoop.Body[2], Is.EqualTo(new Assignment(
            "r128",
            new Binary(BinaryOperator.Sub, new RegisterRead("r128", At(26, 5)), new Constant(1, At(26, 9)), At(26, 5)),
            At(26, 5))));
        Assert.That(((IfStatement)secondLoop.Body[3]).Then, Is.EqualTo(new Statement[] { new BreakStatement(At(28, 7)) }));
        Assert.That(test.Condition.Text, Is.EqualTo("exists (x=2 /\\ y=2 /\\ 0:r0=1 /\\ 0:r1=2)"));
    }
}
