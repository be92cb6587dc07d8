using Harness.Tests.Support;
using Harness.Reports;
using Harness.Tests.Cli;

namespace Harness.Tests.Charts;

/// <summary><c>harness compare</c> over two hand-written run.json files, one from x64 and one from arm64.</summary>
public class ComparisonTests() : SampleFolderFixture("harness-compare", nestUnderSamples: true)
{
    private static string Machine(string architecture, string cpu, string profile, string id) =>
        $$$"""{"architecture":"{{{architecture}}}","cpu":"{{{cpu}}}","cores":4,"os":"Linux 6.1","dotnet":".NET 10.0.0","profile":"{{{profile}}}","id":"{{{id}}}"}""";

    /// <summary>A per-test object as RunJson writes it, trimmed to what matters here, plus a field the reader does not know.</summary>
    private static string Test(string name, string condition, long iterations, long positive, string hardware, string hardwareVerdict,
        string cpp20Verdict, string verdict = "ok") => $$$"""
        {"test":"{{{name}}}","scheme":"dotnet","iterations":{{{iterations}}},"seconds":0.5,
         "histogram":[],"predicted":{"sc":{"verdict":"forbidden","states":[]},
           "{{{hardware}}}":{"verdict":"{{{hardwareVerdict}}}","profile":"{{{(hardware == "arm64" ? "lse-rcpc" : "x64")}}}","states":[]},
           "cpp20":{"verdict":"{{{cpp20Verdict}}}","undefined":false,"states":[]} },
         "allowed_unseen":[],"condition":"{{{condition}}}","observation":"{{{(positive == 0 ? "Never" : "Sometimes")}}}",
         "positive":{{{positive}}},"negative":{{{iterations - positive}}},"verdict":"{{{verdict}}}","future_field":{"anything":[1,2]} }
        """;

    private static string RunJson(string machine, params string[] tests) => $$$"""
        {"machine":{{{machine}}},"started":"2025-01-01T00:00:00Z","finished":"2025-01-01T00:10:00Z","scheme":"dotnet","mode":"hunt",
         "budget":{"per_test_seconds":1,"total_seconds":600},"tests":[{{{string.Join(",\n", tests)}}}],"totals":{"tests":{{{tests.Length}}} } }
        """;

    private const string Exists = @"exists (1:r0=1 /\\ 1:r1=0)";

    /// <summary>Writes results/x64 and results/arm64; MP is the ARM-only test, SB is weak on both, LB is allowed on ARM but never seen.</summary>
    private (string X64, string Arm64) WriteResults()
    {
        var x64 = Path.Combine(Folder, "x64-test");
        var arm64 = Path.Combine(Folder, "arm64-test");
        Directory.CreateDirectory(x64);
        Directory.CreateDirectory(arm64);
        File.WriteAllText(Path.Combine(x64, "run.json"), RunJson(Machine("x64", "AMD EPYC", "x64", "x64-amd-epyc-4c"),
            Test("MP+rlx", Exists, 1_000_000, 0, "tso", "forbidden", "allowed"),
            Test("SB+rlx", @"exists (0:r0=0 /\\ 1:r0=0)", 1_000_000, 119_879, "tso", "allowed", "allowed"),
            Test("LB+rlx", @"exists (0:r0=1 /\\ 1:r0=1)", 1_000_000, 0, "tso", "forbidden", "allowed"),
            Test("2+2W+sc", @"~exists (x=1 /\\ y=1)", 500_000, 0, "tso", "allowed", "allowed")));
        File.WriteAllText(Path.Combine(arm64, "run.json"), RunJson(Machine("arm64", "Neoverse-N1", "lse-rcpc", "arm64-neoverse-n1-4c"),
            Test("MP+rlx", Exists, 2_000_000, 1_234, "arm64", "allowed", "allowed"),
            Test("SB+rlx", @"exists (0:r0=0 /\\ 1:r0=0)", 2_000_000, 300_000, "arm64", "allowed", "allowed"),
            Test("LB+rlx", @"exists (0:r0=1 /\\ 1:r0=1)", 2_000_000, 0, "arm64", "allowed", "allowed"),
            Test("MP+ra", Exists, 2_000_000, 3, "arm64", "forbidden", "forbidden", verdict: "forbidden")));
        return (x64, arm64);
    }

    private static string Row(string markdown, string test) =>
        markdown.Split('\n').Single(l => l.StartsWith($"| {test} |", StringComparison.Ordinal) || l.StartsWith($"| **{test}** |", StringComparison.Ordinal));

    private static string[] Cells(string row) => row.Trim().Trim('|').Split(" | ").Select(c => c.Trim()).ToArray();

