using Harness.Language;
using NUnit.Framework;
using static Harness.Tests.Language.LitmusText;
using Harness.Programs;
using Harness.Language.Source;

namespace Harness.Tests.Language;

/// <summary>
/// Bad inputs: each must give exactly one diagnostic (no cascade), at the right place, saying
/// what was expected and what was found.
/// </summary>
[TestFixture]
public sealed class LitmusParserErrorTests
{
    private static void AssertSingleError(string source, int line, int column, string fragment)
    {
        var errors = Errors(source);
        Assert.That(errors, Has.Count.EqualTo(1), string.Join("\n", errors));
        Assert.That(errors[0].Span, Is.EqualTo(At(line, column)), errors[0].ToString());
        Assert.That(errors[0].Message, Does.Contain(fragment));
    }

    // Body errors: the body starts on line 4; the thread's parameters are x and y.
    [TestCase("int r0 = atomic_load_explicit(x, memory_order_foo);", 4, 34, "unknown memory order 'memory_order_foo'")]
    [TestCase("atomic_fetch_xor_explicit(x, 1, memory_order_relaxed);", 4, 1, "'atomic_fetch_xor_explicit' is not supported: .NET has no Interlocked xor")]
    [TestCase("int r0 = atomic_fetch_xor(x, 1);", 4, 10, "'atomic_fetch_xor' is not supported")]
    [TestCase("foo(x);", 4, 1, "unknown function 'foo'")]
    [TestCase("int r0 = bar(x, 1) + 1;", 4, 10, "unknown function 'bar'")]
    [TestCase("int r0 = atomic_load_explicit(x);", 4, 10, "'atomic_load_explicit' expects 2 arguments (location, memory order), found 1")]
    [TestCase("atomic_thread_fence(memory_order_relaxed, memory_order_relaxed);", 4, 1, "'atomic_thread_fence' expects 1 argument (memory order), found 2")]
    [TestCase("atomic_store(x);", 4, 1, "'atomic_store' expects 2 arguments (location, value), found 1")]
    [TestCase("int r0 = atomic_compare_exchange_strong_explicit(x, y, 1, memory_order_relaxed);", 4, 10, "expects 5 arguments")]
    [TestCase("atomic_store_explicit(x, 1, memory_order_acquire);", 4, 29, "'memory_order_acquire' is not a valid order for a store: C++ forbids")]
    [TestCase("atomic_store_explicit(x, 1, memory_order_acq_rel);", 4, 29, "not a valid order for a store")]
    [TestCase("atomic_store_explicit(x, 1, memory_order_consume);", 4, 29, "not a valid order for a store")]
    [TestCase("int r0 = atomic_load_explicit(x, memory_order_release);", 4, 34, "'memory_order_release' is not a valid order for a load: C++ forbids")]
    [TestCase("int r0 = atomic_load_explicit(x, memory_order_acq_rel);", 4, 34, "not a valid order for a load")]
    [TestCase("int r0 = atomic_compare_exchange_strong_explicit(x, y, 1, memory_order_seq_cst, memory_order_release);", 4, 81, "not a valid failure order for a compare-exchange")]
    [TestCase("int r0 = atomic_compare_exchange_weak_explicit(x, y, 1, memory_order_seq_cst, memory_order_acq_rel);", 4, 79, "not a valid failure order")]
    [TestCase("int r0 = atomic_load_explicit(x, 5);", 4, 34, "expected a memory order such as 'memory_order_relaxed' as argument 2 of 'atomic_load_explicit', found '5'")]
    [TestCase("int r0 = atomic_load_explicit(x, relaxed);", 4, 34, "expected a memory order such as 'memory_order_relaxed' as argument 2 of 'atomic_load_explicit', found 'relaxed'")]
    [TestCase("atomic_store(z, 1);", 4, 14, "'z' is not a parameter of P0")]
    [TestCase("*z = 1;", 4, 2, "'z' is not a parameter of P0")]
    [TestCase("int r0 = atomic_compare_exchange_strong(x, e, 2);", 4, 44, "'e' is not a parameter of P0")]
    [TestCase("int r0 = atomic_load_explicit(&x, memory_order_relaxed);", 4, 31, "expected a location (a parameter of P0) as argument 1 of 'atomic_load_explicit', found '&': locations are passed as pointers")]
    [TestCase("int r0 = atomic_compare_exchange_strong(x, 1, 2);", 4, 44, "expected a location (a parameter of P0) as argument 2")]
    [TestCase("int r0 = r9 + r9;", 4, 10, "register 'r9' is used before being declared or assigned in P0")]
    [TestCase("int r0 = r0;", 4, 10, "register 'r0' is used before being declared or assigned in P0")]
    [TestCase("int r0 = 1; int r0 = 2;", 4, 17, "register 'r0' is declared twice in P0")]
    [TestCase("int x = 1;", 4, 5, "'x' is a parameter of P0 and cannot also be declared as a register")]
    [TestCase("int* r0 = 0;", 4, 6, "pointer-typed local 'r0' is not supported")]
    [TestCase("x = 1;", 4, 1, "cannot assign to location 'x': write '*x = ...'")]
    [TestCase("int r0 = x;", 4, 10, "'x' is a location: read it with '*x' or atomic_load_explicit")]
    [TestCase("int r0 = atomic_store(x, 1);", 4, 10, "'atomic_store' returns void: it cannot be used as a value")]
    [TestCase("int r0 = memory_order_relaxed;", 4, 10, "'memory_order_relaxed' can only be an argument of an atomic operation")]
    [TestCase("atomic_store(x, 1)", 4, 19, "expected ';' after statement, found '}'")]
    [TestCase("atomic_store(x, 1) atomic_store(y, 1);", 4, 19, "expected ';' after statement, found 'atomic_store'")]
    [TestCase("int r0 = 99999999999999999999;", 4, 10, "integer constant '99999999999999999999' is out of range: values are 32-bit ints, from -2147483648 to 2147483647")]
    [TestCase("int r0 = 2147483648;", 4, 10, "integer constant '2147483648' is out of range")]
    [TestCase("int r0 = -2147483649;", 4, 11, "integer constant '-2147483649' is out of range")]
    [TestCase("int r0 = 0x100000000;", 4, 10, "is out of range")]
    [TestCase("atomic_thread_fence memory_order_relaxed;", 4, 21, "expected '(' after 'atomic_thread_fence', found 'memory_order_relaxed'")]
    [TestCase("int memory_order_relaxed = 1;", 4, 5, "'memory_order_relaxed' cannot be used as a register name")]
    [TestCase("atomic_load = 1;", 4, 13, "expected '(' after 'atomic_load', found '='")]
    [TestCase("memory_order_seq_cst = 1;", 4, 1, "'memory_order_seq_cst' cannot be used as a register name")]
    [TestCase("int r0 = 12L;", 4, 10, "invalid integer constant '12L'")]
    [TestCase("int r0 = 0xZ1;", 4, 10, "invalid integer constant '0xZ1'")]
    [TestCase("int r0 = (1 + 2;", 4, 16, "expected ')' to close '(', found ';'")]
    [TestCase("int r0 = 1 +;", 4, 13, "expected an expression, found ';'")]
    [TestCase("int r0 = ;", 4, 10, "expected an expression, found ';'")]
    [TestCase("int;", 4, 4, "expected a register name after 'int', found ';'")]
    [TestCase("else atomic_store(x, 1);", 4, 1, "'else' without a matching 'if'")]
    [TestCase("for (;1;) { }", 4, 1, "'for' statements are not supported, except the endless 'for (;;)' that diy7 writes")]
    [TestCase("return;", 4, 1, "'return' statements are not supported")]
    [TestCase("if 1 { }", 4, 4, "expected '(' after 'if', found '1'")]
    [TestCase("while (1 { }", 4, 10, "expected ')' to close the condition of 'while', found '{'")]
    [TestCase("int r0 = 1 ? 2 : 3;", 4, 12, "unexpected character '?'")]
    [TestCase("int r0 = 1 @ 2;", 4, 12, "unexpected character '@'")]
    [TestCase("int r0 = 1; /* never closed", 4, 13, "unterminated comment")]
    [TestCase("int r0 = 1;\nint r1 = r0 +\n", 7, 1, "expected an expression, found '}'")]
    // Recovery keeps what later statements need: one problem, one diagnostic.
    [TestCase("int r0 = 0;\nif (r0 == 1 {\n  int r1 = 1;\n}\nint r2 = r1;", 5, 13, "expected ')' to close the condition of 'if', found '{'")]
    [TestCase("int r0 = atomic_load_explicit(x, memory_order_acquire;\nint r1 = r0;", 4, 54, "expected ')' to close the arguments of 'atomic_load_explicit', found ';'")]
    [TestCase("int r0 = 1\nint r1 = r0;", 4, 11, "expected ';' after statement, found 'int'")]
    [TestCase("for (int i = 0; i < 2; i = i + 1) { r0 = i; }\nint r1 = i + r0;", 4, 1, "'for' statements are not supported")]
    [TestCase("int r0 = (;\nint r1 = r0;", 4, 11, "expected an expression, found ';'")]
    // A syntax error withdraws the complaints of meaning about its own statement (here 'r9'), and
    // an unknown location is reported once, not at every use.
    [TestCase("int r0 = r9 + ;", 4, 15, "expected an expression, found ';'")]
    [TestCase("atomic_store(z, 1);\natomic_store(z, 2);", 4, 14, "'z' is not a parameter of P0")]
    public void BodyError(string body, int line, int column, string fragment)
    {
        AssertSingleError(WithBody(body), line, column, fragment);
    }

