using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Harness.Kernels;
using Harness.Language;
using Harness.Mapping;
using Harness.Reports;
using Harness.Reports.Html;

namespace Harness.Tests.Reports.Html;

/// <summary>The HTML report of a results folder, read back from the files it writes.</summary>
public class HtmlReportTests
{
    private HtmlReportFixture _fixture = null!;

    [SetUp]
    public void CreateResults() => _fixture = HtmlReportFixture.Create();

    [TearDown]
    public void RemoveResults() => _fixture.Dispose();

    private string Index => File.ReadAllText(_fixture.IndexPath);

    private string Page(string test) => File.ReadAllText(_fixture.PagePath(test));

    private static IReadOnlyList<string> Rows(string html) =>
        Regex.Matches(html, "<tr data-test=\"([^\"]*)\"").Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();

    /// <summary>The text of an element, tags stripped and entities decoded: what a reader sees.</summary>
    private static string Text(string html) => WebUtility.HtmlDecode(Regex.Replace(html, "<[^>]+>", ""));

    /// <summary>The markup of the first row whose first cells mention <paramref name="state"/>.</summary>
    private static string RowOf(string html, string state) =>
        Regex.Matches(html, "<tr[^>]*>.*?</tr>", RegexOptions.Singleline).Select(m => m.Value).First(row => row.Contains(state, StringComparison.Ordinal));

    [Test]
    public void The_index_lists_every_test_once_under_the_folder_of_its_litmus_file()
    {
        var result = HtmlReport.Write(_fixture.Results);

        var index = Index;
        Assert.Multiple(() =>
        {
            Assert.That(result.Pages, Is.EqualTo(HtmlReportFixture.TestNames.Count));
            Assert.That(result.MissingSources, Is.Empty);
            Assert.That(Rows(index), Is.EqualTo(HtmlReportFixture.TestNames), "run order, each test once");
            // Families are the folders below tests-litmus, in the order their first test ran.
            var families = Regex.Matches(index, "<tbody class=\"family\" id=\"[^\"]*\">\\s*<tr class=\"family-head\"><td colspan=\"\\d+\"><h2>([^<]*)").Select(m => m.Groups[1].Value.Trim()).ToList();
            Assert.That(families, Is.EqualTo(new[] { "generated/SB", "generated/WRC", "generated/CoRR", "dotnet" }));
            var sb = index[index.IndexOf("<h2>generated/SB", StringComparison.Ordinal)..index.IndexOf("<h2>generated/WRC", StringComparison.Ordinal)];
            Assert.That(Rows(sb), Is.EqualTo(new[] { HtmlReportFixture.WeakTest, HtmlReportFixture.ForbiddenTest }));
        });
    }

    [Test]
    public void Tests_of_one_folder_are_grouped_by_the_name_before_the_first_plus()
    {
        _fixture.RewriteTests(test => test["file"] = "elsewhere/" + test["test"]!.GetValue<string>() + ".litmus");

        HtmlReport.Write(_fixture.Results);

        var families = Regex.Matches(Index, "<tbody class=\"family\" id=\"[^\"]*\">\\s*<tr class=\"family-head\"><td colspan=\"\\d+\"><h2>([^<]*)").Select(m => WebUtility.HtmlDecode(m.Groups[1].Value.Trim())).ToList();
        Assert.That(families, Is.EqualTo(new[] { "SB", "WRC", "CoRR" }));
    }

    [Test]
    public void Every_link_and_image_of_every_page_is_a_file_of_the_folder()
    {
        HtmlReport.Write(_fixture.Results);

        var pages = Directory.GetFiles(Path.Combine(_fixture.Results, ResultFiles.HtmlFolder), "*.html").Append(_fixture.IndexPath).ToList();
        Assert.That(pages, Has.Count.EqualTo(HtmlReportFixture.TestNames.Count + 1));
        foreach (var page in pages)
        {
            Assert.That(PageLinks.Unresolved(page), Is.Empty, page);
            // No stylesheet, script or font is fetched: all the style is in the page.
            var html = File.ReadAllText(page);
            Assert.That(html, Does.Not.Contain("<link").And.Not.Contain("<script src").And.Not.Contain("@import").And.Not.Contain("url("), page);
        }
        var charts = PageLinks.Of(_fixture.IndexPath).Where(r => r.Kind == "src").Select(r => Uri.UnescapeDataString(r.Value)).ToList();
        Assert.That(charts, Is.SupersetOf(HtmlReportFixture.TestNames.Select(t => $"charts/{ResultFiles.FileName(t)}.png")), "a chart per row");
        Assert.That(PageLinks.Of(_fixture.PagePath(HtmlReportFixture.WeakTest)).Select(r => r.Value), Does.Contain("../charts/SB%2Brlx.png"));
    }

