using System.Text;
using System.Text.Json;

namespace Harness.Reports.Html;

/// <summary>
/// index.html of a results folder: the machine and the run at the top, then the tests by family,
/// each row with its chart, the models' answers, how often the condition was seen and the verdict.
/// </summary>
internal static class IndexPage
{
    /// <summary>A chart in a row is a glance at the shape of the histogram; the test's page has it full size.</summary>
    private const int ThumbnailWidth = 112;

    public static string Render(ResultsFolder results)
    {
        var tests = results.Tests;
        var models = ModelColumns(tests);
        var elsewhere = ElsewhereColumns(tests);
        var body = new StringBuilder();
        var machine = results.Machine;
        body.Append("<header class=\"top\">\n<div class=\"crumbs\">the litmus harness for .NET · results folder <code>")
            .Append(HtmlText.Encode(Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(results.Folder))))).Append("</code></div>\n");
        body.Append("<h1>Litmus suite on ").Append(HtmlText.Encode(results.Id)).Append("</h1>\n");
        body.Append("<div class=\"sub\">").Append(HtmlText.Encode(MachineLine(machine))).Append("</div>\n</header>\n<main>\n");

        body.Append(Banner(results));
        body.Append(Facts(results));
        body.Append(Files(results));

        body.Append("<h2>Outcome classes</h2>\n").Append(HtmlPage.Legend());
        body.Append("<p class=\"note\">Each row: the test's outcome histogram (log scale, coloured by class; hatched bars are allowed states never seen), " +
                    "what each model answers for the condition as written (herd7's <b>Ok</b>: the model lets it hold, <b>No</b>: it does not), " +
                    "how often the condition's proposition held (litmus7's Never / Sometimes / Always, and its share of iterations), " +
                    "the observations of non-SC states, and the verdict.</p>\n");
        if (elsewhere.Count > 0)
            body.Append("<p class=\"note\">Columns marked <b>†</b> are <b>predicted, not observed</b>: what ")
                .Append(HtmlText.Encode(string.Join(", ", elsewhere)))
                .Append(" would allow, from each profile's instruction table through the simulator; no machine of this folder ran them. " +
                        "Bold: the prediction differs from what this machine's hardware model answers." +
                        (tests.Any(t => t.PredictedElsewhere.Any(p => p.Code is not null))
                            ? " The code the arm64 JIT emits was read too, under qemu, and judged by the same model: where its answer is not " +
                              "the table's it follows in parentheses, <i>(code: No)</i>, and <i>(code not judged)</i> where the code could not be converted."
                            : "") + "</p>\n");

        var summaries = SummaryCharts(results.Folder);
        if (summaries.Count > 0)
        {
            body.Append("<details class=\"summary-chart\">\n<summary>Weak-state frequency by test (the run's summary chart")
                .Append(summaries.Count > 1 ? $", {summaries.Count} pages" : "").Append(")</summary>\n");
            foreach (var chart in summaries) body.Append(Image(results.Folder, [ResultFiles.ChartsFolder, chart], "chart", $"summary chart {chart}", lazy: true));
            body.Append("</details>\n");
        }

        body.Append("<div class=\"toolbar\"><label>Find a test: <input type=\"search\" id=\"filter\" placeholder=\"name, e.g. SB+rlx\"></label>")
            .Append("<label><input type=\"checkbox\" id=\"interesting\"> only tests with weak or forbidden states seen</label>")
            .Append("<span class=\"note\" id=\"shown\"></span></div>\n");
        body.Append("<nav class=\"families\" aria-label=\"families\">\n");
        foreach (var family in results.FamilyNames)
        {
            var members = tests.Where(t => t.Family == family).ToList();
            var mark = members.Any(t => t.ForbiddenObserved) ? " class=\"has-forbidden\"" : members.Any(t => t.Weak > 0) ? " class=\"has-weak\"" : "";
            body.Append($"<a href=\"#{HtmlText.Id("family-", family)}\"{mark}>{HtmlText.Encode(family)} <span class=\"muted\">{members.Count}</span></a>\n");
        }
        body.Append("</nav>\n");

        // One table, a body per family, each under its own header row: the columns line up down the whole page.
        var columns = 8 + models.Count + elsewhere.Count;
        var header = new StringBuilder("<tr class=\"columns\"><th>chart</th><th>test</th><th>condition</th>");
        foreach (var model in models) header.Append($"<th class=\"center\">{HtmlText.Encode(model)}</th>");
        foreach (var target in elsewhere)
            header.Append($"<th class=\"center predicted\" title=\"predicted, not observed\">{HtmlText.Encode(target)}†</th>");
        header.Append("<th>seen</th><th class=\"num\">frequency</th><th class=\"num\">weak</th><th>verdict</th><th>notes</th></tr>\n");
        body.Append("<div class=\"scroll\"><table class=\"grid tests\">\n");
        foreach (var family in results.FamilyNames)
        {
            var members = tests.Where(t => t.Family == family).ToList();
            var weak = members.Count(t => t.Weak > 0);
            var forbidden = members.Count(t => t.ForbiddenObserved);
            body.Append($"<tbody class=\"family\" id=\"{HtmlText.Id("family-", family)}\">\n<tr class=\"family-head\"><td colspan=\"{columns}\"><h2>{HtmlText.Encode(family)} <span class=\"count\">")
                .Append(Plural(members.Count, "test"))
                .Append(weak > 0 ? $", {weak} with weak states seen" : "")
                .Append(forbidden > 0 ? $", <b class=\"alarm\">{forbidden} with a forbidden state seen</b>" : "")
                .Append("</span></h2></td></tr>\n").Append(header);
            foreach (var test in members) body.Append(Row(results.Folder, test, models, elsewhere));
            body.Append("</tbody>\n");
        }
        body.Append("</table></div>\n");
        body.Append("</main>\n<footer>Written by <code>harness report</code> (or <code>harness suite</code>) from ")
            .Append(File.Exists(Path.Combine(results.Folder, "run.json")) ? "run.json" : "tests/*.json")
            .Append(". Every link is relative: the folder can be moved, zipped or opened from a CI artifact.</footer>\n");
        return HtmlPage.Document($"Litmus suite on {results.Id}", body.ToString(), FilterScript);
    }

    /// <summary>The models' columns: every label any test's predictions carry, in the order they first appear.</summary>
    internal static IReadOnlyList<string> ModelColumns(IEnumerable<ReportedTest> tests) =>
        tests.SelectMany(t => t.Predictions.Select(p => p.Label)).Distinct().ToList();

    /// <summary>The other targets' columns, in the order the first test that predicts them lists them.</summary>
    internal static IReadOnlyList<string> ElsewhereColumns(IEnumerable<ReportedTest> tests) =>
        tests.SelectMany(t => t.PredictedElsewhere.Select(p => p.Label)).Distinct().ToList();

    private static string Row(string folder, ReportedTest test, IReadOnlyList<string> models, IReadOnlyList<string> elsewhere)
    {
        var row = new StringBuilder();
        var kind = test.ForbiddenObserved ? " class=\"forbidden\"" : test.Weak > 0 ? " class=\"weak\"" : "";
        var page = HtmlText.Href(ResultFiles.HtmlFolder, test.PageFile);
        row.Append($"<tr data-test=\"{HtmlText.Encode(test.Name)}\" id=\"{HtmlText.Id("test-", test.Name)}\"{kind}>");
        row.Append("<td class=\"thumb\">");
        var chart = Path.Combine(folder, ResultFiles.ChartsFolder, test.FileName + ".png");
        if (File.Exists(chart))
            row.Append($"<a href=\"{page}\">").Append(Image(folder, [ResultFiles.ChartsFolder, test.FileName + ".png"], "thumb",
                $"outcome histogram of {test.Name}", lazy: true, width: ThumbnailWidth)).Append("</a>");
        else row.Append("<span class=\"note\">no chart</span>");
        row.Append("</td>");
        row.Append($"<td class=\"test\"><a href=\"{page}\">{TestName(test.Name)}</a></td>");
        row.Append($"<td class=\"condition\"><code>{HtmlText.Encode(test.Condition)}</code></td>");
        var predictions = test.Predictions;
        foreach (var model in models)
        {
            var prediction = predictions.FirstOrDefault(p => p.Label == model);
            row.Append("<td class=\"center\">").Append(prediction is null ? "<span class=\"muted\">—</span>" : Answer(prediction)).Append("</td>");
        }
        var hardware = predictions.FirstOrDefault(p => p.Key is "tso" or "arm64" || p.Key.StartsWith("arm64 ", StringComparison.Ordinal));
        var others = test.PredictedElsewhere;
        foreach (var target in elsewhere)
        {
            var prediction = others.FirstOrDefault(p => p.Label == target);
            var differs = prediction is not null && hardware is not null && prediction.Answer != hardware.Answer;
            row.Append("<td class=\"center predicted\">")
                .Append(prediction is null ? "<span class=\"muted\">—</span>" : differs ? $"<b>{Answer(prediction)}</b>" : Answer(prediction))
                .Append(prediction?.Code is { } code ? CodeAnswer(prediction, code) : "")
                .Append("</td>");
        }
        row.Append($"<td>{HtmlText.Encode(test.Observation)}</td>");
        row.Append($"<td class=\"num\">{HtmlText.Encode(ReportFormat.Percent(test.Frequency))}</td>");
        row.Append($"<td class=\"num\">{HtmlText.Count(test.Weak)}</td>");
        row.Append($"<td>{Verdict(test)}</td>");
        row.Append("<td class=\"notes\">").Append(string.Join("; ", Notes(test))).Append("</td>");
        return row.Append("</tr>\n").ToString();
    }

    /// <summary>A model's Ok/No, with "(racy)" where C++ leaves the test undefined.</summary>
    /// <param name="cut">Whether to say that the loop bound cut executions (the test page lists the count beside it).</param>
    internal static string Answer(ReportedPrediction prediction, bool cut = true)
    {
        var answer = prediction.Answer;
        var css = answer == "Ok" ? "allowed" : "forbidden-mark";
        var racy = prediction.Undefined ? " <span class=\"muted\" title=\"a data race: undefined behaviour in C++\">(racy)</span>" : "";
        var bounded = cut && prediction.CutByLoopBound > 0 ? $" <span class=\"muted\" title=\"{HtmlText.Count(prediction.CutByLoopBound)} executions cut by the loop bound\">(bounded)</span>" : "";
        return $"<span class=\"{css}\">{HtmlText.Encode(answer)}</span>{racy}{bounded}";
    }

    /// <summary>The answer on the code the JIT emitted there, shown only where it is not the table's (summary.md's parentheses).</summary>
    private static string CodeAnswer(ReportedPrediction table, ReportedPrediction code) =>
        code.NotJudged is { } reason
            ? $" <span class=\"muted\" title=\"{HtmlText.Encode(code.Label)}: {HtmlText.Encode(reason)}\">(code not judged)</span>"
            : code.Answer != table.Answer
                ? $" <span title=\"the ARMv8 model on the code the JIT emitted ({HtmlText.Encode(code.Label)})\">(code: {Answer(code)})</span>"
                : "";

    internal static string Verdict(ReportedTest test) =>
        test.ForbiddenObserved ? "<span class=\"alarm\" title=\"a state some model forbids was observed\">FORBIDDEN</span>"
        : test.Partial ? "<span class=\"cls cls-partial\">partial</span>"
        : test.Verdict == "ok" ? "<span class=\"ok\">ok</span>"
        : HtmlText.Encode(test.Verdict);

    /// <summary>What a reader must know before trusting "Never" (summary.md's notes), already escaped.</summary>
    internal static IEnumerable<string> Notes(ReportedTest test)
    {
        if (test.OversubscribedWarning is { } warning)
            yield return HtmlPage.Badge("oversubscribed", "oversubscribed", warning);
        if (test.NotObservable.Count > 0)
            yield return "not observable with the JIT's code: " + string.Join(", ", test.NotObservable.Select(s => $"<code>{HtmlText.Encode(s.Text)}</code>"));
        if (test.BeyondBound > 0)
            yield return $"{HtmlText.Count(test.BeyondBound)} beyond the loop bound ({HtmlText.Encode(JsonRead.Number(test.Json, "loop_bound")?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?")})";
        if (test.DidNotTerminate > 0) yield return $"{HtmlText.Count(test.DidNotTerminate)} instances did not terminate";
        foreach (var emitted in test.Emitted)
        {
            var only = JsonRead.States(emitted, "only_emitted");
            if (JsonRead.Flag(emitted, "finding") || only.Count > 0)
                yield return "<b class=\"alarm\">FINDING</b> the emitted code allows " + string.Join(", ", only.Select(s => $"<code>{HtmlText.Encode(s.Text)}</code>"));
            else if (JsonRead.Field(emitted, "judged").ValueKind == JsonValueKind.False) yield return "emitted code not judged";
            if (JsonRead.Strings(emitted, "unexplained").Count > 0) yield return "<b class=\"alarm\">HARNESS DEFECT</b> in the racing code";
        }
        if (test.Partial) yield return "partial: the run was interrupted";
    }

    private static string Banner(ResultsFolder results)
    {
        var forbidden = results.Tests.Where(t => t.ForbiddenObserved).ToList();
        if (forbidden.Count > 0)
            return $"<div class=\"banner alarm\">{Plural(forbidden.Count, "test")} observed a state a model forbids: " +
                   string.Join(", ", forbidden.Select(t => $"<a href=\"#{HtmlText.Id("test-", t.Name)}\">{HtmlText.Encode(t.Name)}</a>")) + "</div>\n";
        var partial = results.Tests.Count(t => t.Partial);
        var skipped = JsonRead.Strings(results.Run, "skipped");
        var text = new StringBuilder($"<div class=\"banner ok\">Nothing forbidden observed in {Plural(results.Tests.Count, "test")}.</div>\n");
        if (partial > 0 || skipped.Count > 0)
            text.Append("<div class=\"banner warn\">")
                .Append(partial > 0 ? $"{Plural(partial, "test")} partial (the run was interrupted). " : "")
                .Append(skipped.Count > 0 ? $"Not run (the total time budget ran out): {HtmlText.Encode(string.Join(", ", skipped))}." : "")
                .Append("</div>\n");
        return text.ToString();
    }

    private static string Facts(ResultsFolder results)
    {
        var machine = results.Machine;
        var run = results.Run;
        var totals = JsonRead.Field(run, "totals");
        var tests = results.Tests;
        var facts = new List<(string, string)>
        {
            ("machine", JsonRead.Text(machine, "id") ?? results.Id),
            ("CPU", $"{JsonRead.Text(machine, "cpu")}, {Plural(JsonRead.Number(machine, "cores") ?? 0, "core")}"),
            ("architecture / profile", $"{JsonRead.Text(machine, "architecture")} / {JsonRead.Text(machine, "profile")}"),
            (".NET", JsonRead.Text(machine, "dotnet") ?? "?"),
            ("OS", JsonRead.Text(machine, "os") ?? "?"),
        };
        if (JsonRead.Number(machine, "cache_line_bytes") is { } line) facts.Add(("cache line", $"{line} bytes"));
        var switches = JsonRead.Strings(machine, "jit_switches");
        if (switches.Count > 0) facts.Add(("JIT switches", string.Join(" ", switches)));
        facts.Add(("scheme / mode", $"{JsonRead.Text(run, "scheme") ?? tests.FirstOrDefault()?.Scheme} / {JsonRead.Text(run, "mode") ?? JsonRead.Text(tests.FirstOrDefault()?.Json ?? default, "mode")}"));
        facts.Add(("tests", HtmlText.Count(tests.Count)));
        facts.Add(("iterations", HtmlText.Count(tests.Sum(t => t.Iterations))));
        facts.Add(("seconds of running", HtmlText.Number(tests.Sum(t => t.Seconds), "0.0")));
        facts.Add(("weak observations", HtmlText.Count(tests.Sum(t => t.Weak))));
        facts.Add(("tests with weak states seen", HtmlText.Count(tests.Count(t => t.Weak > 0))));
        facts.Add(("forbidden observed", HtmlText.Count(JsonRead.Number(totals, "forbidden_observed") ?? tests.Count(t => t.ForbiddenObserved))));
        if (JsonRead.Text(run, "started") is { } started) facts.Add(("started", Moment(started)));
        if (JsonRead.Text(run, "finished") is { } finished) facts.Add(("finished", Moment(finished)));
        if (JsonRead.Field(run, "budget") is { ValueKind: JsonValueKind.Object } budget)
            facts.Add(("budget", $"{JsonRead.Scalar(JsonRead.Field(budget, "per_test_seconds"))} s per test, {JsonRead.Scalar(JsonRead.Field(budget, "total_seconds"))} s in all"));
        var resumed = JsonRead.Strings(run, "resumed");
        if (resumed.Count > 0) facts.Add(("read back (--resume)", Plural(resumed.Count, "test")));
        var text = new StringBuilder("<dl class=\"facts\">\n");
        foreach (var (name, value) in facts)
            text.Append("<div><dt>").Append(HtmlText.Encode(name)).Append("</dt><dd>").Append(HtmlText.Encode(value)).Append("</dd></div>\n");
        return text.Append("</dl>\n").ToString();
    }

    /// <summary>Links to the folder's other reports, those that are there.</summary>
    private static string Files(ResultsFolder results)
    {
        var links = new[] { ("summary.md", "summary (Markdown)"), ("run.json", "run.json"), ("run.log", "run.log (litmus7 format, for mcompare7)") }
            .Where(f => File.Exists(Path.Combine(results.Folder, f.Item1)))
            .Select(f => $"<a href=\"{HtmlText.Href(f.Item1)}\">{HtmlText.Encode(f.Item2)}</a>")
            .ToList();
        return links.Count == 0 ? "" : $"<p>Files: {string.Join(" · ", links)}</p>\n";
    }

    /// <summary>The run's summary chart: one image, or the pages a long catalogue is split into (summary*.png, in order).</summary>
    private static List<string> SummaryCharts(string folder)
    {
        var charts = Path.Combine(folder, ResultFiles.ChartsFolder);
        if (!Directory.Exists(charts)) return [];
        return Directory.GetFiles(charts, "summary*.png").Select(Path.GetFileName).OfType<string>()
            .OrderBy(name => name.Length).ThenBy(name => name, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// An image of the folder, with its size when it is a PNG so that the page keeps its place;
    /// <paramref name="width"/> scales it down, its height following.
    /// </summary>
    internal static string Image(string folder, string[] segments, string cssClass, string alt, bool lazy, int? width = null, string prefix = "")
    {
        var size = PngSize.Read(Path.Combine([folder, .. segments]));
        var dimensions = size is { } s
            ? width is { } w ? $" width=\"{w}\" height=\"{Math.Max(1, (int)Math.Round((double)s.Height * w / s.Width))}\"" : $" width=\"{s.Width}\" height=\"{s.Height}\""
            : "";
        var source = prefix.Length == 0 ? HtmlText.Href(segments) : HtmlText.Href([prefix, .. segments]);
        return $"<img class=\"{cssClass}\" src=\"{source}\" alt=\"{HtmlText.Encode(alt)}\"{dimensions}{(lazy ? " loading=\"lazy\"" : "")}>";
    }

    /// <summary>An ISO-8601 time to the second, in UTC; as written when it does not parse.</summary>
    private static string Moment(string iso) =>
        DateTimeOffset.TryParse(iso, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var moment)
            ? moment.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture)
            : iso;

    /// <summary>
    /// A test's name that wraps only after a '+': "compiler-reorder+rel+acq" must not break at its
    /// hyphen. The text stays the name exactly (no character is replaced).
    /// </summary>
    internal static string TestName(string name) =>
        string.Join("+<wbr>", name.Split('+').Select(part => $"<span class=\"nowrap\">{HtmlText.Encode(part)}</span>"));

    internal static string MachineLine(JsonElement machine) =>
        $"{JsonRead.Text(machine, "cpu") ?? "unknown CPU"}, {Plural(JsonRead.Number(machine, "cores") ?? 0, "core")}, " +
        $"{JsonRead.Text(machine, "os") ?? "?"}, {JsonRead.Text(machine, "dotnet") ?? "?"}, profile {JsonRead.Text(machine, "profile") ?? "?"}";

    internal static string Plural(long count, string noun) => $"{HtmlText.Count(count)} {noun}{(count == 1 ? "" : "s")}";

    /// <summary>
    /// The search box and the "only interesting" switch. The page reads in full without it; it only
    /// hides rows, and a family whose rows are all hidden.
    /// </summary>
    private const string FilterScript = """
        (function () {
          var filter = document.getElementById('filter');
          var interesting = document.getElementById('interesting');
          var shown = document.getElementById('shown');
          function apply() {
            var text = filter.value.trim().toLowerCase();
            var count = 0;
            document.querySelectorAll('tr[data-test]').forEach(function (row) {
              var match = (!text || row.dataset.test.toLowerCase().indexOf(text) >= 0) &&
                (!interesting.checked || row.classList.contains('weak') || row.classList.contains('forbidden'));
              row.hidden = !match;
              if (match) count++;
            });
            document.querySelectorAll('tbody.family').forEach(function (family) {
              family.hidden = !family.querySelector('tr[data-test]:not([hidden])');
            });
            shown.textContent = (text || interesting.checked) ? count + ' shown' : '';
          }
          filter.addEventListener('input', apply);
          interesting.addEventListener('change', apply);
        })();

        """;
}
