using Harness.Catalogue;
using Harness.Language;
using Harness.Mapping;
using Harness.Simulation;
using Harness.Tests.Cli;
using Harness.Tests.Support;
using Harness.Programs;

namespace Harness.Tests.Catalogue;

/// <summary>
/// The .NET catalogue, <c>tests-litmus/csharp/</c>: its generated family is exactly the generator's
/// output, every file parses and simulates under the models that apply, every shape's condition
/// is one no interleaving gives, and the C# rewrites of <c>tests-litmus/dotnet/</c> ask the
/// hardware what their C originals ask it.
/// </summary>
public class CSharpCatalogueTests
{
    private static string Folder => Path.Combine(RepositoryPaths.TestsLitmus, "csharp");
    private static string Generated => Path.Combine(Folder, "generated");

    private static IReadOnlyList<ModelTarget> Targets { get; } =
    [
        ModelCatalog.Target(ModelCatalog.Sc),
        ModelCatalog.Target(ModelCatalog.Tso),
        .. InstructionProfile.Arm64Profiles.Select(p => ModelCatalog.Target(ModelCatalog.Arm64, p)),
    ];

    public static IEnumerable<TestCaseData> Rewrites() =>
        Directory.Exists(Folder)
            ? Directory.EnumerateFiles(Folder, "*+cs.litmus").Order(StringComparer.Ordinal)
                .Select(f => new TestCaseData(f).SetArgDisplayNames(Path.GetFileName(f)))
            : [];

    [Test]
    public void Generated_folder_is_the_generators_output()
    {
        var differences = GeneratedFolder.Compare(Generated, CSharpCatalogue.All);
        Assert.That(differences.Select(d => d.ToString()), Is.Empty,
            "tests-litmus/csharp/generated is out of date: run 'harness generate --family csharp' from the repository root");
    }

    [Test]
    public void The_family_has_between_150_and_300_tests_over_every_shape_and_primitive()
    {
        var all = CSharpCatalogue.All;
        Assert.Multiple(() =>
        {
            Assert.That(all, Has.Count.InRange(150, 300));
            Assert.That(all.Select(t => t.Shape.Name).Distinct(), Is.EquivalentTo(ShapeCatalogue.Shapes.Select(s => s.Name)));
            var text = string.Concat(all.Select(t => t.Text));
            foreach (var primitive in new[]
                     {
                         "Volatile.Read(ref", "Volatile.Write(ref", "volatile int", "Interlocked.Exchange(ref", "Interlocked.CompareExchange(ref",
                         "Interlocked.Add(ref", "Interlocked.Increment(ref", "Interlocked.Decrement(ref", "Interlocked.And(ref", "Interlocked.Or(ref",
                         "Interlocked.MemoryBarrier();", "Thread.MemoryBarrier();", "[r0]", "if (r0 == 1)",
                     })
                Assert.That(text, Does.Contain(primitive));
            Assert.That(all.Select(t => t.Name), Is.Unique);
        });
    }

    /// <summary>The whole family, parsed and simulated under SC, x86-TSO and arm64's four profiles.</summary>
    [Test]
    public void Every_generated_test_parses_simulates_quickly_and_sc_forbids_its_condition()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var failures = new List<string>();
        foreach (var generated in CSharpCatalogue.All)
        {
            var test = LitmusParser.Parse(generated.Text, generated.RelativePath);
            var results = Simulator.Simulate(test, Targets);
            if (results.Any(r => r.States.Count == 0)) failures.Add($"{generated.Name}: a model allows no state");
            if (results[0].ConditionHolds) failures.Add($"{generated.Name}: SC allows {test.Condition.Text}");
            if (results.Any(r => r.ConditionHolds && !results[1].ConditionHolds && r.Target.Model == ModelCatalog.Sc))
                failures.Add($"{generated.Name}: SC is weaker than TSO");
        }
        Assert.That(failures, Is.Empty);
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromMinutes(2)), "the folder simulates quickly");
    }

    /// <summary>What the primitives are known to do to the classic shapes, as the tables say.</summary>
    [TestCase("SB+plain", true, true)]
    [TestCase("SB+Volatile-all", true, true)]
    [TestCase("SB+MemoryBarrier-between", false, false)]
    [TestCase("SB+Thread.MemoryBarrier-between", false, false)]
    [TestCase("SB+Exchange-stores", false, false)]
    [TestCase("SB+Exchange-stores-unused", false, false)]
    [TestCase("SB+Increment-between-unused", false, false)]
    [TestCase("MP+plain", false, true)]
    [TestCase("MP+Volatile-roles", false, false)]
    [TestCase("MP+volatile-fields", false, false)]
    [TestCase("MP+addr", false, false)]
    [TestCase("MP+ctrl", false, true)]
    [TestCase("LB+plain", false, true)]
    [TestCase("LB+data", false, false)]
    [TestCase("IRIW+Volatile-all", false, false)]
    public void Known_verdicts_on_x64_and_arm64(string name, bool tso, bool arm64)
    {
        var test = LitmusParser.Parse(CSharpCatalogue.Find(name).Text, name);
        var results = Simulator.Simulate(test, [ModelCatalog.Target(ModelCatalog.Tso), ModelCatalog.Target(ModelCatalog.Arm64, InstructionProfile.Arm64LseRcpc)]);
        Assert.That((results[0].ConditionHolds, results[1].ConditionHolds), Is.EqualTo((tso, arm64)));
    }

    /// <summary>A rewrite in C# of a dotnet/ test is the code the dotnet scheme makes of the C one: the hardware allows the same states.</summary>
    [TestCaseSource(nameof(Rewrites))]
    public void A_rewrite_asks_the_hardware_what_its_c_original_asks(string file)
    {
        var rewrite = LitmusParser.ParseFile(file);
        var originalFile = Path.Combine(RepositoryPaths.TestsLitmus, "dotnet", Path.GetFileName(file).Replace("+cs.litmus", ".litmus", StringComparison.Ordinal));
        var original = LitmusParser.ParseFile(originalFile);
        var hardware = Targets.Skip(1).ToList();
        var ours = Simulator.Simulate(rewrite, hardware);
        var theirs = Simulator.Simulate(original, hardware);
        Assert.Multiple(() =>
        {
            Assert.That(rewrite.Name, Is.EqualTo(original.Name + "+cs"));
            Assert.That(rewrite.Comment, Is.EqualTo(original.Comment), "the question is kept");
            for (var i = 0; i < hardware.Count; i++)
                Assert.That(ours[i].States.Select(s => s.ToString()), Is.EqualTo(theirs[i].States.Select(s => s.ToString())), hardware[i].ToString());
        });
    }

    [Test]
    public void Generate_command_writes_and_checks_the_csharp_family()
    {
        var folder = Path.Combine(Path.GetTempPath(), "harness-generate-cs-" + Guid.NewGuid().ToString("N"));
        try
        {
            var first = HarnessProcess.Run("generate", "--family", "csharp", "--out", folder);
            Assert.That(first.ExitCode, Is.EqualTo(0), first.Stderr);
            Assert.That(GeneratedFolder.Compare(folder, CSharpCatalogue.All), Is.Empty);
            File.AppendAllText(Path.Combine(folder, "MP", "MP+plain.litmus"), "// edited\n");
            var check = HarnessProcess.Run("generate", "--family", "csharp", "--out", folder, "--check");
            Assert.Multiple(() =>
            {
                Assert.That(check.ExitCode, Is.EqualTo(1));
                Assert.That(check.Stdout, Does.Contain("MP+plain.litmus: differs"));
                Assert.That(check.Stderr, Does.Contain("harness generate --family csharp --out"));
            });
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
