using System.Text;
using Harness.Language;
using NUnit.Framework;
using static Harness.Tests.Language.LitmusText;
using Harness.Programs;
using Harness.Language.Source;

namespace Harness.Tests.Language;

/// <summary>Hostile and random input: only <see cref="LitmusException"/> may come out, never a crash.</summary>
[TestFixture]
public sealed class LitmusParserRobustnessTests
{
    /// <summary>A test using every construct of the dialect; also a seed of the fuzz test's mutations.</summary>
    internal const string KitchenSink = """
        C Kitchen+sink.1
        "every construct"
        Generator=diy7 (version 7.56)
        Com=Rf Fr
        { [x]=0; y=1; atomic_int z = 2; 1:r9=-3; }
        (* an OCaml comment *)
        P0 (atomic_int* x, volatile int* y, _Atomic int *z) {
          int r0 = atomic_load_explicit(x, memory_order_acquire); // a load
          long r1;
          r1 = (r0 + 0x10) * -2 % 7 << 1 >> 1 & 255 | 1 ^ 3;
          *y = r1 != 0 && !(r0 < 1) || ~r0 >= 2;
          atomic_store_explicit(z, r0 <= 1, memory_order_release);
          atomic_thread_fence(memory_order_seq_cst);
          if (atomic_fetch_add_explicit(x, 1, memory_order_relaxed) == 1) {
            atomic_fetch_sub(x, 1);
          } else if (*y > 0) {
            { atomic_fetch_or_explicit(x, 2, memory_order_acq_rel); ; }
          } else atomic_fetch_and(x, 3);
          while (r0 == 0) r0 = atomic_exchange(z, (*y) / 2);
        }
        P1 (atomic_int* x, int* e) {
          int r0 = atomic_compare_exchange_strong_explicit(x, e, 2, memory_order_acq_rel, memory_order_acquire);
          int r1 = atomic_compare_exchange_weak(x, e, r9 + 1);
          r0 = atomic_load(x) + atomic_exchange_explicit(x, 4, memory_order_consume);
        }
        locations [x; 1:r1; [e];]
        ~exists (0:r0=1 /\ (1:r0=0 \/ ~[x]=-1) => z==2 /\ true \/ false)
        """;

    /// <summary>What diy7 writes (address and data dependencies, a loop observer), for the same random treatment.</summary>
    internal const string Diy7Sink = """
        C Diy7+sink
        "DpAddrdR Fre PodWW Rfe"
        Cycle=Rfe DpAddrdR Fre PodWW
        Relax=
        Safe=Rfe Fre PodWW DpAddrdR
        Generator=diy7 (version 7.56+01(dev))
        Prefetch=0:x=F,0:y=W,1:y=F,1:x=T
        Com=Rf Fr
        Orig=PodWW Rfe DpAddrdR Fre

        {atomic_int x; int y;}

        P0(volatile int* y,atomic_int* x) {
          int r0 = -1;
          *(y + (r0 & 128)) = 1 + (r0 & 128);
          atomic_store_explicit(x + (r0 & 128),1,memory_order_release);
        }

        P1 (volatile int* y,atomic_int* x) {
          int r0;
          for (;;) {
            r0 = atomic_load_explicit(x,memory_order_relaxed);
            if (0 != r0) break;
          }
          int r128 = 200;
          int r1 = *(y + (r0 & 128));
          int r2 = atomic_exchange_explicit((x + (r0 & 128)),2,memory_order_relaxed);
          for (;;) {
            r128--;
            if (0 == r128) {
              break;
            }
          }
        }

        exists (1:r0=1 /\ 1:r1=0 /\ x=2)
        """;

    [Test]
    public void Diy7SinkParses()
    {
        var test = Parse(Diy7Sink);

        Assert.That(test.Threads[1].Body.OfType<WhileStatement>().Count(), Is.EqualTo(2));
    }

    [Test]
    public void KitchenSinkParses()
    {
        var test = Parse(KitchenSink);

        Assert.That(test.Name, Is.EqualTo("Kitchen+sink.1"));
        Assert.That(test.Locations, Is.EqualTo(new[] { "x", "y", "z", "e" }));
        Assert.That(test.Threads[0].Body, Has.Count.EqualTo(8));
        Assert.That(test.Condition.Quantifier, Is.EqualTo(Quantifier.NotExists));
    }

