using Harness.Reports;
using Harness.Tests.Cli;
using Harness.Tests.Support;

namespace Harness.Tests.Charts;

/// <summary><c>harness compare</c> over results folders that hold <c>harness bench</c> results: each case's cost side by side, by architecture.</summary>
public class CostComparisonTests() : SampleFolderFixture("harness-cost-compare", nestUnderSamples: true)
{
    private static string RunJson(string architecture, string id) => $$$"""
        {"machine":{"architecture":"{{{architecture}}}","cpu":"CPU","cores":2,"os":"Linux","dotnet":".NET 10.0.0","profile":"p","id":"{{{id}}}"},
         "tests":[{"test":"SB+rlx","iterations":10,"positive":1,"negative":9,"condition":"exists (0:r0=0)"}]}
        """;

    /// <summary>BenchmarkDotNet's full JSON export, trimmed to the fields read, one case per (type, operation, contention, mean, margin).</summary>
    private static string CostsJson(params (string Type, string Operation, string Contention, double Mean, double Margin)[] cases) =>
        "{\"Title\":\"t\",\"Benchmarks\":[" + string.Join(",", cases.Select(Case)) + "]}";

    private static string Case((string Type, string Operation, string Contention, double Mean, double Margin) c)
    {
        var mean = c.Mean.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var margin = c.Margin.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return "{\"DisplayInfo\":\"" + c.Type + ".Cost: Precise(Toolchain=InProcessEmitToolchain, IterationTime=100ms, MaxRelativeError=0.02) " +
               "[Contention=" + c.Contention + ", Operation=" + c.Operation + "]\",\"Type\":\"" + c.Type + "\"," +
               "\"Parameters\":\"Contention=" + c.Contention + "&Operation=" + c.Operation + "\"," +
               "\"Statistics\":{\"N\":15,\"Mean\":" + mean + ",\"ConfidenceInterval\":{\"Margin\":" + margin + "}}}";
    }

    private string Results(string name, string architecture, string? costs)
    {
        var folder = Path.Combine(Folder, name);
        Directory.CreateDirectory(Path.Combine(folder, "bench"));
        File.WriteAllText(Path.Combine(folder, "run.json"), RunJson(architecture, name));
        if (costs is not null) File.WriteAllText(Path.Combine(folder, "bench", "costs.json"), costs);
        return folder;
    }

    [Test]
    public void Costs_are_side_by_side_with_the_x86_machines_first()
    {
        var arm = Results("arm64-m", "arm64", CostsJson(("PrimitiveCosts", "plain load", "Uncontended", 0.5, 0.01),
            ("OrderingCosts", "store seq_cst", "Contended", 40.0, 8.0)));
        var none = Results("x64-nobench", "x64", null);
        var x64 = Results("x64-m", "x64", CostsJson(("PrimitiveCosts", "plain load", "Uncontended", 0.3108, 0.0049),
            ("OrderingCosts", "store seq_cst", "Contended", 12.5, 0.3)));
        var output = Path.Combine(Folder, "out");

        var result = HarnessProcess.Run("compare", arm, none, x64, "--out", output);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        var path = Path.Combine(output, CostComparison.MarkdownFile);
        Assert.That(result.Stdout, Does.Contain(path));
        var lines = File.ReadAllLines(path);
        Assert.Multiple(() =>
        {
            Assert.That(lines, Does.Contain("| group | operation | contention | x64: x64-m | arm64: arm64-m |"));
            Assert.That(lines, Does.Contain("| .NET primitives | plain load | uncontended | 0.311 ± 0.005 | 0.500 ± 0.010 |"));
            Assert.That(lines, Does.Contain("| C++ orderings | store seq_cst | contended | 12.50 ± 0.30 | ~40.00 ± 8.00 |"), "a wide interval is marked");
            Assert.That(lines, Does.Contain("| x64-m | x64 | Precise(Toolchain=InProcessEmitToolchain, IterationTime=100ms, MaxRelativeError=0.02) |"));
        });
    }

    [Test]
    public void Without_bench_results_there_is_no_cost_table()
    {
        var x64 = Results("x64-only", "x64", null);
        var output = Path.Combine(Folder, "out-none");

        var result = HarnessProcess.Run("compare", x64, "--out", output);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        Assert.That(File.Exists(Path.Combine(output, CostComparison.MarkdownFile)), Is.False);
    }

    [Test]
    public void Malformed_bench_results_are_a_usage_error_naming_the_file()
    {
        var x64 = Results("x64-bad", "x64", "{\"Title\":\"t\"}");

        var result = HarnessProcess.Run("compare", x64, "--out", Path.Combine(Folder, "out-bad"));

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Stderr, Does.Contain(CostComparison.CostsFile(x64)).And.Contain("Benchmarks"));
    }
}