    [Test]
    public void Names_sources_and_machine_facts_are_escaped_and_read_back_as_written()
    {
        HtmlReport.Write(_fixture.Results);

        var name = HtmlReportFixture.EscapedTest;
        var page = Page(name);
        var index = Index;
        Assert.Multiple(() =>
        {
            Assert.That(File.Exists(_fixture.PagePath(name)), Is.True, "the page is named after the test");
            Assert.That(PageLinks.Of(_fixture.IndexPath).Select(r => r.Value), Does.Contain("html/" + Uri.EscapeDataString(ResultFiles.FileName(name)) + ".html"));
            Assert.That(Text(Regex.Match(page, "<h1>(.*?)</h1>").Groups[1].Value), Is.EqualTo(name));
            Assert.That(Rows(index), Does.Contain(name));
            // The comment's markup is text on the page, never elements.
            foreach (var html in new[] { page, index })
                Assert.That(html, Does.Not.Contain("<b>bold</b>").And.Not.Contain("<c>").And.Not.Contain("<tags>").And.Not.Contain("<9000>"));
            var source = Regex.Match(page, "<pre class=\"litmus\">(.*?)</pre>", RegexOptions.Singleline).Groups[1].Value;
            Assert.That(Text(source), Does.Contain(HtmlReportFixture.MarkupInComment).And.Contain("// a comment with <tags> & ampersands"));
            Assert.That(Text(index), Does.Contain("Test CPU <9000> & Co"));
        });
    }

    [Test]
    public void The_page_shows_the_litmus_file_and_the_kernels_the_run_compiled()
    {
        HtmlReport.Write(_fixture.Results);

        var litmus = Path.Combine(_fixture.Root, "tests-litmus", "generated", "SB", "SB+rlx.litmus");
        var test = LitmusParser.ParseFile(litmus);
        var page = Page(HtmlReportFixture.WeakTest);
        string Pre(string selector) => Text(Regex.Match(page, $"<pre class=\"{selector}>(.*?)</pre>", RegexOptions.Singleline).Groups[1].Value);
        Assert.Multiple(() =>
        {
            Assert.That(Pre("litmus\""), Is.EqualTo(File.ReadAllText(litmus).TrimEnd('\n') + "\n"));
            // Hunt mode alternates the two layouts, so both kernels are there, the padded one first.
            Assert.That(Pre("kernel\" data-layout=\"padded\""), Is.EqualTo(KernelGenerator.Generate(test, MappingScheme.DotNet).Source.TrimEnd('\n') + "\n"));
            Assert.That(Pre("kernel\" data-layout=\"packed\""),
                Is.EqualTo(KernelGenerator.Generate(test, MappingScheme.DotNet, new KernelOptions(Packed: true)).Source.TrimEnd('\n') + "\n"));
        });
    }

