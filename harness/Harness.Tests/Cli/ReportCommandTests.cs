using Harness.Reports;
using Harness.Tests.Reports.Html;
using Harness.Tests.Support;

namespace Harness.Tests.Cli;

/// <summary>
/// The HTML report through the real process: <c>harness report</c> on a folder, <c>harness suite</c>
/// leaving it beside its other files, and <c>harness compare</c> writing comparison.html.
/// </summary>
[NonParallelizable]
public class ReportCommandTests
{
    [Test]
    public void Report_builds_the_index_and_a_page_per_test_of_each_folder()
    {
        using var fixture = HtmlReportFixture.Create();

        var run = HarnessProcess.Run("report", fixture.Results);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Stderr);
        Assert.That(run.Stdout, Does.Contain($"{HtmlReportFixture.TestNames.Count} test pages"));
        Assert.That(PageLinks.Unresolved(fixture.IndexPath), Is.Empty);
        Assert.That(HtmlReportFixture.TestNames.Where(t => !File.Exists(fixture.PagePath(t))), Is.Empty);
    }

    [Test]
    public void Report_on_a_folder_that_holds_no_results_is_a_usage_error()
    {
        using var fixture = HtmlReportFixture.Create();
        var missing = Path.Combine(fixture.Root, "no-such-folder");

        var run = HarnessProcess.Run("report", missing);

        Assert.That(run.ExitCode, Is.EqualTo(2));
        Assert.That(run.Stderr, Does.Contain($"{missing}: error: no such results folder"));
    }

    [Test]
    public void Compare_writes_comparison_html_whose_cells_open_each_machine_s_page_of_the_test()
    {
        var arm = new Harness.Running.MachineInfo("arm64", "Neoverse-N1", 4, "Linux 6.1", ".NET 10.0.0", "lse-rcpc", "arm64-neoverse-n1-4c");
        using var fixture = HtmlReportFixture.Create(HtmlReportFixture.Machine, arm);
        foreach (var folder in new[] { fixture.Results, fixture.ResultsOf(arm) }) Assert.That(HarnessProcess.Run("report", folder).ExitCode, Is.EqualTo(0));
        var output = Path.Combine(fixture.Root, "results");

        var run = HarnessProcess.Run("compare", fixture.Results, fixture.ResultsOf(arm), "--out", output);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Stderr);
        var page = Path.Combine(output, "comparison.html");
        Assert.That(run.Stdout, Does.Contain(page));
        Assert.That(PageLinks.Unresolved(page), Is.Empty);
        var links = PageLinks.Of(page).Select(r => Uri.UnescapeDataString(r.Value)).ToList();
        foreach (var machine in new[] { HtmlReportFixture.Machine.Id, arm.Id })
        {
            Assert.That(links, Does.Contain($"{machine}/index.html"));
            Assert.That(links, Does.Contain($"{machine}/html/{ResultFiles.FileName(HtmlReportFixture.EscapedTest)}.html"));
        }
    }

    [Test]
    public void A_suite_leaves_the_html_report_with_its_other_files()
    {
        var folder = Path.Combine(Path.GetTempPath(), "harness-suite-html-" + Guid.NewGuid().ToString("N"));
        try
        {
            var tests = Path.Combine(folder, "tests-litmus", "SB");
            Directory.CreateDirectory(tests);
            File.WriteAllText(Path.Combine(tests, "SB+rlx.litmus"), LitmusSamples.StoreBufferingRelaxed);
            var environment = new Dictionary<string, string> { ["HARNESS_CACHE"] = Path.Combine(Path.GetTempPath(), "harness-test-kernels") };

            var run = HarnessProcessWithEnvironment.Run(environment, "suite", tests, "--out", Path.Combine(folder, "results"),
                "--iterations", "20000", "--total-budget", "10", "--no-check-emitted");

            Assert.That(run.ExitCode, Is.EqualTo(0), run.Stderr);
            var machine = Directory.GetDirectories(Path.Combine(folder, "results")).Single();
            var page = Path.Combine(machine, ResultFiles.HtmlFolder, "SB+rlx.html");
            Assert.That(PageLinks.Unresolved(Path.Combine(machine, ResultFiles.IndexFile)), Is.Empty);
            Assert.That(PageLinks.Unresolved(page), Is.Empty);
            // The suite ran from elsewhere with an absolute path: the source is found all the same, and the kernel with it.
            Assert.That(File.ReadAllText(page), Does.Contain("<pre class=\"litmus\">").And.Contain("<pre class=\"kernel\""));
            Assert.That(run.Stdout, Does.Contain("index.html"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
