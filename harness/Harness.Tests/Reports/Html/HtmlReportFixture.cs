using System.Text.Json.Nodes;
using Harness.Language;
using Harness.Mapping;
using Harness.Programs;
using Harness.Reports;
using Harness.Reports.Charts;
using Harness.Running;
using Harness.Verdicts;

namespace Harness.Tests.Reports.Html;

/// <summary>
/// A small checkout with a results folder in it, written as <c>harness suite</c> writes one (per-test
/// JSON, run.json, charts) from hand-made runs with real predictions: a weak state seen, a
/// forbidden one seen, an oversubscribed three-thread test, a state the JIT's code cannot produce,
/// and a test whose name and source hold '&amp;', '&lt;' and '&gt;'.
/// </summary>
public sealed class HtmlReportFixture : IDisposable
{
    public const string WeakTest = "SB+rlx";
    public const string ForbiddenTest = "SB+sc";
    public const string OversubscribedTest = "WRC+rlx";
    public const string NotObservableTest = "CoRR+rlx";
    public const string EscapedTest = "SB+a&b<c>";

    /// <summary>What the escaped test's comment says: it must show as text, never become markup.</summary>
    public const string MarkupInComment = "x < y && <b>bold</b> 'q'";

    public static readonly MachineInfo Machine = new("x64", "Test CPU <9000> & Co", 2, "Linux 6.1", ".NET 10.0.0", "x64", "x64-test-cpu-9000-2c");

    private HtmlReportFixture(string root, MachineInfo machine)
    {
        Root = root;
        Results = ResultsOf(machine);
    }

    /// <summary>The checkout: tests-litmus/ and results/ inside.</summary>
    public string Root { get; }

    /// <summary>The first machine's results folder, results/MACHINE.</summary>
    public string Results { get; }

    public string ResultsOf(MachineInfo machine) => Path.Combine(Root, "results", machine.Id);

    /// <summary>The tests in run order, as run.json lists them.</summary>
    public static readonly IReadOnlyList<string> TestNames = [WeakTest, ForbiddenTest, OversubscribedTest, NotObservableTest, EscapedTest];

    public string PagePath(string test) => Path.Combine(Results, ResultFiles.HtmlFolder, ResultFiles.FileName(test) + ".html");

    public string IndexPath => Path.Combine(Results, ResultFiles.IndexFile);

    /// <summary>A checkout with a results folder per machine (<see cref="Machine"/> alone when none is given), the same runs in each.</summary>
    public static HtmlReportFixture Create(params MachineInfo[] machines)
    {
        if (machines.Length == 0) machines = [Machine];
        var fixture = new HtmlReportFixture(Path.Combine(Path.GetTempPath(), "harness-html-" + Guid.NewGuid().ToString("N")), machines[0]);
        foreach (var machine in machines) fixture.Write(machine);
        return fixture;
    }

    private void Write(MachineInfo machine)
    {
        var runs = new List<TestRun>
        {
            Run(machine, "generated/SB", Support.LitmusSamples.StoreBufferingRelaxed, [([0, 0], 1_200), ([0, 1], 44_000), ([1, 0], 54_000), ([1, 1], 800)]),
            // Seq_cst SB observed with both loads missing: the hardware model forbids it for a locked fence.
            Run(machine, "generated/SB", Support.LitmusSamples.StoreBufferingSeqCst, [([0, 0], 3), ([0, 1], 50_000), ([1, 0], 49_997)]),
            Run(machine, "generated/WRC", WriteToReadCausality, [([0, 0, 0], 30_000), ([0, 0, 1], 20_000), ([1, 1, 1], 50_000)],
                warnings: ["3 threads on 2 CPU(s): threads take turns, so weak behaviour is unlikely to show; instances are not started together"]),
            Run(machine, "generated/CoRR", ReadReadCoherence, [([0, 0], 60_000), ([1, 1], 40_000)], notObservable: [[0, 1]]),
            Run(machine, "dotnet", EscapedSource, [([0, 0], 10), ([0, 1], 50_000), ([1, 0], 49_990)]),
        };
        var folder = ResultsOf(machine);
        Directory.CreateDirectory(Path.Combine(folder, ResultFiles.TestsFolder));
        foreach (var run in runs)
        {
            OutcomeChart.Save(run, Path.Combine(folder, ResultFiles.ChartsFolder, ResultFiles.FileName(run.Test.Name)));
            File.WriteAllText(Path.Combine(folder, ResultFiles.TestsFolder, ResultFiles.FileName(run.Test.Name) + ".json"), RunJson.ToJsonLine(run) + "\n");
        }
        var started = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
        File.WriteAllText(Path.Combine(folder, "run.json"),
            SuiteReport.CombinedJson(machine, runs, started, started.AddMinutes(2), "dotnet", "hunt", 5, 600, [], []));
        File.WriteAllText(Path.Combine(folder, "summary.md"), SuiteReport.Markdown(machine, runs, [], []));
        SummaryChart.Save(runs, Path.Combine(folder, ResultFiles.ChartsFolder, "summary"));
    }