    [Test]
    public void Beside_the_x64_observations_the_index_shows_each_arm64_profile_predicted_not_observed()
    {
        HtmlReport.Write(_fixture.Results);

        var index = Index;
        var header = Regex.Match(index, "<tr class=\"columns\">.*?</tr>", RegexOptions.Singleline).Value;
        var predictedColumns = Regex.Matches(header, "<th class=\"center predicted\"[^>]*>([^<]*)</th>").Select(m => Text(m.Groups[1].Value)).ToList();
        var causality = RowOf(index, $"data-test=\"{HtmlReportFixture.OversubscribedTest}\"");
        var coherence = RowOf(index, $"data-test=\"{HtmlReportFixture.NotObservableTest}\"");
        Assert.Multiple(() =>
        {
            Assert.That(predictedColumns, Is.EqualTo(new[] { "arm64 (lse-rcpc)†", "arm64 (lse)†", "arm64 (rcpc)†", "arm64 (v8.0)†" }));
            Assert.That(Text(index), Does.Contain("predicted, not observed"));
            // WRC with relaxed accesses: x86-TSO forbids it, every ARMv8 profile allows it, so the cells are bold.
            var cells = Regex.Matches(causality, "<td class=\"center predicted\">(.*?)</td>").Select(m => m.Groups[1].Value).ToList();
            Assert.That(cells, Has.Count.EqualTo(4).And.All.EqualTo("<b><span class=\"allowed\">Ok</span></b>"));
            // Read-read coherence holds everywhere: the same answer as x86, not bold.
            var coherent = Regex.Matches(coherence, "<td class=\"center predicted\">(.*?)</td>").Select(m => m.Groups[1].Value).ToList();
            Assert.That(coherent, Has.Count.EqualTo(4).And.All.EqualTo("<span class=\"forbidden-mark\">No</span>"));
        });
    }

    [Test]
    public void A_forbidden_observation_is_an_alarm_in_red_on_the_index_and_the_page()
    {
        HtmlReport.Write(_fixture.Results);

        var index = Index;
        var page = Page(HtmlReportFixture.ForbiddenTest);
        Assert.Multiple(() =>
        {
            Assert.That(RowOf(index, $"data-test=\"{HtmlReportFixture.ForbiddenTest}\""), Does.StartWith("<tr data-test=\"SB+sc\" id=\"test-SB.2bsc\" class=\"forbidden\">"));
            Assert.That(RowOf(index, $"data-test=\"{HtmlReportFixture.WeakTest}\""), Does.Contain("class=\"weak\""));
            Assert.That(index, Does.Contain("<div class=\"banner alarm\">1 test observed a state a model forbids"));
            Assert.That(page, Does.Contain("<div class=\"banner alarm\">FORBIDDEN observed: <code>0:r0=0; 1:r0=0;</code>"));
            var row = RowOf(page, "<td class=\"state\">0:r0=0; 1:r0=0;</td>");
            Assert.That(row, Does.Match("<tr data-class=\"forbidden-[a-z0-9]+\" class=\"forbidden satisfies\">"));
            Assert.That(row, Does.Contain("<td class=\"num\">3</td>"));
            // The red of the charts: the page and its histogram agree.
            Assert.That(page, Does.Contain("--forbidden-hw: #D62728"));
        });
    }

    [Test]
    public void An_allowed_state_never_seen_says_why_it_may_not_show()
    {
        HtmlReport.Write(_fixture.Results);

        var wrc = Page(HtmlReportFixture.OversubscribedTest);
        var corr = Page(HtmlReportFixture.NotObservableTest);
        var sb = Page(HtmlReportFixture.WeakTest);
        Assert.Multiple(() =>
        {
            var oversubscribed = RowOf(wrc, "data-class=\"oversubscribed\"");
            Assert.That(Text(oversubscribed), Does.Contain("never seen, oversubscribed").And.Contain("3 threads on 2 CPU(s)"));
            Assert.That(wrc, Does.Not.Contain("data-class=\"unseen\""), "with threads taking turns no unseen state goes unexplained");
            var merged = RowOf(corr, "<td class=\"state\">1:r0=0; 1:r1=1;</td>");
            Assert.That(merged, Does.Contain("data-class=\"not-observable\""));
            Assert.That(Text(merged), Does.Contain("the read of x into r1 is merged"));
            Assert.That(Text(RowOf(Index, "data-test=\"WRC+rlx\"")), Does.Contain("oversubscribed"));
            // SB+rlx saw every state: nothing is listed as unseen there.
            Assert.That(sb, Does.Not.Contain("data-class=\"unseen\"").And.Not.Contain("data-class=\"oversubscribed\""));
            Assert.That(RowOf(sb, "<td class=\"state\">0:r0=0; 1:r0=0;</td>"), Does.Contain("data-class=\"weak-allowed\""));
        });
    }

