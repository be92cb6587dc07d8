using Harness.Language;
using NUnit.Framework;
using static Harness.Tests.Language.LitmusText;
using Harness.Programs;

namespace Harness.Tests.Language;

/// <summary>The parts around the thread code: first line, comment, headers, initial state, threads, condition.</summary>
[TestFixture]
public sealed class LitmusParserFrameTests
{
    [Test]
    public void NameIsTheRestOfTheFirstLineTrimmed()
    {
        var test = Parse("C   MP+po.rel-acq+x_1  \r\n{ x=0; }\nP0 (atomic_int* x) { int r0 = 0; }\nexists (x=0)\n");

        Assert.That(test.Architecture, Is.EqualTo("C"));
        Assert.That(test.Name, Is.EqualTo("MP+po.rel-acq+x_1"));
    }

    [Test]
    public void Diy7PrologueGivesCommentAndHeadersInOrder()
    {
        const string source = """
            C MP+pooncerelease+poacquireonce
            "PodWWRelease RfeReleaseAcquire PodRRAcquire Fre"
            Generator=diy7 (version 7.56)
            Prefetch=0:x=F,0:y=W,1:y=F,1:x=T
            Com=Rf Fr
            Orig=PodWW Rfe PodRR Fre
            {}
            P0 (atomic_int* x) { atomic_store(x, 1); }
            exists (x=1)
            """;

        var test = Parse(source);

        Assert.That(test.Comment, Is.EqualTo("PodWWRelease RfeReleaseAcquire PodRRAcquire Fre"));
        Assert.That(test.Headers, Is.EqualTo(new KeyValuePair<string, string>[]
        {
            new("Generator", "diy7 (version 7.56)"),
            new("Prefetch", "0:x=F,0:y=W,1:y=F,1:x=T"),
            new("Com", "Rf Fr"),
            new("Orig", "PodWW Rfe PodRR Fre"),
        }));
        Assert.That(test.Initial, Is.Empty);
    }

    [Test]
    public void CommentsOfAllThreeKindsAreSkipped()
    {
        const string source = """
            (* an OCaml comment (* nested *) before the test *)
            C T // the name stops before nothing: it is the whole line
            { x=0; /* C comment */ (* OCaml comment *) }
            P0 (atomic_int* x) {
              // line comment
              /* block
                 comment */
              atomic_store(x, 1);
            }
            (* herd puts comments here too *)
            exists (x=1) // trailing
            """;

        var test = Parse(source);

        Assert.That(test.Name, Is.EqualTo("T // the name stops before nothing: it is the whole line"));
        Assert.That(test.Threads[0].Body, Has.Count.EqualTo(1));
    }

    [Test]
    public void ParenthesisedLoadInThreadCodeIsNotAComment()
    {
        var body = ParseBody("int r0 = (*x) + 1;");

        var declaration = (LocalDeclaration)body[0];
        var sum = (Binary)declaration.Value!;
        Assert.That(sum.Left, Is.EqualTo(new Load("x", MemoryOrder.NonAtomic, At(4, 11))));
    }

    [TestCase("{ [x]=1; [y]=-2; }")]
    [TestCase("{ x=1; y=-2; }")]
    [TestCase("{ x = 1 ; y = -2 }")]
    [TestCase("{ [x] = 1; y=-2;; }")]
    public void UntypedInitialValues(string initial)
    {
        var test = Parse($"C T\n{initial}\nP0 (atomic_int* x, atomic_int* y) {{ int r0 = 0; }}\nexists (x=1)\n");

        Assert.That(test.Initial.Select(value => (value.Target, value.Value, value.Type)), Is.EqualTo(new[]
        {
            (StateKey.Location("x"), 1L, (string?)null),
            (StateKey.Location("y"), -2L, (string?)null),
        }));
    }

    [Test]
    public void TypedInitialValuesAndRegisterInitialisations()
    {
        const string source = """
            C T
            { int x = 0; atomic_int y=2; _Atomic int z = 3; volatile int w; 0:r0=1; 1:r1 = -1 }
            P0 (atomic_int* x) { int r1 = r0; }
            P1 (atomic_int* y) { r0 = r1; }
            exists (0:r0=1 /\ 1:r1=-1 /\ w=0 /\ z=3)
            """;

        var test = Parse(source);

        Assert.That(test.Initial, Is.EqualTo(new[]
        {
            new InitialValue(StateKey.Location("x"), 0, "int", At(2, 3)),
            new InitialValue(StateKey.Location("y"), 2, "atomic_int", At(2, 14)),
            new InitialValue(StateKey.Location("z"), 3, "atomic_int", At(2, 30)),
            new InitialValue(StateKey.Location("w"), 0, "volatile int", At(2, 49)),
            new InitialValue(StateKey.Register(0, "r0"), 1, null, At(2, 65)),
            new InitialValue(StateKey.Register(1, "r1"), -1, null, At(2, 73)),
        }));
        Assert.That(test.Locations, Is.EqualTo(new[] { "x", "y", "z", "w" }));
    }

