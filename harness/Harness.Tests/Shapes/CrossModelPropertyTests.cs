using Harness.Catalogue;
using Harness.Language;
using Harness.Mapping;
using Harness.Simulation;
using Harness.Tests.Support;
using static Harness.Tests.Shapes.ShapeSimulations;
using Harness.Programs;

namespace Harness.Tests.Shapes;

/// <summary>
/// Relations between the models that must hold for every generated test (classic shapes × every
/// ordering variant), whatever the weak outcome's verdict:
/// <list type="bullet">
/// <item>every model allows at least the SC states;</item>
/// <item>RC11 allows a subset of C++20's states (it only adds the no-thin-air axiom);</item>
/// <item>the dotnet mapping is sound: the code the JIT emits, judged by x86-TSO and by ARMv8 with
/// either instruction profile, shows no state C++20 forbids (the tests use only atomics, so no
/// test is racy);</item>
/// <item>a test whose accesses are all seq_cst (no fences) has exactly the SC states under RC11
/// and C++20 (Lahav et al., PLDI 2017: SC for programs with only SC atomics) and, compiled by the
/// dotnet mapping, on every hardware target.</item>
/// </list>
/// </summary>
public class CrossModelPropertyTests
{
    public static IEnumerable<TestCaseData> Tests() =>
        ShapeCatalogue.All.Select(t => new TestCaseData(t).SetArgDisplayNames(t.Name));

    public static IEnumerable<TestCaseData> AllSeqCstTests() =>
        ShapeCatalogue.All.Where(t => t.Variant.AllSeqCst).Select(t => new TestCaseData(t).SetArgDisplayNames(t.Name));

    [TestCaseSource(nameof(Tests))]
    public void Every_model_allows_the_SC_states(GeneratedTest test)
    {
        var results = Of(test);
        var sc = results.States(Sc);
        Assert.That(sc, Is.Not.Empty, "SC allows some state");
        Assert.Multiple(() =>
        {
            foreach (var target in Targets.Where(t => t != Sc))
                AssertSubset(results, Sc, target);
        });
    }

    [TestCaseSource(nameof(Tests))]
    public void Rc11_allows_a_subset_of_cpp20(GeneratedTest test) => AssertSubset(Of(test), Rc11, Cpp20);

    [TestCaseSource(nameof(Tests))]
    public void The_dotnet_mapping_is_sound(GeneratedTest test)
    {
        var results = Of(test);
        Assert.Multiple(() =>
        {
            Assert.That(results[Rc11].Undefined || results[Cpp20].Undefined, Is.False, "an all-atomic test has no data race");
            foreach (var target in Hardware)
                AssertSubset(results, target, Cpp20);
        });
    }

    [TestCaseSource(nameof(AllSeqCstTests))]
    public void All_seq_cst_has_exactly_the_SC_states(GeneratedTest test)
    {
        var results = Of(test);
        Assert.Multiple(() =>
        {
            foreach (var target in Targets.Where(t => t != Sc))
                Assert.That(results.States(target), Is.EquivalentTo(results.States(Sc)),
                    $"{test.Name}: {Name(target)} against sc\n{test.Text}");
        });
    }

    /// <summary>The generator covers every shape and variant family, and its names are unique.</summary>
    [Test]
    public void Shapes_generator_covers_every_shape_and_variant()
    {
        var tests = ShapeCatalogue.All;
        Assert.Multiple(() =>
        {
            Assert.That(tests.Select(t => t.Name), Is.Unique);
            Assert.That(tests.Select(t => t.Shape.Name).Distinct(), Is.EquivalentTo(ShapeCatalogue.Shapes.Select(s => s.Name)));
            Assert.That(tests.Select(t => t.Variant.Suffix).Distinct(), Is.EquivalentTo(ShapeCatalogue.Variants.Select(v => v.Suffix)));
            Assert.That(tests.Select(t => t.Text[t.Text.IndexOf('\n')..]), Is.Unique, "no two generated tests are the same program");
            Assert.That(tests, Has.Count.InRange(150, 230), "enough to cover the shapes, few enough to run them all on hardware");
            Assert.That(ShapeCatalogue.Shapes.Select(s => s.Name),
                Is.SupersetOf(new[] { "SB", "MP", "LB", "2+2W", "R", "S", "WRC", "WWC", "RWC", "W+RWC", "ISA2", "Z6.0", "Z6.1", "Z6.2", "Z6.3", "3.SB", "3.LB", "IRIW" }));
        });
    }

    /// <summary>
    /// The variant rules: coherence holds for atomics under every order, so a coherence shape gets
    /// herd's four variants only; exchanges keep their store's order; fences go after an observing
    /// load and before a publishing store; a variant that repeats another's program is left out.
    /// </summary>
    [Test]
    public void Shapes_generator_applies_each_variant_rule()
    {
        Assert.Multiple(() =>
        {
            foreach (var shape in ShapeCatalogue.Shapes.Where(s => s.IsCoherence))
                Assert.That(ShapeCatalogue.All.Where(t => t.Shape == shape).Select(t => t.Variant.Suffix),
                    Is.EqualTo(new[] { "rlx", "ra", "sc", "rlx+fsc" }), shape.Name);
            Assert.That(ShapeCatalogue.Find("MP+rel+acq+xchg").Text, Does.Contain("int e1 = atomic_exchange_explicit(y, 1, memory_order_release);"));
            Assert.That(ShapeCatalogue.Find("Z6.2+frel+facq").Text, Does.Contain(
                "  int r0 = atomic_load_explicit(y, memory_order_relaxed);\n  atomic_thread_fence(memory_order_acquire);\n" +
                "  atomic_thread_fence(memory_order_release);\n  atomic_store_explicit(z, 1, memory_order_relaxed);\n"));
            Assert.That(() => ShapeCatalogue.Find("SB+rel+acq"), Throws.ArgumentException, "rel+acq on SB is SB+rlx: left out");
        });
    }