    [TestCase("", 1, 1, "expected a litmus test starting with 'C <test name>', found end of file")]
    [TestCase("   \n\n  // only a comment\n", 1, 1, "found end of file")]
    [TestCase("PPC SB\n{ x=0; }\n P0 ;\n li r1,1 ;\nexists (x=0)\n", 1, 1, "architecture 'PPC' is not supported by the C parser")]
    [TestCase("RISCV MP\n{}\n", 1, 1, "architecture 'RISCV' is not supported by the C parser")]
    [TestCase("+C T\n", 1, 1, "expected an architecture name such as 'C' at the start of the test, found '+'")]
    [TestCase("C\n{}\nP0 (atomic_int* x) { int r0 = 0; }\nexists (x=0)\n", 1, 2, "expected a test name after 'C'")]
    [TestCase("C T\n\"never closed\n{}\n", 2, 1, "unterminated comment string")]
    [TestCase("C T\nthis is not a header\nneither is this\n{}\nP0 (atomic_int* x) { int r0 = 0; }\nexists (x=0)\n", 2, 1, "expected a 'Key=Value' header line or the initial state '{', found 'this'")]
    [TestCase("C T\n(* never closed\n{}\n", 2, 1, "unterminated comment: '(*' has no matching '*)'")]
    [TestCase("C T\n{ x=0; x=1; }\nP0 (atomic_int* x) { int r0 = 0; }\nexists (x=0)\n", 2, 8, "'x' is initialised twice")]
    [TestCase("C T\n{ x=y; }\nP0 (atomic_int* x) { int r0 = 0; }\nexists (x=0)\n", 2, 5, "expected an integer initial value for 'x', found 'y' (pointer values are not supported)")]
    [TestCase("C T\n{ int* p = 0; }\nP0 (atomic_int* x) { int r0 = 0; }\nexists (x=0)\n", 2, 3, "pointer-typed location 'p' is not supported")]
    [TestCase("C T\n{ x=0 y=0; }\nP0 (atomic_int* x) { int r0 = 0; }\nexists (x=0)\n", 2, 7, "expected ';' after an initial value, found 'y'")]
    [TestCase("C T\n{ 5:r0=1; }\nP0 (atomic_int* x) { int r0 = 0; }\nexists (x=0)\n", 2, 3, "'5:r0' initialises a register of thread P5, which does not exist")]
    [TestCase("C T\n{ x=0;\nP0 (atomic_int* x) { int r0 = 0; }\nexists (x=0)\n", 3, 1, "expected '}' to close the initial state, found 'P0'")]
    [TestCase("C T\n{}\nP0 (atomic_int* x) {\n  atomic_store(x, 1);\n", 5, 1, "unexpected end of file in thread P0: missing '}'")]
    [TestCase("C T\n{}\nP0 (atomic_int* x) {\n  atomic_store(x, 1);\n\nexists (x=1)\n", 6, 1, "expected '}' to close thread P0 before 'exists'")]
    [TestCase("C T\n{}\nP0 (atomic_int* x) {\n  if (1) {\n\nP1 (atomic_int* x) { int r0 = 0; }\nexists (x=1)\n", 6, 1, "expected '}' to close thread P0 before 'P1'")]
    [TestCase("C T\n{}\nP0 (atomic_int* x) { int r0 = 0; }\nP2 (atomic_int* x) { int r0 = 0; }\nexists (x=1)\n", 4, 1, "expected thread P1, found P2: threads are numbered in order from P0")]
    [TestCase("C T\n{}\nP0 (atomic_int* x) { int r0 = 0; }\nP0 (atomic_int* x) { int r0 = 0; }\nexists (x=1)\n", 4, 1, "thread P0 is defined twice")]
    [TestCase("C T\n{}\nP0 (atomic_int* x) { int r0 = 0; }\nP0 (atomic_int* x) { int r0 = 0; }\nP1 (atomic_int* x) { int r0 = 0; }\nexists (x=1)\n", 4, 1, "thread P0 is defined twice")]
    [TestCase("C T\n{}\nP0 (atomic_int* x) {\n  atomic_store(x, 1)", 4, 21, "unexpected end of file in thread P0: missing '}'")]
    [TestCase("C T\n{}\nP1 (atomic_int* x) { int r0 = 0; }\nexists (x=1)\n", 3, 1, "expected thread P0, found P1")]
    [TestCase("C T\n{}\nexists (x=1)\n", 3, 1, "expected a thread such as 'P0 (atomic_int* x) { ... }', found 'exists'")]
    [TestCase("C T\n{}\nP0 (atomic_int* x) { int r0 = 0; }\nQ1 (atomic_int* x) { }\nexists (x=1)\n", 4, 1, "expected a thread such as 'P1 (atomic_int* x) { ... }', found 'Q1'")]
    [TestCase("C T\n{}\nP0 (int x) { int r0 = 0; }\nexists (x=1)\n", 3, 5, "parameter 'x' of P0 must be a pointer, such as 'atomic_int* x'")]
    [TestCase("C T\n{}\nP0 (int** x) { int r0 = 0; }\nexists (x=1)\n", 3, 5, "unsupported parameter type 'int * *'")]
    [TestCase("C T\n{}\nP0 (atomic_int* x, int* x) { int r0 = 0; }\nexists (x=1)\n", 3, 25, "parameter 'x' appears twice in P0")]
    [TestCase("C T\n{}\nP0 (atomic_int* x,) { int r0 = 0; }\nexists (x=1)\n", 3, 19, "expected a parameter such as 'atomic_int* x' in the parameters of P0, found ')'")]
    [TestCase("C T\n{}\nP0 atomic_int* x) { int r0 = 0; }\nexists (x=1)\n", 3, 4, "expected '(' after P0, found 'atomic_int'")]
    [TestCase("C T\n{}\nP0 (atomic_int* x)\nexists (x=1)\n", 4, 1, "expected '{' to start the body of P0, found 'exists'")]
    [TestCase("C T\n{}\nP0 (int x, atomic_int* +) { int r0 = 0; }\nexists (x=1)\n", 3, 24, "expected a parameter such as 'atomic_int* x' in the parameters of P0, found '+'")]
    public void FrameError(string source, int line, int column, string fragment)
    {
        AssertSingleError(source, line, column, fragment);
    }