    [Test]
    public void DeepParenthesesAreCappedWithOneDiagnostic()
    {
        var depth = 10_000;
        var errors = Errors(WithBody($"int r0 = {new string('(', depth)}1{new string(')', depth)};"));

        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0].Span, Is.EqualTo(At(4, 10 + 64)));
        Assert.That(errors[0].Message, Does.Contain("nesting is deeper than 64 levels"));
    }

    [Test]
    public void DeepBlocksAreCappedWithOneDiagnostic()
    {
        var depth = 10_000;
        var errors = Errors(WithBody($"{new string('{', depth)} atomic_store(x, 1); {new string('}', depth)}"));

        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0].Message, Does.Contain("nesting is deeper than 64 levels"));
    }

    [Test]
    public void UnclosedDeepBlocksDoNotCascade()
    {
        var errors = Errors($"C T\n{{}}\nP0 (atomic_int* x) {{\n{new string('{', 10_000)}\n");

        Assert.That(errors.Select(error => error.Message), Is.EqualTo(new[]
        {
            "nesting is deeper than 64 levels",
            "unexpected end of file in thread P0: missing '}'",
        }));
    }

    [TestCase("!")]
    [TestCase("-")]
    [TestCase("~")]
    [TestCase("- ")]
    public void LongUnaryChainsAreCapped(string unary)
    {
        var errors = Errors(WithBody($"int r0 = {string.Concat(Enumerable.Repeat(unary, 10_000))}1;"));

        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0].Message, Does.Contain("deeper than 64 levels"));
    }

    [Test]
    public void LongBinaryChainsAreCapped()
    {
        var errors = Errors(WithBody($"int r0 = 1{string.Concat(Enumerable.Repeat(" + 1", 10_000))};"));

        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0].Message, Is.EqualTo("expression is nested deeper than 64 levels"));
    }

    [Test]
    public void ModeratelyLongBinaryChainsAreFine()
    {
        Assert.That(() => Parse(WithBody($"int r0 = 1{string.Concat(Enumerable.Repeat(" + 1", 60))};")), Throws.Nothing);
    }

    [Test]
    public void DeepNestedIfsAreCapped()
    {
        var errors = Errors(WithBody($"{string.Concat(Enumerable.Repeat("if (1) ", 10_000))}atomic_store(x, 1);"));

        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0].Message, Does.Contain("nesting is deeper than 64 levels"));
    }

    [TestCase("~")]
    [TestCase("(")]
    public void DeepConditionsAreCapped(string prefix)
    {
        var condition = $"exists {string.Concat(Enumerable.Repeat(prefix, 10_000))}x=0";
        var errors = Errors(WithBody("int r0 = 0;", condition: condition));

        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0].Message, Does.Contain("nesting is deeper than 64 levels"));
    }

    [Test]
    public void VeryLongConditionChainsParseIntoShallowTrees()
    {
        var atoms = string.Join(" \\/ ", Enumerable.Range(0, 20_000).Select(value => $"x={value} /\\ y={value}"));
        var test = Parse(WithBody("int r0 = 0;", condition: $"forall ({atoms})"));

        static int Height(Proposition proposition) => proposition switch
        {
            AndProposition and => 1 + Math.Max(Height(and.Left), Height(and.Right)),
            OrProposition or => 1 + Math.Max(Height(or.Left), Height(or.Right)),
            _ => 1,
        };
        Assert.That(Height(test.Condition.Proposition), Is.LessThan(20));
    }

    [Test]
    public void NulBytesMeanBinaryFile()
    {
        var errors = Errors("C T\n{ x=0; }\0\0\u0001garbage");

        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0].Span, Is.EqualTo(At(2, 9)));
        Assert.That(errors[0].Message, Does.Contain("NUL character"));
    }

    [Test]
    public void ControlAndNonAsciiCharactersAreNamedByCodePoint()
    {
        var errors = Errors(WithBody("int r0 = 1;\u0007\nint r1 = é;"));

        Assert.That(errors.Select(error => error.Message), Is.EqualTo(new[]
        {
            "unexpected character U+0007",
            "unexpected character 'é' (U+00E9): names are made of ASCII letters, digits and '_'",
        }));
    }

    [Test]
    public void DiagnosticsStopAtTheLimit()
    {
        var body = string.Concat(Enumerable.Repeat("foo();\n", 500));
        var errors = Errors(WithBody(body));

        Assert.That(errors, Has.Count.EqualTo(100));
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void RandomBytesGiveDiagnostics(int seed)
    {
        var random = new Random(seed);
        var bytes = new byte[4096];
        random.NextBytes(bytes);

        AssertOnlyLitmusExceptions(Encoding.UTF8.GetString(bytes));
        AssertOnlyLitmusExceptions("C T\n" + Encoding.Latin1.GetString(bytes).Replace('\0', ' '));
    }

    [TestCase(KitchenSink)]
    [TestCase(Diy7Sink)]
    public void EveryPrefixOfAValidTestIsHandled(string source)
    {
        for (var length = 0; length < source.Length; length++)
        {
            AssertOnlyLitmusExceptions(source[..length]);
        }
    }

    private static void AssertOnlyLitmusExceptions(string text)
    {
        var problem = ParseProblem(text);
        if (problem is not null) Assert.Fail($"{problem}\nfor input:\n{text}");
    }
}