    [Test]
    public void The_page_shows_the_racing_code_each_target_was_judged_on()
    {
        const string x64Code = "X86 SB+plain\n{ }\n P0          | P1          ;\n MOV [x],$1  | MOV [y],$1  ;\n MOV EAX,[y] | MOV EAX,[x] ;\nexists (0:EAX=0 /\\ 1:EAX=0)";
        const string armCode = "AArch64 SB+plain\n{ 0:X1=x; 0:X3=y; }\n P0          ;\n STR W0,[X1] ;\n LDR W2,[X3] ;\nexists (0:X2=0)";
        _fixture.RewriteTests(test =>
        {
            test["emitted_code"]!["herd"] = x64Code;
            var elsewhere = test["predicted_elsewhere"]!.AsObject();
            var lse = elsewhere["lse-rcpc"]!.AsObject();
            lse["code"] = new JsonObject
            {
                ["target"] = "arm64 lse-rcpc (qemu, default CPU)", ["judged"] = true, ["verdict"] = lse["verdict"]!.GetValue<string>(),
                ["states"] = lse["states"]!.DeepClone(), ["weak_states"] = lse["weak_states"]!.DeepClone(), ["herd"] = armCode,
            };
        });

        HtmlReport.Write(_fixture.Results);

        var page = Page(HtmlReportFixture.WeakTest);
        var emitted = page[page.IndexOf("<h2 id=\"emitted\">", StringComparison.Ordinal)..];
        Assert.Multiple(() =>
        {
            Assert.That(Text(emitted), Does.Contain(x64Code), "this machine's code, escaped and read back as written");
            Assert.That(Text(emitted), Does.Contain(armCode), "the arm64 code the prediction rests on");
            Assert.That(Text(emitted), Does.Contain("arm64 lse-rcpc (qemu, default CPU) profile lse-rcpc, predicted, not observed"));
            Assert.That(Text(emitted), Does.Contain("the table's answer"));
            Assert.That(Text(page[..page.IndexOf("<h2 id=\"emitted\">", StringComparison.Ordinal)]), Does.Not.Contain("MOV [x],$1"),
                "the code is not dumped among the predictions' fields");
        });
    }

