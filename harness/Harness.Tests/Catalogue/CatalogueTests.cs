using Harness.Catalogue;
using Harness.Language;
using Harness.Mapping;
using Harness.Simulation;
using Harness.Tests.Cli;
using Harness.Tests.Support;
using Harness.Programs;

namespace Harness.Tests.Catalogue;

/// <summary>
/// The committed catalogue, <c>tests-litmus/</c>: its generated part is exactly the generator's
/// output, every file parses and simulates under every model, and it is big enough to be a
/// catalogue and small enough to run on hardware.
/// </summary>
public class CatalogueTests
{
    private static string Generated => Path.Combine(RepositoryPaths.TestsLitmus, "generated");

    private static IEnumerable<string> Files() =>
        Directory.Exists(RepositoryPaths.TestsLitmus)
            ? Directory.EnumerateFiles(RepositoryPaths.TestsLitmus, "*.litmus", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            : [];

    /// <summary>The C catalogue: everything but the .NET catalogue's C# tests, which CSharpCatalogueTests counts.</summary>
    private static IEnumerable<string> CFiles() => Files().Where(f => !IsCSharp(f));

    private static bool IsCSharp(string file) =>
        Path.GetRelativePath(Path.Combine(RepositoryPaths.TestsLitmus, "csharp"), file) is var relative
        && !relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative);

    private static bool IsGenerated(string file) =>
        Path.GetRelativePath(Generated, file) is var relative && !relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative);

    public static IEnumerable<TestCaseData> CatalogueFiles() =>
        Files().Select(f => new TestCaseData(f).SetArgDisplayNames(Path.GetRelativePath(RepositoryPaths.TestsLitmus, f).Replace('\\', '/')));

    public static IEnumerable<TestCaseData> HandWrittenFiles() => CatalogueFiles().Where(c => !IsGenerated((string)c.Arguments[0]!));

    /// <summary>Every model, arm64 with both instruction profiles.</summary>
    private static IReadOnlyList<ModelTarget> AllTargets { get; } =
    [
        .. ModelCatalog.All.SelectMany(model => model == ModelCatalog.Arm64
            ? InstructionProfile.Arm64Profiles.Select(p => ModelCatalog.Target(model, p))
            : [ModelCatalog.Target(model)]),
    ];

    [Test]
    public void Generated_folder_is_the_generators_output()
    {
        var differences = GeneratedFolder.Compare(Generated, ShapeCatalogue.All);
        Assert.That(differences.Select(d => d.ToString()), Is.Empty,
            "tests-litmus/generated is out of date: run 'harness generate' from the repository root");
    }

    [Test]
    public void Catalogue_holds_between_150_and_260_tests()
    {
        var files = CFiles().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(files, Has.Count.InRange(150, 260), "every test runs on hardware in CI: keep the catalogue sane");
            Assert.That(files.Count(f => !IsGenerated(f)), Is.GreaterThanOrEqualTo(12 + 4), "the hand-written tests are there too");
            Assert.That(Directory.GetFiles(Path.Combine(RepositoryPaths.TestsLitmus, "dotnet"), "*.litmus"), Has.Length.GreaterThanOrEqualTo(12));
        });
    }

    [TestCaseSource(nameof(CatalogueFiles))]
    public void Catalogue_file_parses_and_simulates_under_every_model(string file)
    {
        var test = LitmusParser.ParseFile(file);
        Assert.That(test.Name, Is.EqualTo(Path.GetFileNameWithoutExtension(file)), "the file is named after its test");
        var applicable = Simulator.ApplicableModels(test).ToHashSet();
        var targets = AllTargets.Where(t => applicable.Contains(t.Model)).ToList();
        var results = Simulator.Simulate(test, targets);
        Assert.Multiple(() =>
        {
            Assert.That(results, Has.Count.EqualTo(targets.Count));
            foreach (var result in results)
                Assert.That(result.States, Is.Not.Empty, $"{result.Target}: some final state");
        });
    }

    /// <summary>A hand-written test says what it asks (the quoted comment line after its name), so that a report explains itself.</summary>
    [TestCaseSource(nameof(HandWrittenFiles))]
    public void Hand_written_test_explains_its_question(string file)
    {
        var test = LitmusParser.ParseFile(file);
        Assert.That(test.Comment, Is.Not.Null.And.Length.GreaterThan(20));
    }

    /// <summary>Test names are unique across the generated and hand-written tests of this catalogue's own folders.</summary>
    [Test]
    public void Catalogue_names_are_unique_outside_the_classic_folder()
    {
        var names = Files()
            .Where(f => !Path.GetRelativePath(RepositoryPaths.TestsLitmus, f).StartsWith("classic", StringComparison.Ordinal))
            .Select(Path.GetFileNameWithoutExtension);
        Assert.That(names, Is.Unique);
    }

    [Test]
    public void Generate_command_writes_checks_and_deletes_stale_files()
    {
        var folder = Path.Combine(Path.GetTempPath(), "harness-generate-" + Guid.NewGuid().ToString("N"));
        try
        {
            var first = HarnessProcess.Run("generate", "--out", folder);
            Assert.That(first.ExitCode, Is.EqualTo(0), first.Stderr);
            Assert.That(GeneratedFolder.Compare(folder, ShapeCatalogue.All), Is.Empty);
            Assert.That(File.ReadAllText(Path.Combine(folder, "MP", "MP+rel+acq.litmus")), Is.EqualTo(ShapeCatalogue.Find("MP+rel+acq").Text));

            var upToDate = HarnessProcess.Run("generate", "--out", folder, "--check");
            Assert.That(upToDate.ExitCode, Is.EqualTo(0), upToDate.Stdout + upToDate.Stderr);

            var changed = Path.Combine(folder, "SB", "SB+rlx.litmus");
            File.AppendAllText(changed, "// edited\n");
            var stale = Path.Combine(folder, "SB", "SB+gone.litmus");
            File.WriteAllText(stale, "C SB+gone\n");
            File.Delete(Path.Combine(folder, "Z6.0", "Z6.0+sc.litmus"));
            var check = HarnessProcess.Run("generate", "--out", folder, "--check");
            Assert.Multiple(() =>
            {
                Assert.That(check.ExitCode, Is.EqualTo(1));
                Assert.That(check.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[]
                {
                    $"{stale}: stale",
                    $"{changed}: differs",
                    $"{Path.Combine(folder, "Z6.0", "Z6.0+sc.litmus")}: missing",
                }));
                Assert.That(File.Exists(stale), "--check writes nothing");
            });

            var again = HarnessProcess.Run("generate", "--out", folder);
            Assert.Multiple(() =>
            {
                Assert.That(again.ExitCode, Is.EqualTo(0), again.Stderr);
                Assert.That(again.Stdout, Does.Contain("2 written").And.Contain("1 stale deleted"));
                Assert.That(File.Exists(stale), Is.False);
                Assert.That(GeneratedFolder.Compare(folder, ShapeCatalogue.All), Is.Empty);
            });
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