    [Test]
    public void TheTableHasARowPerTestAndAColumnPerMachine()
    {
        var (x64, arm64) = WriteResults();

        var comparison = Comparison.Load([x64, arm64]);
        var markdown = comparison.ToMarkdown();

        Assert.That(comparison.Rows.Select(r => r.Test), Is.EqualTo(new[] { "MP+rlx", "SB+rlx", "LB+rlx", "2+2W+sc", "MP+ra" }));
        var header = markdown.Split('\n').Single(l => l.StartsWith("| test |", StringComparison.Ordinal));
        Assert.That(Cells(header), Is.EqualTo(new[] { "test", "C++20", "x64-amd-epyc-4c", "arm64-neoverse-n1-4c", "ARM-only", "condition" }));

        var sb = Cells(Row(markdown, "SB+rlx"));
        Assert.That(sb[1], Is.EqualTo("allowed"));
        Assert.That(sb[2], Is.EqualTo("11.99% (119,879/1,000,000) · tso: allowed"));
        Assert.That(sb[3], Is.EqualTo("15% (300,000/2,000,000) · arm64 (lse-rcpc): allowed"));
        Assert.That(sb[4], Is.Empty, "seen on x86 too: not ARM-only");
        Assert.That(sb[5], Is.EqualTo(@"`exists (0:r0=0 /\ 1:r0=0)`"));

        var twoPlusTwo = Cells(Row(markdown, "2+2W+sc"));
        Assert.That(twoPlusTwo[3], Is.EqualTo("—"), "not run on the arm64 machine");
    }

    [Test]
    public void AllowedOnArmSeenOnArmNeverOnX86IsMarkedArmOnly()
    {
        var (x64, arm64) = WriteResults();

        var comparison = Comparison.Load([x64, arm64]);
        var markdown = comparison.ToMarkdown();

        Assert.That(comparison.Rows.Where(r => r.ArmOnly).Select(r => r.Test), Is.EqualTo(new[] { "MP+rlx" }));
        var mp = Row(markdown, "MP+rlx");
        Assert.That(mp, Does.StartWith("| **MP+rlx** |"), "the ARM-only row stands out in bold");
        var cells = Cells(mp);
        Assert.That(cells[2], Is.EqualTo("**0/1,000,000 · tso: forbidden**"));
        Assert.That(cells[3], Is.EqualTo("**0.0617% (1,234/2,000,000) · arm64 (lse-rcpc): allowed**"));
        Assert.That(cells[4], Is.EqualTo("★"));

        Assert.That(Cells(Row(markdown, "LB+rlx"))[4], Is.Empty, "allowed on ARM but never seen there: not ARM-only");
        var alarm = Cells(Row(markdown, "MP+ra"));
        Assert.That(alarm[4], Is.Empty, "forbidden on ARM: an alarm, not an ARM-only behaviour");
        Assert.That(alarm[3], Does.Contain("⚠"));
    }

    [Test]
    public void CompareWritesTheTableAndTheHeatmap()
    {
        var (x64, arm64) = WriteResults();
        var output = Path.Combine(Folder, "out");

        var result = HarnessProcess.Run("compare", x64, arm64, "--out", output);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        foreach (var file in new[] { "comparison.md", "comparison.png", "comparison.svg" })
        {
            var path = Path.Combine(output, file);
            Assert.That(File.Exists(path), Is.True, path);
            Assert.That(result.Stdout, Does.Contain(path), "says where it wrote each file");
        }
        Assert.That(new FileInfo(Path.Combine(output, "comparison.png")).Length, Is.GreaterThan(10_000));
        var svg = File.ReadAllText(Path.Combine(output, "comparison.svg"));
        Assert.That(svg, Does.Contain("Condition witnesses across machines"));
        Assert.That(svg, Does.Contain("MP+rlx"));
        Assert.That(File.ReadAllText(Path.Combine(output, "comparison.md")), Does.Contain("★"));
        Assert.That(Directory.GetFiles(output, "*.tmp"), Is.Empty);
    }

    [Test]
    public void AResultsRootStandsForEveryMachineFolderInIt()
    {
        WriteResults();
        File.WriteAllText(Path.Combine(Folder, "README.md"), "not a machine");
        var output = Path.Combine(Folder, "out");

        var result = HarnessProcess.Run("compare", Folder, "--out", output);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        Assert.That(result.Stdout, Does.StartWith("compare: 5 tests on 2 machines, 1 ARM-only"));
        var markdown = File.ReadAllText(Path.Combine(output, "comparison.md"));
        Assert.That(markdown, Does.Contain("x64-amd-epyc-4c").And.Contain("arm64-neoverse-n1-4c"));
    }

