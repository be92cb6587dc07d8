using Harness.Language;
using Harness.Language.Source;
using Harness.Mapping;
using Harness.Programs;
using Harness.Simulation;

namespace Harness.Tests.Language;

/// <summary>The C# dialect: what it accepts becomes the shared AST with the primitives written; what it does not is one error where it is.</summary>
public class CSharpParserTests
{
    private const string File = "cs.litmus";

    private const string MessagePassing = """
        CSharp MP+Volatile
        "Does a Volatile.Write/Volatile.Read pair publish a plain store?"
        { int x = 0; int y = 0; }
        P0 {
          x = 1;
          Volatile.Write(ref y, 1);
        }
        P1 {
          int r0 = Volatile.Read(ref y);
          int r1 = x;
        }
        exists (1:r0=1 /\ 1:r1=0)
        """;

    private static LitmusTest Parse(string text) => LitmusParser.Parse(text, File);

    /// <summary>A one-thread test: line 1 the name, 2 the initial state, 3 "P0 {", the body from line 4.</summary>
    private static string WithBody(string body, string fields = "int x = 0; int y = 0; volatile int v = 0; long w = 0; int[] a = { 0, 0 };",
        string condition = "exists (x=0)") =>
        $"CSharp T\n{{ {fields} }}\nP0 {{\n{body}\n}}\n{condition}\n";

    private static IReadOnlyList<Statement> Body(string body) => Parse(WithBody(body)).Threads[0].Body;

    private static Expression ValueOf(string body) => ((LocalDeclaration)Body(body)[^1]).Value!;

    private static IReadOnlyList<FinalState> States(LitmusTest test, ModelTarget target) => Simulator.Simulate(test, [target])[0].States;

    private static ModelTarget Sc => ModelCatalog.Target(ModelCatalog.Sc);
    private static ModelTarget Tso => ModelCatalog.Target(ModelCatalog.Tso);
    private static ModelTarget Arm64 => ModelCatalog.Target(ModelCatalog.Arm64, InstructionProfile.Arm64LseRcpc);

    private static Diagnostic SingleError(string text)
    {
        var exception = Assert.Throws<LitmusException>(() => Parse(text))!;
        Assert.That(exception.Diagnostics, Has.Count.EqualTo(1), string.Join("\n", exception.Diagnostics));
        return exception.Diagnostics[0];
    }

    // ------------------------------------------------------------------ the frame and the AST

    [Test]
    public void Message_passing_parses_to_the_shared_test_model()
    {
        var test = Parse(MessagePassing);
        Assert.Multiple(() =>
        {
            Assert.That(test.Architecture, Is.EqualTo("CSharp"));
            Assert.That(test.IsDotNetTest);
            Assert.That(test.Name, Is.EqualTo("MP+Volatile"));
            Assert.That(test.Comment, Is.EqualTo("Does a Volatile.Write/Volatile.Read pair publish a plain store?"));
            Assert.That(test.Locations, Is.EqualTo(new[] { "x", "y" }));
            Assert.That(test.Initial.Select(i => (i.Target.Name, i.Value)), Is.EqualTo(new[] { ("x", 0L), ("y", 0L) }));
            Assert.That(test.Threads, Has.Count.EqualTo(2));
            Assert.That(test.Condition.Text, Is.EqualTo("exists (1:r0=1 /\\ 1:r1=0)"));
        });
        var p0 = test.Threads[0].Body;
        var p1 = test.Threads[1].Body;
        Assert.Multiple(() =>
        {
            Assert.That(p0[0], Is.TypeOf<Store>().With.Property("Primitive").EqualTo(DotNetPrimitive.PlainStore));
            Assert.That(p0[1], Is.TypeOf<Store>().With.Property("Primitive").EqualTo(DotNetPrimitive.VolatileWrite)
                .And.Property("Order").EqualTo(MemoryOrder.Release));
            var r0 = (LocalDeclaration)p1[0];
            Assert.That(r0.Register, Is.EqualTo("r0"));
            Assert.That(r0.Value, Is.TypeOf<Load>().With.Property("Primitive").EqualTo(DotNetPrimitive.VolatileRead)
                .And.Property("Location").EqualTo("y"));
            Assert.That(((LocalDeclaration)p1[1]).Value, Is.TypeOf<Load>().With.Property("Primitive").EqualTo(DotNetPrimitive.PlainLoad));
            Assert.That(p1[0].Span, Is.EqualTo(new SourceSpan(File, 9, 7)));
        });
    }

