using Harness.Reports;
using Harness.Tests.Cli;
using Harness.Tests.Support;

namespace Harness.Tests.Charts;

/// <summary>
/// <c>harness compare</c> with the other architecture predicted: one x86 folder already answers "where does
/// ARM show what x86 hides", marked predicted; an arm64 folder's observations replace its profile's predictions.
/// </summary>
public class ComparisonPredictionTests() : SampleFolderFixture("harness-compare-predicted", nestUnderSamples: true)
{
    private static readonly string[] ArmProfiles = ["lse-rcpc", "lse", "rcpc", "v8.0"];

    private static string Machine(string architecture, string profile, string id) =>
        $$"""{"architecture":"{{architecture}}","cpu":"CPU","cores":2,"os":"Linux","dotnet":".NET 10.0.0","profile":"{{profile}}","id":"{{id}}"}""";

    /// <summary>A per-test object; <paramref name="elsewhere"/> maps a profile to its verdict (null: an older run.json without them).</summary>
    private static string Test(string name, string condition, long positive, string hardware, string verdict,
        IReadOnlyDictionary<string, string>? elsewhere, string? file = null, string warnings = "")
    {
        var predicted = elsewhere is null ? "" :
            ",\"predicted_elsewhere\":{" + string.Join(",", elsewhere.Select(p =>
                $"\"{p.Key}\":{{\"model\":\"{(p.Key == "x64" ? "tso" : "arm64")}\",\"observed\":false,\"source\":\"table\"," +
                $"\"verdict\":\"{p.Value}\",\"cut_by_loop_bound\":0,\"states\":[]," +
                $"\"weak_states\":[{(p.Value == "allowed" ? "{\"1:r0\":1}" : "")}]}}")) + "}";
        var source = file is null ? "" : $",\"file\":\"{file}\"";
        return $"{{\"test\":\"{name}\",\"scheme\":\"dotnet\",\"iterations\":1000000,\"positive\":{positive},\"negative\":{1_000_000 - positive}," +
               $"\"predicted\":{{\"{hardware}\":{{\"verdict\":\"{verdict}\",\"states\":[]}},\"cpp20\":{{\"verdict\":\"allowed\",\"undefined\":false,\"states\":[]}}}}" +
               $"{predicted},\"condition\":\"{condition}\",\"verdict\":\"ok\",\"loop_bound\":2,\"warnings\":[{warnings}]{source}}}";
    }

    private static Dictionary<string, string> AllArm(string verdict) => ArmProfiles.ToDictionary(p => p, _ => verdict);

    private string ResultsFolder(string name, string machine, params string[] tests)
    {
        var folder = Path.Combine(Folder, name);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "run.json"),
            "{\"machine\":" + machine + ",\"scheme\":\"dotnet\",\"mode\":\"hunt\",\"tests\":[" + string.Join(",", tests) + "]}");
        return folder;
    }

    private const string Mp = @"exists (1:r0=1 /\\ 1:r1=0)";
    private const string Sb = @"exists (0:r0=0 /\\ 1:r0=0)";
    private const string Lb = @"exists (0:r0=1 /\\ 1:r0=1)";

    private string X64Folder() => ResultsFolder("x64", Machine("x64", "x64", "x64-test-2c"),
        Test("MP+rlx", Mp, 0, "tso", "forbidden", AllArm("allowed")),
        Test("SB+rlx", Sb, 120_000, "tso", "allowed", AllArm("allowed")),
        Test("LB+rlx", Lb, 0, "tso", "forbidden", AllArm("allowed")),
        Test("CoRR+rlx", Mp, 0, "tso", "forbidden", AllArm("forbidden")),
        Test("3.SB+rlx", Sb, 0, "tso", "allowed", AllArm("allowed"),
            warnings: "\"3 threads on 2 CPU(s): threads take turns, so weak behaviour is unlikely to show\""));

    private static string Row(string markdown, string test) =>
        markdown.Split('\n').Single(l => l.StartsWith($"| {test} |", StringComparison.Ordinal) || l.StartsWith($"| **{test}** |", StringComparison.Ordinal));

    private static string[] Cells(string row) => row.Trim().Trim('|').Split(" | ").Select(c => c.Trim()).ToArray();

    [Test]
    public void One_x86_folder_reports_the_tests_ARM_shows_and_x86_hides_as_predicted()
    {
        var comparison = Comparison.Load([X64Folder()]);
        var markdown = comparison.ToMarkdown();

        Assert.That(comparison.PredictedColumns.Select(c => c.Target),
            Is.EqualTo(new[] { "arm64 (lse-rcpc)", "arm64 (lse)", "arm64 (rcpc)", "arm64 (v8.0)" }));
        Assert.That(comparison.Rows.Where(r => r.ArmOnlyPredicted).Select(r => r.Test), Is.EqualTo(new[] { "MP+rlx", "LB+rlx" }),
            "tso forbids them, arm64 allows them; SB+rlx is seen on x86 and 3.SB+rlx allowed there");
        Assert.That(comparison.Rows.Count(r => r.ArmOnly), Is.Zero, "nothing observed on ARM");
        var header = Cells(markdown.Split('\n').Single(l => l.StartsWith("| test |", StringComparison.Ordinal)));
        Assert.That(header, Is.EqualTo(new[]
        {
            "test", "C++20", "x64-test-2c", "arm64 (lse-rcpc)†", "arm64 (lse)†", "arm64 (rcpc)†", "arm64 (v8.0)†", "ARM-only", "condition",
        }));
        var mp = Cells(Row(markdown, "MP+rlx"));
        Assert.That(mp[3], Is.EqualTo("**predicted: allowed (1 weak state)**"));
        Assert.That(mp[7], Is.EqualTo("☆ predicted"));
        Assert.That(Cells(Row(markdown, "CoRR+rlx"))[3], Is.EqualTo("predicted: forbidden (0 weak states)"));
        Assert.That(Cells(Row(markdown, "3.SB+rlx"))[2], Does.EndWith("· oversubscribed: 3 threads on 2 CPUs"),
            "an older run.json's warning still tells that its threads took turns");
        Assert.That(markdown, Does.Contain("2 ARM-only predicted, not observed").And.Contain("† **Predicted, not observed**"));
    }

    [Test]
    public void An_arm64_folder_replaces_the_predictions_for_its_profile_with_observations()
    {
        var arm = ResultsFolder("arm64", Machine("arm64", "lse-rcpc", "arm64-test-4c"),
            Test("MP+rlx", Mp, 1_234, "arm64", "allowed", null),
            Test("LB+rlx", Lb, 0, "arm64", "allowed", null));

        var comparison = Comparison.Load([X64Folder(), arm]);

        Assert.That(comparison.PredictedColumns.Select(c => c.Profile), Is.EqualTo(new[] { "lse", "rcpc", "v8.0" }),
            "lse-rcpc is observed now");
        var mp = comparison.Rows.Single(r => r.Test == "MP+rlx");
        Assert.That((mp.ArmOnly, mp.ArmOnlyPredicted), Is.EqualTo((true, false)), "seen on ARM: observed, no longer only predicted");
        var lb = comparison.Rows.Single(r => r.Test == "LB+rlx");
        Assert.That((lb.ArmOnly, lb.ArmOnlyPredicted), Is.EqualTo((false, true)), "not seen on the ARM machine, still allowed by the other profiles");
    }

    [Test]
    public void An_older_folder_gets_its_predictions_from_the_litmus_sources_or_says_they_are_missing()
    {
        var sources = Path.Combine(Folder, "tests-litmus");
        Directory.CreateDirectory(sources);
        File.WriteAllText(Path.Combine(sources, "MP+rlx.litmus"), LitmusSamples.MessagePassingRelaxed);
        // The run recorded paths relative to where it ran, the folder above results/.
        var folder = ResultsFolder(Path.Combine("results", "x64-old"), Machine("x64", "x64", "x64-old-2c"),
            Test("MP+rlx", Mp, 0, "tso", "forbidden", null, file: "tests-litmus/MP+rlx.litmus"),
            Test("SB+rlx", Sb, 120_000, "tso", "allowed", null, file: "tests-litmus/SB+gone.litmus"));

        var machine = Comparison.LoadRun(folder);
        var comparison = Comparison.Of([machine]);

        Assert.That(machine.RecomputedPredictions, Is.EqualTo(1));
        Assert.That(machine.MissingPredictions, Is.EqualTo(new[] { "SB+rlx" }));
        Assert.That(machine.MissingReasons.Single(), Does.Contain("litmus source not found: tests-litmus/SB+gone.litmus"));
        Assert.That(machine.Find("MP+rlx")!.Elsewhere!.Select(p => (p.Profile, p.Verdict, p.WeakStates)),
            Is.EqualTo(ArmProfiles.Select(p => (p, "allowed", 1))), "simulated now, as the suite would have");
        Assert.That(comparison.Rows.Single(r => r.Test == "MP+rlx").ArmOnlyPredicted, Is.True);
        var markdown = comparison.ToMarkdown();
        Assert.That(markdown, Does.Contain("computed from the litmus sources for 1 tests"));
        Assert.That(markdown, Does.Contain("predictions for other targets missing for 1 tests"));
    }

    [Test]
    public void The_committed_x86_results_show_ARM_only_tests_by_prediction()
    {
        var folder = Path.Combine(RepositoryPaths.Root, "results", "x64-amd-epyc-2c");
        var output = Path.Combine(Folder, "out");

        var result = HarnessProcess.Run("compare", folder, "--out", output);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        Assert.That(result.Stdout, Does.Match(@"0 ARM-only observed, [1-9]\d* ARM-only predicted, not observed"));
        var markdown = File.ReadAllText(Path.Combine(output, "comparison.md"));
        var mp = Cells(Row(markdown, "MP+rlx"));
        Assert.That(mp[2], Does.StartWith("0/1,000,000 · tso: forbidden"));
        Assert.That(mp[3..7], Is.All.EqualTo("**predicted: allowed (1 weak state)**"));
        Assert.That(mp[7], Is.EqualTo("☆ predicted"));
        Assert.That(markdown, Does.Not.Contain("missing for"), "every source of the committed run is in tests-litmus");
        Assert.That(File.ReadAllText(Path.Combine(output, "comparison.svg")), Does.Contain("predicted, not observed"));
    }
}