    [TestCase("exists (0:r5=1)", 6, 9, "register 'r5' is never declared or assigned in P0")]
    [TestCase("exists (3:r0=1)", 6, 9, "'3:r0' refers to thread P3, which does not exist")]
    [TestCase("exists (99999999999:r0=1)", 6, 9, "invalid thread number '99999999999'")]
    [TestCase("exists (z=1)", 6, 9, "location 'z' is not in the test")]
    [TestCase("exists ([z]=1)", 6, 9, "location 'z' is not in the test")]
    [TestCase("exists (x=1) foo", 6, 14, "unexpected 'foo' after the final condition")]
    [TestCase("exists (x=1) /\\ y=1)", 6, 20, "unexpected ')' after the final condition")]
    [TestCase("exists (x 1)", 6, 11, "expected '=' after 'x' in the final condition, found '1'")]
    [TestCase("exists (x=y)", 6, 11, "expected an integer value for 'x', found 'y' (comparing with addresses is not supported)")]
    [TestCase("exists (x=1 /\\ )", 6, 16, "expected a register such as '1:r0' or a location such as 'x' in the final condition, found ')'")]
    [TestCase("exists (x=1", 7, 1, "expected ')' to close '(' in the final condition, found end of file")]
    [TestCase("exists (0:=1)", 6, 11, "expected a register name after '0:', found '='")]
    [TestCase("", 7, 1, "expected the final condition ('exists', '~exists' or 'forall'), found end of file")]
    [TestCase("exist (x=1)", 6, 1, "expected a thread such as 'P1 (atomic_int* x) { ... }', found 'exist'")]
    [TestCase("filter (x=1)\nexists (x=1)", 6, 1, "'filter' clauses are not supported")]
    [TestCase("locations [z;]\nexists (x=1)", 6, 12, "location 'z' is not in the test")]
    [TestCase("locations [x; 0:r7]\nexists (x=1)", 6, 15, "register 'r7' is never declared or assigned in P0")]
    [TestCase("locations x;\nexists (x=1)", 6, 11, "expected '[' after 'locations', found 'x'")]
    public void ConditionError(string condition, int line, int column, string fragment)
    {
        AssertSingleError(WithBody("int r0 = 1;", condition: condition), line, column, fragment);
    }