    [Test]
    public void Message_passing_with_volatile_is_never_stale_under_sc_tso_and_arm64()
    {
        var test = Parse(MessagePassing);
        var stale = new FinalState([StateKey.Register(1, "r0"), StateKey.Register(1, "r1")], [1, 0]);
        Assert.Multiple(() =>
        {
            Assert.That(States(test, Sc).Select(s => s.ToString()),
                Is.EquivalentTo(new[] { "1:r0=0; 1:r1=0;", "1:r0=0; 1:r1=1;", "1:r0=1; 1:r1=1;" }));
            Assert.That(States(test, Tso), Does.Not.Contain(stale));
            Assert.That(States(test, Arm64), Does.Not.Contain(stale));
        });
    }

    [Test]
    public void Plain_message_passing_is_stale_on_arm64_only()
    {
        var test = Parse(MessagePassing.Replace("Volatile.Write(ref y, 1);", "y = 1;").Replace("Volatile.Read(ref y)", "y"));
        var stale = new FinalState([StateKey.Register(1, "r0"), StateKey.Register(1, "r1")], [1, 0]);
        Assert.Multiple(() =>
        {
            Assert.That(States(test, Sc), Does.Not.Contain(stale));
            Assert.That(States(test, Tso), Does.Not.Contain(stale));
            Assert.That(States(test, Arm64), Does.Contain(stale));
        });
    }

    [Test]
    public void A_volatile_field_is_read_and_written_with_volatile_semantics()
    {
        var body = Body("v = 1;\nint r0 = v;");
        Assert.Multiple(() =>
        {
            Assert.That(body[0], Is.TypeOf<Store>().With.Property("Primitive").EqualTo(DotNetPrimitive.VolatileWrite));
            Assert.That(((LocalDeclaration)body[1]).Value, Is.TypeOf<Load>().With.Property("Primitive").EqualTo(DotNetPrimitive.VolatileRead));
        });
    }

    [TestCase("int r0 = Interlocked.Exchange(ref x, 2);", InterlockedMethod.Exchange, RmwOperation.Exchange, DotNetPrimitive.InterlockedExchange)]
    [TestCase("int r0 = Interlocked.Add(ref x, 2);", InterlockedMethod.Add, RmwOperation.Add, DotNetPrimitive.InterlockedAdd)]
    [TestCase("int r0 = Interlocked.Increment(ref x);", InterlockedMethod.Increment, RmwOperation.Add, DotNetPrimitive.InterlockedAdd)]
    [TestCase("int r0 = Interlocked.Decrement(ref x);", InterlockedMethod.Decrement, RmwOperation.Sub, DotNetPrimitive.InterlockedAdd)]
    [TestCase("int r0 = Interlocked.And(ref x, 2);", InterlockedMethod.And, RmwOperation.And, DotNetPrimitive.InterlockedAnd)]
    [TestCase("int r0 = Interlocked.Or(ref x, 2);", InterlockedMethod.Or, RmwOperation.Or, DotNetPrimitive.InterlockedOr)]
    [TestCase("int r0 = System.Threading.Interlocked.Or(ref x, 2);", InterlockedMethod.Or, RmwOperation.Or, DotNetPrimitive.InterlockedOr)]
    public void Each_interlocked_method_names_its_primitive(string statement, InterlockedMethod method, RmwOperation operation, DotNetPrimitive primitive)
    {
        var rmw = (ReadModifyWrite)ValueOf(statement);
        Assert.Multiple(() =>
        {
            Assert.That(rmw.Method, Is.EqualTo(method));
            Assert.That(rmw.Operation, Is.EqualTo(operation));
            Assert.That(rmw.Primitive, Is.EqualTo(primitive));
            Assert.That(rmw.Order, Is.EqualTo(MemoryOrder.SeqCst), "every Interlocked method is a full barrier");
        });
    }