    [TestCase("same")]
    [TestCase("spelled otherwise")]
    [TestCase("under its root")]
    public void AFolderComparedWithItselfIsAUsageError(string how)
    {
        var (x64, _) = WriteResults();
        var output = Path.Combine(Folder, "out");
        var again = how switch
        {
            "same" => x64,
            "spelled otherwise" => Path.Combine(Folder, ".", Path.GetFileName(x64)) + Path.DirectorySeparatorChar,
            _ => Folder,
        };

        var result = HarnessProcess.Run("compare", x64, again, "--out", output);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2));
            Assert.That(result.Stderr.TrimEnd('\n').Split('\n'), Has.Length.EqualTo(1));
            Assert.That(result.Stderr, Does.StartWith("compare: error: ").And.Contain(x64).And.Contain("compared with itself"));
            Assert.That(Directory.Exists(output), Is.False, "nothing written");
        });
    }

    [Test]
    public void AMissingRunJsonIsAUsageErrorNamingTheFile()
    {
        var (x64, _) = WriteResults();
        var empty = Path.Combine(Folder, "empty");
        Directory.CreateDirectory(empty);

        var result = HarnessProcess.Run("compare", x64, empty, "--out", Path.Combine(Folder, "out"));

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Stderr, Does.Contain(Path.Combine(empty, "run.json")));
        Assert.That(Directory.Exists(Path.Combine(Folder, "out")), Is.False, "nothing written");
    }

    [TestCase("{\"machine\":{\"architecture\":\"x64\"},\"tests\":[{\"test\":\"SB\"", "malformed JSON")]
    [TestCase("[1,2,3]", "expected a JSON object")]
    [TestCase("{\"tests\":[]}", "no \"machine\" object")]
    [TestCase("{\"machine\":{\"architecture\":\"x64\"},\"tests\":[{\"test\":\"SB\",\"iterations\":10}]}", "\"positive\" is missing")]
    [TestCase("{\"machine\":{\"id\":\"m\"},\"tests\":[]}", "no \"architecture\"")]
    public void AMalformedRunJsonIsAUsageErrorNamingTheFile(string json, string problem)
    {
        var (x64, _) = WriteResults();
        var bad = Path.Combine(Folder, "bad");
        Directory.CreateDirectory(bad);
        File.WriteAllText(Path.Combine(bad, "run.json"), json);

        var error = Assert.Throws<ComparisonInputException>(() => Comparison.Load([x64, bad]));
        Assert.That(error!.File, Is.EqualTo(Path.Combine(bad, "run.json")));
        Assert.That(error.Message, Does.Contain(problem));

        var result = HarnessProcess.Run("compare", x64, bad, "--out", Path.Combine(Folder, "out"));
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Stderr, Does.Contain(Path.Combine(bad, "run.json")).And.Contain(problem));
    }

    [Test]
    public void ForallTestsAreJudgedOnTheStatesThatBreakTheirAlways()
    {
        var test = new ComparedTest("counter", "forall (x=2)", 100, 97, 3, "arm64", "forbidden", "forbidden", false, false);

        Assert.That(test.Witnesses, Is.EqualTo(3));
        Assert.That(test.WitnessAllowed, Is.True, "forall forbidden: a state with x≠2 is allowed");
        Assert.That(test.Contradicted, Is.False);
    }

    [Test]
    public void TheHeatmapOfACatalogueOnThreeMachines()
    {
        // Forty tests on x64, arm64 with LSE and RCpc, and arm64 v8.0: every kind of cell.
        var names = Enumerable.Range(0, 40).Select(i => $"{(i % 4) switch { 0 => "MP", 1 => "SB", 2 => "LB", _ => "IRIW+addrs" }}+{i:D2}").ToList();
        ComparedTest Cell(string name, int i, int machine)
        {
            var allowed = machine == 0 ? i % 4 == 1 : i % 5 != 0;
            var positive = !allowed ? (i == 17 && machine == 2 ? 2 : 0) : i % 7 == 0 ? 0 : (long)(150_000 / Math.Pow(3, (i + machine) % 12));
            return new ComparedTest(name, "exists (1:r0=1 /\\ 1:r1=0)", 1_000_000, positive, 1_000_000 - positive,
                machine == 0 ? "tso" : "arm64", allowed ? "allowed" : "forbidden", "allowed", false, false);
        }
        var machines = new[] { ("x64-amd-epyc-4c", "x64"), ("arm64-neoverse-n1-4c", "arm64"), ("arm64-cortex-a72-4c", "arm64") }
            .Select((m, k) => new ComparedMachine($"results/{m.Item1}", m.Item1, m.Item2, "CPU", 4, "Linux", ".NET 10", "p", "dotnet", "hunt",
                names.Select((n, i) => Cell(n, i, k)).Where((_, i) => k != 2 || i % 9 != 4).ToList()))
            .ToList();
        var comparison = Comparison.Of(machines);
        var path = Path.Combine(Folder, "comparison-40x3");

        Harness.Reports.Charts.ComparisonChart.Save(comparison, path);

        Assert.That(comparison.Rows.Count(r => r.ArmOnly), Is.GreaterThan(5));
        Assert.That(new FileInfo(path + ".png").Length, Is.GreaterThan(10_000));
        Assert.That(File.ReadAllText(path + ".svg"), Does.Contain("arm64-cortex-a72-4c").And.Contain("★ MP+04"));
    }
}