    [Test]
    public void IndependentProblemsAreAllReportedInSourceOrder()
    {
        const string source = """
            C T
            { x=0; }
            P0 (atomic_int* x, atomic_int* y) {
              int r0 = atomic_load_explicit(x, memory_order_foo);
              int r1 = r0 + ;
              atomic_store_explicit(y, r1, memory_order_acquire);
              atomic_fetch_xor_explicit(x, 1, memory_order_relaxed);
            }
            P1 (atomic_int* y) {
              atomic_store(x, 1)
              int r0 = atomic_load(y);
            }
            exists (0:r0=1 /\ 1:r0=0 /\ 1:r9=0)
            """;

        var errors = Errors(source);

        Assert.That(errors.Select(error => (error.Span.Line, error.Span.Column)), Is.EqualTo(new[]
        {
            (4, 36), (5, 17), (6, 32), (7, 3), (10, 16), (10, 21), (13, 29),
        }), string.Join("\n", errors));
        Assert.That(errors.Select(error => error.Message), Is.EqualTo(new[]
        {
            "unknown memory order 'memory_order_foo'",
            "expected an expression, found ';'",
            "'memory_order_acquire' is not a valid order for a store: C++ forbids consume, acquire and acq_rel stores",
            "'atomic_fetch_xor_explicit' is not supported: .NET has no Interlocked xor",
            "'x' is not a parameter of P1",
            "expected ';' after statement, found 'int'",
            "register 'r9' is never declared or assigned in P1",
        }));
    }