    [Test]
    public void Every_prediction_and_field_in_the_results_shows_up_even_those_this_report_does_not_know()
    {
        // As a harness that predicts per arm64 profile and for the .NET model might write them.
        _fixture.RewriteTests(test =>
        {
            var predicted = test["predicted"]!.AsObject();
            var states = predicted["cpp20"]!["states"]!.DeepClone();
            predicted["arm64"] = new JsonObject
            {
                ["lse-rcpc"] = new JsonObject { ["verdict"] = "allowed", ["profile"] = "lse-rcpc", ["states"] = states.DeepClone() },
                ["v8.0"] = new JsonObject { ["verdict"] = "forbidden", ["profile"] = "v8.0", ["states"] = new JsonArray() },
            };
            predicted["net"] = new JsonObject { ["verdict"] = "allowed", ["states"] = states.DeepClone(), ["executions"] = 12 };
            test["future_field"] = "a value <with markup>";
        });

        HtmlReport.Write(_fixture.Results);

        var headers = Regex.Matches(Index, "<th class=\"center\">([^<]*)</th>").Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).Distinct().ToList();
        var page = Page(HtmlReportFixture.WeakTest);
        Assert.Multiple(() =>
        {
            Assert.That(headers, Is.EquivalentTo(new[] { "SC", "x86-TSO", "C++20", "ARMv8 lse-rcpc", "ARMv8 v8.0", ".NET" }));
            foreach (var model in new[] { "ARMv8 lse-rcpc", "ARMv8 v8.0", ".NET" })
                Assert.That(page, Does.Contain($"<th class=\"center\">{model}</th>"), "a column of the state matrix");
            Assert.That(Text(page), Does.Contain("executions: 12"), "an entry's own fields are listed");
            Assert.That(page, Does.Contain("<th>future_field</th><td>a value &lt;with markup&gt;</td>"));
        });
    }

    [Test]
    public void A_test_whose_chart_and_file_are_missing_gets_pages_without_a_dangling_link()
    {
        // As a suite killed between a test's charts and its file, then a chart deleted by hand, would leave it.
        File.Delete(Path.Combine(_fixture.Results, ResultFiles.TestsFolder, "SB+rlx.json"));
        File.Delete(Path.Combine(_fixture.Results, ResultFiles.ChartsFolder, "SB+rlx.png"));

        HtmlReport.Write(_fixture.Results);

        Assert.That(PageLinks.Unresolved(_fixture.PagePath(HtmlReportFixture.WeakTest)), Is.Empty);
        Assert.That(PageLinks.Unresolved(_fixture.IndexPath), Is.Empty);
        Assert.That(Text(RowOf(Index, "data-test=\"SB+rlx\"")), Does.Contain("no chart"));
        Assert.That(Text(Page(HtmlReportFixture.WeakTest)), Does.Contain("Raw results: in run.json").And.Contain("No chart in this results folder"));
    }

    [Test]
    public void Without_run_json_the_report_reads_the_test_files()
    {
        File.Delete(Path.Combine(_fixture.Results, "run.json"));

        HtmlReport.Write(_fixture.Results);

        Assert.That(Rows(Index), Is.EquivalentTo(HtmlReportFixture.TestNames));
    }

    [Test]
    public void A_rebuild_removes_the_pages_of_tests_no_longer_in_the_folder()
    {
        var stale = Path.Combine(_fixture.Results, ResultFiles.HtmlFolder, "Old+test.html");
        Directory.CreateDirectory(Path.GetDirectoryName(stale)!);
        File.WriteAllText(stale, "<p>an earlier run</p>");

        HtmlReport.Write(_fixture.Results);

        Assert.That(File.Exists(stale), Is.False);
        Assert.That(HtmlReportFixture.TestNames.Select(_fixture.PagePath).Where(p => !File.Exists(p)), Is.Empty);
    }

    [Test]
    public void A_litmus_file_gone_since_the_run_leaves_the_results_on_the_page_and_says_so()
    {
        File.Delete(Path.Combine(_fixture.Root, "tests-litmus", "generated", "SB", "SB+rlx.litmus"));

        var result = HtmlReport.Write(_fixture.Results);

        var page = Page(HtmlReportFixture.WeakTest);
        Assert.That(result.MissingSources, Has.Count.EqualTo(1).And.Some.StartsWith("SB+rlx: tests-litmus/generated/SB/SB+rlx.litmus is not there any more"));
        Assert.That(page, Does.Contain("<td class=\"state\">0:r0=0; 1:r0=0;</td>").And.Not.Contain("<pre class=\"kernel\""));
        Assert.That(Text(page), Does.Contain("is not there any more"));
    }

    [Test]
    public void A_litmus_file_edited_since_the_run_is_not_shown_as_the_one_that_ran()
    {
        var litmus = Path.Combine(_fixture.Root, "tests-litmus", "generated", "SB", "SB+rlx.litmus");
        File.WriteAllText(litmus, File.ReadAllText(litmus).Replace(@"exists (0:r0=0 /\ 1:r0=0)", @"exists (0:r0=1 /\ 1:r0=1)", StringComparison.Ordinal));

        var result = HtmlReport.Write(_fixture.Results);

        Assert.That(result.MissingSources.Single(), Does.Contain("the file has changed since the run"));
        Assert.That(Page(HtmlReportFixture.WeakTest), Does.Not.Contain("<pre class=\"kernel\""));
    }

    [Test]
    public void A_folder_without_results_is_refused_with_the_reason()
    {
        var empty = Path.Combine(_fixture.Root, "empty");
        Directory.CreateDirectory(empty);

        Assert.That(() => HtmlReport.Write(empty), Throws.TypeOf<HtmlReportException>().With.Message.Contain("not a results folder"));
        Assert.That(() => HtmlReport.Write(Path.Combine(_fixture.Root, "missing")), Throws.TypeOf<HtmlReportException>().With.Message.Contain("no such results folder"));
    }
}
