using Harness.Language;
using Harness.Mapping;
using Harness.Pipeline;
using Harness.Running;
using Harness.Tests.Support;
using Harness.Verdicts;
using Harness.Programs;

namespace Harness.Tests.Running;

/// <summary>
/// Every C test of the oracle and of tests-litmus, run briefly on this machine: the runner
/// must never observe a state the hardware model forbids for the code the JIT emits, nor,
/// with the sound dotnet scheme, one that C++20 forbids. Without the oracle its tests are one
/// placeholder case, skipped or failed (<see cref="SharedOracle"/>), never absent.
/// </summary>
[NonParallelizable]
public class CorpusRunTests
{
    private static readonly string Cache = Path.Combine(Path.GetTempPath(), "harness-test-kernels");

    public static IEnumerable<TestCaseData> Files() => FilesFrom(RepositoryPaths.Oracle, RepositoryPaths.TestsLitmus);

    /// <summary>The oracle's C tests (or the placeholder for them), then the catalogue's tests.</summary>
    public static IEnumerable<TestCaseData> FilesFrom(string oracle, string testsLitmus) =>
        SharedOracle.CasesOrPlaceholder(oracle, "Run", () => Cases(Path.Combine(oracle, "c"))).Concat(Cases(testsLitmus));

    private static IEnumerable<TestCaseData> Cases(string folder) =>
        Directory.EnumerateFiles(folder, "*.litmus", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(file => new TestCaseData(file).SetName($"Run {Path.GetFileNameWithoutExtension(file)}"));

    [TestCaseSource(nameof(Files))]
    public void Nothing_forbidden_is_observed(string? file)
    {
        if (file is null)
        {
            SharedOracle.RunPlaceholder();
            return;
        }
        var test = LitmusParser.ParseFile(file);
        var run = RunPipeline.Run(test, MappingScheme.DotNet, new RunOptions { Iterations = 20_000, Size = 500 }, cacheDirectory: Cache);

        var forbidden = run.Histogram.Where(o => o.Class.IsForbidden()).Select(o => $"{o.State} ({o.Class}, {o.Count}x)");
        Assert.That(forbidden, Is.Empty);
        Assert.That(run.Histogram.Sum(o => o.Count) + run.DidNotTerminate, Is.EqualTo(20_000));
    }
}
