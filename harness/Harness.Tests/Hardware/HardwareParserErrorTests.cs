using Harness.Language;
using Harness.Programs;
using Harness.Language.Source;

namespace Harness.Tests.HardwareLitmus;

/// <summary>Malformed X86 / AArch64 tests: each gives a diagnostic naming the file, line and column, saying what is wrong.</summary>
[TestFixture]
public sealed class HardwareParserErrorTests
{
    private const string FileName = "bad.litmus";

    private static IReadOnlyList<Diagnostic> Errors(string text)
    {
        var exception = Assert.Throws<LitmusException>(() => LitmusParser.Parse(text, FileName))!;
        Assert.That(exception.Diagnostics, Is.Not.Empty);
        Assert.That(exception.Message, Does.StartWith($"{FileName}:"));
        return exception.Diagnostics;
    }

    private static void AssertSingleError(string text, int line, int column, string fragment)
    {
        var errors = Errors(text);
        Assert.That(errors, Has.Count.EqualTo(1), string.Join("\n", errors));
        Assert.That(errors[0].Span, Is.EqualTo(new SourceSpan(FileName, line, column)), errors[0].ToString());
        Assert.That(errors[0].Message, Does.Contain(fragment));
    }

    /// <summary>An AArch64 test whose P1 column is <paramref name="line"/> (on line 5) and condition <paramref name="condition"/> (line 7).</summary>
    private static string AArch64(string line, string condition = "exists (1:X0=1)") =>
        $"AArch64 T\n{{ 0:X1=x; 1:X1=x; }}\n P0          | P1 ;\n MOV W0,#1   | LDR W0,[X1] ;\n STR W0,[X1] | {line} ;\n NOP         | ;\n{condition}\n";

    private static string X86(string line, string condition = "exists (1:EAX=1)") =>
        $"X86 T\n{{ x=0; }}\n P0         | P1 ;\n MOV [x],$1 | MOV EAX,[x] ;\n MFENCE     | {line} ;\n{condition}\n";

    [TestCase("FOO W0,W1", 5, 16, "unknown or unsupported AArch64 instruction 'FOO'")]
    [TestCase("LDR W0,[X1", 5, 23, "'[' has no matching ']'")]
    [TestCase("LDR W0,X1", 5, 23, "expected a memory operand such as '[X1]', found 'X1'")]
    [TestCase("LDR Q0,[X1]", 5, 20, "expected a register such as 'W0' or 'X0', found 'Q0'")]
    [TestCase("LDR W0,[x]", 5, 24, "expected a base register such as 'X1'")]
    [TestCase("ADD W0,W0", 5, 16, "'ADD' expects 3 or 4 operands, found 2")]
    [TestCase("B.XX L0", 5, 16, "unknown condition 'XX'")]
    [TestCase("CBNZ W0,nowhere", 5, 24, "label 'nowhere' is not defined in P1")]
    [TestCase("DMB FOO", 5, 20, "expected a barrier option")]
    [TestCase("LDEOR W0,W1,[X1]", 5, 16, "no exclusive-or read-modify-write")]
    [TestCase("MOV W0,#0x1G", 5, 24, "invalid number '0x1G'")]
    public void AArch64InstructionErrors(string line, int lineNumber, int column, string fragment) =>
        AssertSingleError(AArch64(line), lineNumber, column, fragment);

    [TestCase("MOV [x],[x]", 5, 23, "no memory-to-memory MOV")]
    [TestCase("MOV EAX,", 5, 23, "expected an operand after ','")]
    [TestCase("LOCK MOV [x],EAX", 5, 20, "'LOCK MOV' is not supported")]
    [TestCase("LOCK XOR [x],EAX", 5, 20, "no exclusive-or read-modify-write")]
    [TestCase("CMPXCHG [x],EBX", 5, 15, "only 'LOCK CMPXCHG' is supported")]
    [TestCase("JE", 5, 15, "'JE' expects 1 operand, found 0")]
    [TestCase("MOV EAX,[x+]", 5, 26, "expected a term after the sign")]
    public void X86InstructionErrors(string line, int lineNumber, int column, string fragment) =>
        AssertSingleError(X86(line), lineNumber, column, fragment);

    [Test]
    public void EveryBadInstructionIsReported()
    {
        var errors = Errors("AArch64 T\n{ 0:X1=x; }\n P0 ;\n FOO ;\n LDR W0,[X1] ;\n BAR W1 ;\nexists (0:X0=0)\n");
        Assert.That(errors.Select(e => (e.Span.Line, e.Span.Column)), Is.EqualTo(new[] { (4, 2), (6, 2) }));
    }

    [Test]
    public void MissingRowTerminatorIsReportedAtTheCondition() =>
        AssertSingleError("X86 T\n{ x=0; }\n P0 ;\n MOV [x],$1\nexists (x=1)\n", 5, 1, "expected ';' to end the row of the thread table, found 'exists'");

    [Test]
    public void RowWithTooManyColumns() =>
        AssertSingleError("X86 T\n{ x=0; }\n P0 ;\n MOV [x],$1 | MOV [x],$2 ;\nexists (x=1)\n", 4, 13, "more than the 1 column of");

    [Test]
    public void ThreadsAreNumberedInOrder() =>
        AssertSingleError("X86 T\n{ x=0; }\n P1 | P0 ;\n MOV [x],$1 | ;\nexists (x=1)\n", 3, 2, "expected thread 'P0' here");

    [Test]
    public void RegisterOfAMissingThreadInTheInitialState() =>
        AssertSingleError("AArch64 T\n{ 0:X1=x;\n  3:X1=x; }\n P0 ;\n LDR W0,[X1] ;\nexists (0:X0=0)\n", 3, 3, "thread P3, which does not exist");

    [Test]
    public void NotARegisterInTheCondition() =>
        AssertSingleError(AArch64("LDR W0,[X1]", "exists (1:Q0=1)"), 7, 11, "'Q0' is not a register of AArch64");

    [Test]
    public void ConditionOnAMissingThread() =>
        AssertSingleError(X86("MOV EBX,$1", "exists (2:EAX=1)"), 6, 9, "refers to thread P2, which does not exist");

    [Test]
    public void ConditionComparingWithAnAddress() =>
        AssertSingleError(AArch64("LDR W0,[X1]", "exists (1:X1=x)"), 7, 14, "comparing with addresses is not supported");

    [Test]
    public void MissingTestName() =>
        AssertSingleError("AArch64\n{ }\n P0 ;\n NOP ;\nexists (0:X0=0)\n", 1, 8, "expected a test name after 'AArch64'");

    [Test]
    public void UnterminatedComment() =>
        AssertSingleError("X86 T\n{ x=0; }\n P0 ;\n MOV [x],$1 ; (* oops\nexists (x=1)\n", 4, 15, "unterminated comment");

    [Test]
    public void UnknownHeaderLine() =>
        AssertSingleError("X86 T\nthis is not a header\n{ x=0; }\n P0 ;\n MOV [x],$1 ;\nexists (x=1)\n", 2, 1, "expected a 'Key=Value' header line");
}