    [TestCase("Interlocked.MemoryBarrier();", DotNetPrimitive.MemoryBarrier, "Interlocked.MemoryBarrier")]
    [TestCase("Thread.MemoryBarrier();", DotNetPrimitive.MemoryBarrier, "Thread.MemoryBarrier")]
    [TestCase("Volatile.ReadBarrier();", DotNetPrimitive.ReadBarrier, "Volatile.ReadBarrier")]
    [TestCase("Volatile.WriteBarrier();", DotNetPrimitive.WriteBarrier, "Volatile.WriteBarrier")]
    public void Each_barrier_names_its_primitive_and_the_method_written(string statement, DotNetPrimitive primitive, string method)
    {
        var fence = (Fence)Body(statement)[0];
        Assert.That((fence.Primitive, fence.Method), Is.EqualTo((primitive, method)));
    }

    /// <summary>Interlocked.Add, Increment and Decrement return the new value; Exchange, And, Or and CompareExchange the old one.</summary>
    [TestCase("int r0 = Interlocked.Add(ref x, 2);", 7)]
    [TestCase("int r0 = Interlocked.Increment(ref x);", 6)]
    [TestCase("int r0 = Interlocked.Decrement(ref x);", 4)]
    [TestCase("int r0 = Interlocked.Exchange(ref x, 9);", 5)]
    [TestCase("int r0 = Interlocked.And(ref x, 4);", 5)]
    [TestCase("int r0 = Interlocked.Or(ref x, 2);", 5)]
    [TestCase("int r0 = Interlocked.CompareExchange(ref x, 9, 5);", 5)]
    [TestCase("int r0 = Interlocked.CompareExchange(ref x, 9, 1);", 5)]
    public void Interlocked_results_are_what_csharp_returns(string statement, long expected)
    {
        var test = Parse($"CSharp T\n{{ int x = 5; }}\nP0 {{\n{statement}\n}}\nexists (0:r0={expected})\n");
        var states = States(test, Sc);
        Assert.That(states.Select(s => s.ToString()), Is.EqualTo(new[] { $"0:r0={expected};" }));
    }

    [TestCase("Interlocked.CompareExchange(ref x, 9, 5);", 9)]
    [TestCase("Interlocked.CompareExchange(ref x, 9, 1);", 5)]
    [TestCase("Interlocked.Decrement(ref x);", 4)]
    [TestCase("Interlocked.And(ref x, 4);", 4)]
    public void An_interlocked_call_whose_result_is_unused_still_writes(string statement, long expected)
    {
        var test = Parse($"CSharp T\n{{ int x = 5; }}\nP0 {{\n{statement}\n}}\nexists (x={expected})\n");
        Assert.That(test.Threads[0].Body[0], Is.TypeOf<ExpressionStatement>());
        Assert.That(States(test, Sc).Select(s => s.ToString()), Is.EqualTo(new[] { $"x={expected};" }));
    }

    [Test]
    public void Arrays_are_consecutive_locations_named_by_element()
    {
        var test = Parse("CSharp T\n{ int x = 0; int[] a = { 3, 4, 5 }; long z = 7; }\nP0 {\nint r0 = a[2];\na[1] = r0;\n}\nexists (a[1]=5 /\\ z=7)\n");
        Assert.Multiple(() =>
        {
            Assert.That(test.Locations, Is.EqualTo(new[] { "x", "a[0]", "a[1]", "a[2]", "z" }));
            Assert.That(test.Initial.Select(i => i.Value), Is.EqualTo(new[] { 0L, 3, 4, 5, 7 }));
            Assert.That(((LocalDeclaration)test.Threads[0].Body[0]).Value, Is.TypeOf<Load>().With.Property("Location").EqualTo("a[2]")
                .And.Property("Index").Null);
            Assert.That(States(test, Sc).Select(s => s.ToString()), Is.EqualTo(new[] { "a[1]=5; z=7;" }));
        });
    }