    [Test]
    public void UnclosedBlocksDoNotChangeHowLaterCodeAndCommentsAreRead()
    {
        // After an unclosed block, '(*x)' must still be a load in thread code and '(* ... *)' a comment in the frame.
        const string source = """
            C T
            { x=0;
            P0 (atomic_int* x) {
              int r0 = (*x);
            }
            P1 (atomic_int* x) {
              int r1 = (*x) + 1;

            P2 (atomic_int* x) {
              int r1 = (*x) + 1;
            }
            exists (* comment *) (0:r0=1)
            """;

        var errors = Errors(source);

        Assert.That(errors.Select(error => (error.Span.Line, error.Span.Column, error.Message)), Is.EqualTo(new[]
        {
            (3, 1, "expected '}' to close the initial state, found 'P0'"),
            (9, 1, "expected '}' to close thread P1 before 'P2'"),
        }));
    }

    [Test]
    public void ExceptionMessageIsTheFirstDiagnosticWithItsLocation()
    {
        var exception = Assert.Throws<LitmusException>(() => LitmusParser.Parse("C T\n{}\nP0 (atomic_int* x) { foo(); }\nexists (x=0)\n", "dir/t.litmus"))!;

        Assert.That(exception.Message, Is.EqualTo("dir/t.litmus:3:22: error: unknown function 'foo'"));
    }
}