    [Test]
    public void InitialStateMayBeEmptyOrAbsent()
    {
        var withEmpty = Parse("C T\n{}\nP0 (atomic_int* x) { int r0 = 0; }\nexists (x=0)\n");
        var without = Parse("C T\nP0 (atomic_int* x) { int r0 = 0; }\nexists (x=0)\n");

        Assert.That(withEmpty.Initial, Is.Empty);
        Assert.That(without.Initial, Is.Empty);
        Assert.That(without.Locations, Is.EqualTo(new[] { "x" }));
    }

    [Test]
    public void LocationsAreListedInFirstMentionOrder()
    {
        const string source = """
            C T
            { [b]=0; }
            P0 (atomic_int* c, atomic_int* b) { int r0 = 0; }
            P1 (atomic_int* a, atomic_int* c, int* d) { int r0 = 0; }
            exists (a=0)
            """;

        Assert.That(Parse(source).Locations, Is.EqualTo(new[] { "b", "c", "a", "d" }));
    }

    [Test]
    public void ParameterTypesAreNormalised()
    {
        var test = Parse("""
            C T
            {}
            P0 (atomic_int* a, atomic_int *b, volatile int* c, int * d, _Atomic int* e, const volatile int* f, _Atomic long* g) { int r0 = 0; }
            P1 () { int r0 = 0; }
            P2 (void) { int r0 = 0; }
            exists (a=0)
            """);

        Assert.That(test.Threads[0].Parameters.Select(parameter => (parameter.Type, parameter.Name)), Is.EqualTo(new[]
        {
            ("atomic_int*", "a"), ("atomic_int*", "b"), ("volatile int*", "c"), ("int*", "d"),
            ("atomic_int*", "e"), ("const volatile int*", "f"), ("atomic_long*", "g"),
        }));
        Assert.That(test.Threads[0].Parameters.Select(parameter => parameter.IsAtomic),
            Is.EqualTo(new[] { true, true, false, false, true, false, true }));
        Assert.That(test.Threads[1].Parameters, Is.Empty);
        Assert.That(test.Threads[2].Parameters, Is.Empty);
        Assert.That(test.Threads.Select(thread => thread.Id), Is.EqualTo(new[] { 0, 1, 2 }));
        Assert.That(test.Threads[1].Span, Is.EqualTo(At(4, 1)));
    }

    [TestCase("exists (x=1)", Quantifier.Exists)]
    [TestCase("~exists (x=1)", Quantifier.NotExists)]
    [TestCase("~ exists (x=1)", Quantifier.NotExists)]
    [TestCase("forall (x=1)", Quantifier.ForAll)]
    public void Quantifiers(string condition, Quantifier expected)
    {
        var test = Parse(WithBody("int r0 = 0;", condition: condition));

        Assert.That(test.Condition.Quantifier, Is.EqualTo(expected));
        Assert.That(test.Condition.Proposition, Is.EqualTo(new AtomProposition(StateKey.Location("x"), 1, At(6, condition.IndexOf("(x", StringComparison.Ordinal) + 2))));
    }

    [Test]
    public void ConditionAtomsOfEveryForm()
    {
        var test = Parse(WithBody("int r0 = 0;", condition: "exists (0:r0=1 /\\ x=2 /\\ [y]=3 /\\ 0:r0 = -1 /\\ x==-2147483648)"));

        var atoms = new List<AtomProposition>();
        void Collect(Proposition proposition)
        {
            if (proposition is AtomProposition atom) atoms.Add(atom);
            if (proposition is AndProposition and)
            {
                Collect(and.Left);
                Collect(and.Right);
            }
        }
        Collect(test.Condition.Proposition);

        Assert.That(atoms.Select(atom => (atom.Key, atom.Value)), Is.EqualTo(new[]
        {
            (StateKey.Register(0, "r0"), 1L),
            (StateKey.Location("x"), 2L),
            (StateKey.Location("y"), 3L),
            (StateKey.Register(0, "r0"), -1L),
            (StateKey.Location("x"), int.MinValue),
        }));
    }