    [Test]
    public void Control_flow_and_loops_become_the_shared_statements()
    {
        var body = Body("int r0 = 0;\nif (r0 == 1) { x = 1; } else if (r0 == 2) x = 2; else { y = 3; }\nwhile (Volatile.Read(ref y) == 0) { r0++; if (r0 > 3) break; }\nr0 += 2;");
        Assert.Multiple(() =>
        {
            var conditional = (IfStatement)body[1];
            Assert.That(conditional.Else.Single(), Is.TypeOf<IfStatement>());
            var loop = (WhileStatement)body[2];
            Assert.That(loop.Body[0], Is.TypeOf<Assignment>());
            Assert.That(loop.Body[1], Is.TypeOf<IfStatement>().With.Property("Then").One.TypeOf<BreakStatement>());
            Assert.That(body[3], Is.TypeOf<Assignment>().With.Property("Value").TypeOf<Binary>());
        });
    }

    [Test]
    public void A_spin_loop_is_bounded_and_its_cut_executions_reported()
    {
        var test = Parse("CSharp T\n{ int x = 0; int y = 0; }\nP0 {\nx = 1;\nVolatile.Write(ref y, 1);\n}\nP1 {\nwhile (Volatile.Read(ref y) == 0) { }\nint r0 = x;\n}\nexists (1:r0=0)\n");
        var result = Simulator.Simulate(test, [Arm64], new SimulationOptions { LoopBound = 2 })[0];
        Assert.Multiple(() =>
        {
            Assert.That(result.CutExecutions, Is.GreaterThan(0));
            Assert.That(result.States.Select(s => s.ToString()), Is.EqualTo(new[] { "1:r0=1;" }));
        });
    }

    [Test]
    public void The_condition_names_locals_fields_and_elements()
    {
        var test = Parse("CSharp T\n{ int x = 0; int[] a = { 0, 0 }; }\nP0 {\nint r0 = x;\n}\nlocations [x; a[1];]\nexists (0:r0=0 /\\ [x]=0 \\/ ~(a[0]=1))\n");
        Assert.That(test.ExtraLocations.Select(k => k.ToString()), Is.EqualTo(new[] { "x", "a[1]" }));
        Assert.That(Lowering.ObservedKeys(test).Select(k => k.ToString()), Is.EqualTo(new[] { "0:r0", "a[0]", "a[1]", "x" }));
    }

    [Test]
    public void Comments_headers_and_a_byte_order_mark_are_read_as_in_herd()
    {
        var test = Parse("\uFEFF// a C# test\n(* herd's comment *)\nCSharp T\nKey=Value\n\"question\"\n{ int x = 0; /* x */ }\nP0 { // thread\n x = 1; }\nexists (x=1) // end\n");
        Assert.Multiple(() =>
        {
            Assert.That(test.Headers.Single(), Is.EqualTo(new KeyValuePair<string, string>("Key", "Value")));
            Assert.That(test.Comment, Is.EqualTo("question"));
            Assert.That(test.Threads[0].Body.Single().Span, Is.EqualTo(new SourceSpan(File, 8, 2)));
        });
    }

    [Test]
    public void Cpp_models_do_not_apply_and_say_so()
    {
        var test = Parse(MessagePassing);
        Assert.That(Simulator.ApplicableModels(test).Select(m => m.Name), Is.EqualTo(new[] { "sc", "tso", "arm64", "net", "net-weak" }));
        var result = Simulator.Simulate(test, [ModelCatalog.Target(ModelCatalog.Cpp20)]).Single();
        Assert.That(result.NotApplicable, Does.Contain(".NET primitives"));
    }

    // ------------------------------------------------------------------ errors: one, where it is, saying what to write