    /// <summary>
    /// A run of a litmus text kept at tests-litmus/FAMILY/NAME.litmus under the checkout, recorded
    /// under that relative path as a suite started in the checkout records it.
    /// </summary>
    private TestRun Run(MachineInfo machine, string family, string litmus, IEnumerable<(long[] Values, long Count)> counts,
        IReadOnlyList<string>? warnings = null, IReadOnlyList<long[]>? notObservable = null)
    {
        var name = litmus.TrimStart().Split('\n')[0].Trim()[2..];
        var relative = $"tests-litmus/{family}/{ResultFiles.FileName(name)}.litmus";
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, litmus);
        var test = LitmusParser.Parse(litmus, relative);
        var predicted = Predictions.For(test, MappingScheme.DotNet, machine.InstructionProfile, elsewhere: true);
        var keys = predicted.Sc.Observed;
        var histogram = counts.ToDictionary(c => new FinalState(keys, c.Values), c => c.Count);
        var raw = new RawRun(histogram, histogram.Values.Sum(), 0.05, 0, warnings ?? [], false);
        var emitted = new EmittedCodeCheck(machine.Architecture + " (this machine)", machine.Profile, null,
            (notObservable ?? []).Select(v => new FinalState(keys, v)).ToList(), [], [],
            notObservable is null ? [] : ["P1: the read of x into r1 is merged with the earlier read of it"], []);
        return TestRun.Judge(test, MappingScheme.DotNet, machine, new RunOptions(), predicted, raw, fromCache: false, emitted);
    }

    /// <summary>Rewrites every test object, in run.json and in tests/*.json alike, as a newer harness might have written it.</summary>
    public void RewriteTests(Action<JsonObject> rewrite)
    {
        var runFile = Path.Combine(Results, "run.json");
        var run = JsonNode.Parse(File.ReadAllText(runFile))!.AsObject();
        foreach (var test in run["tests"]!.AsArray()) rewrite(test!.AsObject());
        File.WriteAllText(runFile, run.ToJsonString());
        foreach (var file in Directory.GetFiles(Path.Combine(Results, ResultFiles.TestsFolder), "*.json"))
        {
            var test = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
            rewrite(test);
            File.WriteAllText(file, test.ToJsonString());
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }

    private const string WriteToReadCausality = """
        C WRC+rlx
        { [x]=0; [y]=0; }
        P0 (atomic_int* x) { atomic_store_explicit(x, 1, memory_order_relaxed); }
        P1 (atomic_int* x, atomic_int* y) {
          int r0 = atomic_load_explicit(x, memory_order_relaxed);
          atomic_store_explicit(y, 1, memory_order_relaxed);
        }
        P2 (atomic_int* x, atomic_int* y) {
          int r0 = atomic_load_explicit(y, memory_order_relaxed);
          int r1 = atomic_load_explicit(x, memory_order_relaxed);
        }
        exists (1:r0=1 /\ 2:r0=1 /\ 2:r1=0)
        """;

    private const string ReadReadCoherence = """
        C CoRR+rlx
        { [x]=0; }
        P0 (atomic_int* x) { atomic_store_explicit(x, 1, memory_order_relaxed); }
        P1 (atomic_int* x) {
          int r0 = atomic_load_explicit(x, memory_order_relaxed);
          int r1 = atomic_load_explicit(x, memory_order_relaxed);
        }
        exists (1:r0=1 /\ 1:r1=0)
        """;

    private static readonly string EscapedSource = Support.LitmusSamples.StoreBufferingRelaxed
        .Replace("C SB+rlx", $"C {EscapedTest}\n\"{MarkupInComment}\"", StringComparison.Ordinal)
        .Replace("exists", "// a comment with <tags> & ampersands\nexists", StringComparison.Ordinal);
}