    /// <summary>Every oracle test is generated, and under the same name it is the same program (layout aside).</summary>
    [Test]
    public void Shapes_generator_agrees_with_the_oracle_files_of_the_same_name()
    {
        SharedOracle.Require();
        var folder = Path.Combine(RepositoryPaths.Oracle, "c");
        var matched = 0;
        Assert.Multiple(() =>
        {
            foreach (var test in ShapeCatalogue.All)
            {
                var file = Path.Combine(folder, test.Name + ".litmus");
                if (!File.Exists(file)) continue;
                matched++;
                Assert.That(Normalised(test.Text), Is.EqualTo(Normalised(File.ReadAllText(file))), test.Name);
            }
        });
        Assert.That(Directory.GetFiles(folder, "*.litmus"), Has.Length.EqualTo(SharedOracle.CTests), "the oracle's C tests");
        Assert.That(matched, Is.EqualTo(Directory.GetFiles(folder, "*.litmus").Length), "every oracle test is among the generated ones");
    }

    /// <summary>
    /// The deliberately wrong scheme (a seq_cst store as a bare Volatile.Write) is caught on SB+sc:
    /// x64 (mov; mov) and arm64 lse-rcpc (stlr; ldapr — RCpc lets the load pass the release store)
    /// show the store-buffering state that C++20 forbids. arm64 v8.0 does not: there the seq_cst load
    /// is LDAR, and [L];po;[A] orders STLR before a later LDAR, so the bare STLR/LDAR pair is the
    /// standard (sound) SC mapping.
    /// </summary>
    [Test]
    public void Shapes_unsound_scheme_is_caught_on_SB_sc()
    {
        var test = ShapeCatalogue.Find("SB+sc");
        var results = Of(test, MappingScheme.UnsoundSeqCst);
        const string weak = "0:r0=0; 1:r0=0;";
        Assert.Multiple(() =>
        {
            Assert.That(results[Cpp20].Verdict, Is.EqualTo("forbidden"), "cpp20");
            Assert.That(results[Rc11].Verdict, Is.EqualTo("forbidden"), "rc11");
            Assert.That(results[Tso].Verdict, Is.EqualTo("allowed"), "tso");
            Assert.That(results[Arm64LseRcpc].Verdict, Is.EqualTo("allowed"), "arm64 lse-rcpc");
            Assert.That(results[Arm64V80].Verdict, Is.EqualTo("forbidden"), "arm64 v8.0");
            Assert.That(results.States(Tso), Does.Contain(weak));
            Assert.That(results.States(Arm64LseRcpc), Does.Contain(weak));
            Assert.That(results.States(Cpp20), Does.Not.Contain(weak));
            // The soundness property, which holds under dotnet, fails under unsound-sc: that is how the harness catches it.
            Assert.That(results.States(Tso).Except(results.States(Cpp20)), Is.EquivalentTo(new[] { weak }), "tso minus cpp20");
            Assert.That(results.States(Arm64LseRcpc).Except(results.States(Cpp20)), Is.EquivalentTo(new[] { weak }), "lse-rcpc minus cpp20");
            Assert.That(results.States(Arm64V80).Except(results.States(Cpp20)), Is.Empty, "v8.0 minus cpp20");
        });
        // Under the dotnet scheme the same test is sound everywhere.
        var sound = Of(test);
        Assert.That(Hardware.Select(t => sound[t].Verdict), Is.All.EqualTo("forbidden"));
    }

    /// <summary>
    /// The unsound scheme shows through on the other store-then-load seq_cst shapes too, on x64 and
    /// lse-rcpc; on v8.0 the STLR/LDAR/exclusives code stays exactly SC for every all-seq_cst test
    /// (every po pair is in ARMv8's ordered-before: [L];po;[A], po;[L], [A];po).
    /// </summary>
    [TestCase("3.SB+sc")]
    [TestCase("R+sc")]
    [TestCase("RWC+sc")]
    public void Shapes_unsound_scheme_is_caught_on(string name)
    {
        var results = Of(ShapeCatalogue.Find(name), MappingScheme.UnsoundSeqCst);
        Assert.Multiple(() =>
        {
            Assert.That(results[Cpp20].Verdict, Is.EqualTo("forbidden"), "cpp20");
            Assert.That(results[Tso].Verdict, Is.EqualTo("allowed"), "tso");
            Assert.That(results[Arm64LseRcpc].Verdict, Is.EqualTo("allowed"), "arm64 lse-rcpc");
            Assert.That(results.States(Tso).Except(results.States(Cpp20)), Is.Not.Empty, "tso minus cpp20");
            Assert.That(results.States(Arm64LseRcpc).Except(results.States(Cpp20)), Is.Not.Empty, "lse-rcpc minus cpp20");
        });
    }

    [TestCaseSource(nameof(AllSeqCstTests))]
    public void Unsound_scheme_on_v8_0_stays_SC(GeneratedTest test)
    {
        var results = Of(test, MappingScheme.UnsoundSeqCst);
        Assert.That(results.States(Arm64V80), Is.EquivalentTo(results.States(Sc)), $"{test.Name}\n{test.Text}");
    }

    private static void AssertSubset(Results results, ModelTarget smaller, ModelTarget larger)
    {
        var extra = results.States(smaller).Except(results.States(larger)).Order(StringComparer.Ordinal).ToList();
        Assert.That(extra, Is.Empty,
            $"{results.Test.Name}: states of {Name(smaller)} that {Name(larger)} forbids\n{results.Test.Text}");
    }

    private static string Normalised(string text) =>
        string.Join("\n", text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));
}