    [TestCase("for (int i = 0; i < 2; i++) { }", 4, 1, "'for' loops are not supported: write a 'while' loop")]
    [TestCase("do { } while (x == 0);", 4, 1, "'do' loops are not supported")]
    [TestCase("int r0 = Volatile.Read(x);", 4, 24, "Volatile.Read takes its location by reference: write 'ref x'")]
    [TestCase("int r0 = Interlocked.Exchange(ref r9, 1);", 4, 35, "'r9' is not a field of the initial state")]
    [TestCase("int r1 = 0;\nint r0 = Volatile.Read(ref r1);", 5, 28, "'r1' is a local of P0, not shared memory")]
    [TestCase("int r0 = z;", 4, 10, "'z' is neither a local of P0 nor a field of the initial state")]
    [TestCase("int r0 = a;", 4, 10, "'a' is an array: read an element, as in 'a[0]'")]
    [TestCase("int r0 = a[2];", 4, 12, "index 2 is outside 'a', whose indices go from 0 to 1")]
    [TestCase("int x = 1;", 4, 5, "local 'x' would hide the field 'x'")]
    [TestCase("int r0 = 1;\nint r0 = 2;", 5, 5, "local 'r0' is already declared in P0")]
    [TestCase("string s = \"\";", 4, 1, "a local of a litmus thread is an 'int' or a 'long'")]
    [TestCase("Console.WriteLine(x);", 4, 1, "'Console.WriteLine' is not supported")]
    [TestCase("Thread.Sleep(1);", 4, 1, "Thread.Sleep is not supported")]
    [TestCase("int r0 = Interlocked.Read(ref w);", 4, 10, "Interlocked.Read is not supported")]
    [TestCase("int r0 = Interlocked.Exchange<int>(ref x, 1);", 4, 22, "without type arguments")]
    [TestCase("int r0 = Interlocked.Add(ref x);", 4, 25, "Interlocked.Add takes 2 arguments, not 1")]
    [TestCase("int r0 = Interlocked.Add(location1: ref x, value: 1);", 4, 26, "named arguments are not supported")]
    [TestCase("int r0 = x > 0 ? 1 : 2;", 4, 10, "'?:' is not supported: write an 'if'/'else'")]
    [TestCase("if (x) { }", 4, 5, "the condition of 'if' is a bool in C#")]
    [TestCase("lock (this) { }", 4, 1, "'lock' is not supported")]
    [TestCase("return;", 4, 1, "'return' is not supported in a thread")]
    [TestCase("break;", 4, 1, "'break' outside a loop")]
    [TestCase("x + 1;", 4, 1, "only an assignment, '++', '--' or a call can be a statement")]
    [TestCase("int r0 = 1.5;", 4, 10, "'1.5' is not an integer")]
    [TestCase("int r0 = this.x;", 4, 10, "'this.x' is not supported")]
    [TestCase("int r0 = (r1 = 2);", 4, 11, "an assignment inside an expression is not supported")]
    [TestCase("Interlocked.MemoryBarrier(1);", 4, 26, "Interlocked.MemoryBarrier takes 0 arguments, not 1")]
    [TestCase("int r0 = Thread.MemoryBarrier();", 4, 10, "Thread.MemoryBarrier returns nothing")]
    [TestCase("x = 1", 4, 6, "C# syntax: ; expected")]
    public void An_unsupported_statement_is_one_error_where_it_is(string body, int line, int column, string fragment)
    {
        var error = SingleError(WithBody(body));
        Assert.Multiple(() =>
        {
            Assert.That(error.Span, Is.EqualTo(new SourceSpan(File, line, column)), error.ToString());
            Assert.That(error.Message, Does.Contain(fragment));
        });
    }

    [TestCase("string s = \"\";", 2, 3, "a field of a litmus test is an 'int', a 'long' or an 'int[]'")]
    [TestCase("volatile long w = 0;", 2, 12, "C# has no volatile 'long' field")]
    [TestCase("volatile int[] a = { 0 };", 2, 12, "'volatile' on an array makes the reference volatile")]
    [TestCase("public int x = 0;", 2, 3, "modifier 'public' has no meaning")]
    [TestCase("int x = 0; int x = 1;", 2, 18, "field 'x' is declared twice")]
    [TestCase("int x = y;", 2, 11, "expected an integer constant, found 'y'")]
    [TestCase("int[] a;", 2, 9, "give array 'a' its elements")]
    [TestCase("int[] a = new int[17];", 2, 9, "array 'a' has 17 elements: a litmus test's array has 1 to 16")]
    [TestCase("int x = 0", 2, 13, "C# syntax: Syntax error, ',' expected")]
    [TestCase("void F() { }", 2, 3, "the initial state holds field declarations only")]
    public void An_unsupported_field_is_one_error_where_it_is(string fields, int line, int column, string fragment)
    {
        var error = SingleError($"CSharp T\n{{ {fields} }}\nP0 {{\n}}\nexists (0:r0=0)\n".Replace("exists (0:r0=0)", "exists (true)"));
        Assert.Multiple(() =>
        {
            Assert.That(error.Span, Is.EqualTo(new SourceSpan(File, line, column)), error.ToString());
            Assert.That(error.Message, Does.Contain(fragment));
        });
    }