    [Test]
    public void ConditionPrecedenceIsNotThenAndThenOrThenImplies()
    {
        var test = Parse(WithBody("int r0 = 0;", condition: "forall x=1 => ~x=2 /\\ y=1 \\/ (true /\\ ~(false))"));

        var x1 = new AtomProposition(StateKey.Location("x"), 1, At(6, 8));
        var x2 = new AtomProposition(StateKey.Location("x"), 2, At(6, 16));
        var y1 = new AtomProposition(StateKey.Location("y"), 1, At(6, 23));
        Assert.That(test.Condition.Proposition, Is.EqualTo(new ImpliesProposition(
            x1,
            new OrProposition(
                new AndProposition(new NotProposition(x2), y1),
                new AndProposition(new ConstantProposition(true), new NotProposition(new ConstantProposition(false)))))));
    }

    [Test]
    public void ImplicationIsRightAssociative()
    {
        var test = Parse(WithBody("int r0 = 0;", condition: "forall (x=1 => x=2 => x=3)"));

        var implication = (ImpliesProposition)test.Condition.Proposition;
        Assert.That(implication.Right, Is.InstanceOf<ImpliesProposition>());
    }

    [Test]
    public void ThreeConjunctsAssociateToTheLeft()
    {
        var test = Parse(WithBody("int r0 = 0;", condition: "exists (x=1 /\\ x=2 /\\ x=3)"));

        var conjunction = (AndProposition)test.Condition.Proposition;
        Assert.That(conjunction.Left, Is.InstanceOf<AndProposition>());
        Assert.That(conjunction.Right, Is.InstanceOf<AtomProposition>());
    }

    [Test]
    public void ConditionTextCollapsesWhitespace()
    {
        var test = Parse(WithBody("int r0 = 0;", condition: "exists\n  (0:r0=0   /\\\n\tx=0)  "));

        Assert.That(test.Condition.Text, Is.EqualTo("exists (0:r0=0 /\\ x=0)"));
        Assert.That(test.Condition.Span, Is.EqualTo(At(6, 1)));
    }

    [Test]
    public void NegatedExistsTextStartsAtTheTilde()
    {
        var test = Parse(WithBody("int r0 = 0;", condition: "~exists (x=1)"));

        Assert.That(test.Condition.Text, Is.EqualTo("~exists (x=1)"));
    }

    [Test]
    public void LocationsClauseGivesExtraLocations()
    {
        var test = Parse(WithBody("int r0 = 1;", condition: "locations [x; 0:r0; [y];]\nexists (x=0)"));

        Assert.That(test.ExtraLocations, Is.EqualTo(new[]
        {
            StateKey.Location("x"), StateKey.Register(0, "r0"), StateKey.Location("y"),
        }));
    }

    [Test]
    public void LocationsClauseWithoutTrailingSemicolon()
    {
        var test = Parse(WithBody("int r0 = 0;", condition: "locations [y]\nexists (x=0)"));

        Assert.That(test.ExtraLocations, Is.EqualTo(new[] { StateKey.Location("y") }));
    }

    [Test]
    public void ByteOrderMarkAndCrLfAreAccepted()
    {
        var test = Parse("\uFEFFC T\r\n{ x=0; }\r\nP0 (atomic_int* x) {\r\n  atomic_store(x, 1);\r\n}\r\nexists (x=1)\r\n");

        Assert.That(test.Name, Is.EqualTo("T"));
        Assert.That(test.Threads[0].Body[0].Span, Is.EqualTo(At(4, 3)));
    }

    [Test]
    public void LoneCarriageReturnsEndLines()
    {
        var test = Parse("C T\r{ x=0; }\rP0 (atomic_int* x) {\r\n  atomic_store(x, 1);\r}\rexists (x=1)\r");

        Assert.That(test.Threads[0].Body[0].Span, Is.EqualTo(At(4, 3)));
    }

    [Test]
    public void ConditionTextHasEachRunOfWhiteSpaceAsOneSpace()
    {
        var test = Parse("C T\n{ x=0; }\nP0 (atomic_int* x) { atomic_store(x, 1); }\nexists (x=1\t\n  /\\  x=1)\n");

        Assert.That(test.Condition.Text, Is.EqualTo("exists (x=1 /\\ x=1)"));
    }

    [Test]
    public void ParseFileUsesThePathAsGiven()
    {
        var path = Path.Combine(Path.GetTempPath(), $"parser-test-{Guid.NewGuid():N}.litmus");
        File.WriteAllText(path, "C T\n{}\nP0 (atomic_int* x) { int r0 = 0; }\nexists (x=0)\n");
        try
        {
            var test = LitmusParser.ParseFile(path);

            Assert.That(test.SourceFile, Is.EqualTo(path));
            Assert.That(test.Threads[0].Span.File, Is.EqualTo(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void ParseFileLetsIoErrorsThrough()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.litmus");

        Assert.That(() => LitmusParser.ParseFile(missing), Throws.InstanceOf<IOException>());
    }
}