    [TestCase("exists (1:r0=1)", 6, 9, "'1:r0' refers to thread P1, which does not exist")]
    [TestCase("exists (0:r5=1)", 6, 11, "P0 declares no local 'r5'")]
    [TestCase("exists (0:x=1)", 6, 11, "'x' is a field, not a local of P0")]
    [TestCase("exists (r0=1)", 6, 9, "a local needs its thread, as in '1:r0'")]
    [TestCase("exists (a=1)", 6, 10, "'a' is an array: name an element, as in 'a[0]'")]
    [TestCase("exists (a[7]=1)", 6, 11, "expected an index of 'a' from 0 to 1")]
    [TestCase("exists (x=y)", 6, 11, "expected an integer value for 'x'")]
    [TestCase("exists (x=1) junk", 6, 14, "unexpected 'junk' after the final condition")]
    [TestCase("P2 { }\nexists (x=1)", 6, 1, "expected thread 'P1' here")]
    [TestCase("", 7, 1, "expected another thread or the final condition ('exists', '~exists' or 'forall'), found end of file")]
    public void A_bad_condition_is_one_error_where_it_is(string condition, int line, int column, string fragment)
    {
        var error = SingleError(WithBody("int r0 = x;", condition: condition));
        Assert.Multiple(() =>
        {
            Assert.That(error.Span, Is.EqualTo(new SourceSpan(File, line, column)), error.ToString());
            Assert.That(error.Message, Does.Contain(fragment));
        });
    }

    /// <summary>Files a user could hand the harness: each gives errors, every one placed inside the file, and no exception escapes.</summary>
    [TestCase("CSharp")]
    [TestCase("CSharp T")]
    [TestCase("CSharp T\n{")]
    [TestCase("CSharp T\n{ int x = 0; }")]
    [TestCase("CSharp T\n{ int x = 0; }\nP0 {")]
    [TestCase("CSharp T\n{ int x = 0; }\nP0 { x = 1; }")]
    [TestCase("CSharp T\n{ int x = 0; }\nP0 { x = 1; }\nexists (")]
    [TestCase("CSharp T\n{ int x = 0; }\nP0 (int* x) { x = 1; }\nexists (x=1)")]
    [TestCase("CSharp T\n{ int x = 0; }\nP0 { x = 1; } }\nexists (x=1)")]
    [TestCase("CSharp T\n{ int x = 0; }\nP0 { /* x = 1; }\nexists (x=1)")]
    [TestCase("CSharp T\n\"unterminated\n{ int x = 0; }\nP0 { x = 1; }\nexists (x=1)")]
    [TestCase("CSharp T\n{ int x = 0; }\nP0 { x = \"s; }\nexists (x=1)")]
    [TestCase("CSharp T\n{ int x = 0; }\nP0 { x = 1; }\nP1 { int r0 = x; while (r0 == 0 { } }\nexists (x=1)")]
    [TestCase("CSharp T\n{ int x = 0; }\nP0 { x = 1; }\n\0exists (x=1)")]
    [TestCase("CSharp T\n{ int x = 0; }\nP0 { if (x == 1) { Volatile.Write(ref x, } }\nexists (x=1)")]
    [TestCase("CSharp T\n{ int x = 0; }\nP0 { int r0 = ((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((x))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))); }\nexists (x=1)")]
    public void A_malformed_file_gives_placed_errors(string text)
    {
        var exception = Assert.Throws<LitmusException>(() => Parse(text))!;
        var lines = text.Split('\n').Length;
        Assert.That(exception.Diagnostics, Is.Not.Empty);
        foreach (var diagnostic in exception.Diagnostics)
            Assert.That(diagnostic.Span.Line, Is.InRange(1, lines), diagnostic.ToString());
    }
}
