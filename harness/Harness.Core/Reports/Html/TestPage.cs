using System.Text;
using System.Text.Json;

namespace Harness.Reports.Html;

/// <summary>
/// html/TEST.html: one test in full — the verdict, the histogram chart and the class of every
/// state, the predicted set of every model the results hold, what the JIT's code allows, the
/// litmus source and the C# kernel that ran, and every recorded setting.
/// </summary>
internal static class TestPage
{
    /// <summary>Past this many beyond-bound states (a spin loop that counts), the rarest are listed apart, folded.</summary>
    private const int BeyondBoundRows = 8;

    /// <summary>Fields the page shows in their own sections; every other field is listed under "Run settings".</summary>
    private static readonly string[] Shown =
        ["test", "condition", "histogram", "predicted", "predicted_elsewhere", "allowed_unseen", "not_observable", "emitted_code", "machine", "warnings"];

    public static string Render(ResultsFolder results, ReportedTest test, TestSource source, ReportedTest? previous, ReportedTest? next)
    {
        var body = new StringBuilder();
        var index = HtmlText.Href("..", ResultFiles.IndexFile);
        body.Append("<header class=\"top\">\n<div class=\"crumbs\">")
            .Append($"<a href=\"{index}\">Litmus suite on {HtmlText.Encode(results.Id)}</a> › ")
            .Append($"<a href=\"{HtmlText.Href("..", ResultFiles.IndexFile)}#{HtmlText.Id("family-", test.Family)}\">{HtmlText.Encode(test.Family)}</a>");
        if (previous is not null) body.Append($" · <a href=\"{HtmlText.Href(previous.PageFile)}\" rel=\"prev\">← {HtmlText.Encode(previous.Name)}</a>");
        if (next is not null) body.Append($" · <a href=\"{HtmlText.Href(next.PageFile)}\" rel=\"next\">{HtmlText.Encode(next.Name)} →</a>");
        body.Append("</div>\n<h1>").Append(HtmlText.Encode(test.Name)).Append("</h1>\n");
        body.Append("<div class=\"sub\"><code>").Append(HtmlText.Encode(test.Condition)).Append("</code> · ")
            .Append(HtmlText.Encode(IndexPage.MachineLine(results.Machine))).Append("</div>\n</header>\n<main>\n");

        body.Append(Banner(test));
        body.Append(Facts(test));

        body.Append("<div class=\"columns\">\n<section>\n<h2 id=\"histogram\">Histogram</h2>\n");
        var chart = Path.Combine(results.Folder, ResultFiles.ChartsFolder, test.FileName + ".png");
        if (File.Exists(chart))
        {
            body.Append(IndexPage.Image(results.Folder, [ResultFiles.ChartsFolder, test.FileName + ".png"], "chart",
                $"outcome histogram of {test.Name}", lazy: false, prefix: ".."));
            if (File.Exists(Path.ChangeExtension(chart, ".svg")))
                body.Append($"<p class=\"note\">Also as <a href=\"{HtmlText.Href("..", ResultFiles.ChartsFolder, test.FileName + ".svg")}\">SVG</a>.</p>\n");
        }
        else body.Append("<p class=\"note\">No chart in this results folder.</p>\n");
        body.Append("</section>\n<section>\n<h2 id=\"outcomes\">Outcome classes</h2>\n").Append(Outcomes(test, source)).Append("</section>\n</div>\n");

        body.Append("<h2 id=\"predictions\">Predicted sets</h2>\n").Append(Predictions(test, source));
        body.Append("<h2 id=\"emitted\">Emitted code</h2>\n").Append(Emitted(test));
        body.Append("<h2 id=\"source\">Litmus source</h2>\n").Append(Source(test, source));
        body.Append("<h2 id=\"kernel\">Generated C# kernel</h2>\n").Append(Kernel(test, source));
        body.Append("<h2 id=\"settings\">Run settings</h2>\n").Append(Settings(test)).Append("<h3>Machine</h3>\n")
            .Append(Fields(JsonRead.Field(test.Json, "machine"), []));
        // A suite killed before its end leaves run.json without some tests/ files, and the reverse: link only what is there.
        body.Append(File.Exists(Path.Combine(results.Folder, ResultFiles.TestsFolder, test.FileName + ".json"))
                ? $"<p>Raw results: <a href=\"{HtmlText.Href("..", ResultFiles.TestsFolder, test.FileName + ".json")}\">tests/{HtmlText.Encode(test.FileName)}.json</a>"
                : "<p>Raw results: in run.json")
            .Append($" · <a href=\"{index}#{HtmlText.Id("test-", test.Name)}\">back to the index</a></p>\n");
        body.Append("</main>\n");
        return HtmlPage.Document($"{test.Name} on {results.Id}", body.ToString());
    }

    private static string Banner(ReportedTest test)
    {
        var text = new StringBuilder();
        var forbidden = test.Histogram.Where(o => o.Class.StartsWith("forbidden", StringComparison.Ordinal)).ToList();
        if (test.ForbiddenObserved)
            text.Append("<div class=\"banner alarm\">FORBIDDEN observed: ")
                .Append(forbidden.Count > 0
                    ? string.Join(", ", forbidden.Select(o => $"<code>{HtmlText.Encode(o.State.Text)}</code> ({HtmlText.Encode(o.Class)}, {HtmlText.Count(o.Count)} times)"))
                    : "the run's verdict is forbidden")
                .Append("</div>\n");
        else if (test.Weak > 0)
            text.Append($"<div class=\"banner ok\">ok — {HtmlText.Count(test.Weak)} observations of weak states the models allow, none forbidden.</div>\n");
        else text.Append("<div class=\"banner ok\">ok — nothing forbidden observed.</div>\n");
        foreach (var warning in test.Warnings) text.Append($"<div class=\"banner warn\">Warning: {HtmlText.Encode(warning)}</div>\n");
        if (test.Partial) text.Append("<div class=\"banner warn\">Partial: the run was interrupted before its iterations or its time ran out.</div>\n");
        return text.ToString();
    }

    private static string Facts(ReportedTest test)
    {
        var facts = new List<(string, string)>
        {
            ("condition seen", $"{test.Observation} ({HtmlText.Count(test.Positive)} positive, {HtmlText.Count(test.Negative)} negative)"),
            ("frequency", ReportFormat.Percent(test.Frequency)),
            ("weak observations", HtmlText.Count(test.Weak)),
            ("iterations", HtmlText.Count(test.Iterations)),
            ("seconds of running", HtmlText.Number(test.Seconds, "0.###")),
            ("iterations per second", HtmlText.Count((long)(JsonRead.Real(test.Json, "iterations_per_second") ?? 0))),
            ("scheme / mode / layout", $"{test.Scheme} / {JsonRead.Text(test.Json, "mode")} / {test.Layout}"),
        };
        if (test.BeyondBound > 0) facts.Add(("beyond the loop bound", HtmlText.Count(test.BeyondBound)));
        if (test.DidNotTerminate > 0) facts.Add(("did not terminate", HtmlText.Count(test.DidNotTerminate)));
        var text = new StringBuilder("<dl class=\"facts\">\n");
        foreach (var (name, value) in facts)
            text.Append("<div><dt>").Append(HtmlText.Encode(name)).Append("</dt><dd>").Append(HtmlText.Encode(value)).Append("</dd></div>\n");
        return text.Append("</dl>\n").ToString();
    }

    private sealed record Row(ReportedState State, long Count, string CssClass, string Label, string Note, bool Seen);

    /// <summary>
    /// A row per state: the observed ones with the class the run gave them, then the allowed ones
    /// never seen, each with the reason it may not show (the JIT's code cannot produce it, the
    /// threads took turns) or none.
    /// </summary>
    private static List<Row> Rows(ReportedTest test)
    {
        var rows = test.Histogram.Select(o => new Row(o.State, o.Count, o.Class, o.Class, ObservedNote(o.Class), true)).ToList();
        var seen = rows.Select(r => r.State).ToHashSet();
        var removed = test.Emitted.SelectMany(e => JsonRead.Strings(e, "removed")).ToList();
        foreach (var state in test.NotObservable.Where(s => !seen.Contains(s)))
            rows.Add(new Row(state, 0, "not-observable", "not observable",
                "the code the JIT emitted cannot produce it" + (removed.Count > 0 ? ": " + string.Join("; ", removed) : ""), false));
        foreach (var state in test.AllowedUnseen.Where(s => !seen.Contains(s) && !test.NotObservable.Contains(s)))
            rows.Add(test.OversubscribedWarning is { } warning
                ? new Row(state, 0, "oversubscribed", "never seen, oversubscribed", warning.Split(';')[0], false)
                : new Row(state, 0, "unseen", "allowed, never seen",
                    test.Partial ? "the run was interrupted" : $"allowed by the hardware model; not in {HtmlText.Count(test.Iterations)} iterations", false));
        return rows.OrderBy(r => r.State).ToList();
    }

    private static string ObservedNote(string outcomeClass) => outcomeClass switch
    {
        "forbidden-hw" => "the hardware model forbids it for the code the JIT emits",
        "forbidden-cpp20" => "C++20 forbids it: the mapping is unsound",
        "beyond-bound" => "its loops ran past the predictions' bound",
        "weak-allowed" => "allowed by the hardware model and C++20",
        _ => "",
    };

    private static string Outcomes(ReportedTest test, TestSource source)
    {
        var rows = Rows(test);
        var beyond = rows.Where(r => r.CssClass == "beyond-bound").OrderByDescending(r => r.Count).ToList();
        var folded = beyond.Count > BeyondBoundRows ? beyond.Skip(BeyondBoundRows).ToHashSet() : [];
        var text = new StringBuilder();
        text.Append(OutcomeTable(test, source, rows.Where(r => !folded.Contains(r)).ToList()));
        if (folded.Count > 0)
        {
            text.Append($"<details><summary>{HtmlText.Count(folded.Count)} rarer beyond-bound states, {HtmlText.Count(folded.Sum(r => r.Count))} observations in all</summary>\n");
            text.Append(OutcomeTable(test, source, folded.OrderBy(r => r.State).ToList())).Append("</details>\n");
        }
        if (source.Test is not null) text.Append("<p class=\"note\">★ the state satisfies the condition's proposition.</p>\n");
        return text.ToString();
    }

    private static string OutcomeTable(ReportedTest test, TestSource source, List<Row> rows)
    {
        var text = new StringBuilder("<div class=\"scroll\"><table class=\"grid outcomes\">\n<thead><tr><th>state</th><th class=\"num\">count</th><th class=\"num\">frequency</th><th>class</th><th>why</th></tr></thead>\n<tbody>\n");
        foreach (var row in rows)
        {
            var kind = new List<string>();
            if (row.Seen && row.CssClass.StartsWith("forbidden", StringComparison.Ordinal)) kind.Add("forbidden");
            else if (row.Seen && row.CssClass == "weak-allowed") kind.Add("weak");
            if (source.Satisfies(row.State) == true) kind.Add("satisfies");
            text.Append($"<tr data-class=\"{HtmlText.Encode(row.CssClass)}\"{(kind.Count > 0 ? $" class=\"{string.Join(' ', kind)}\"" : "")}>");
            text.Append($"<td class=\"state\">{HtmlText.Encode(row.State.Text)}</td>");
            text.Append($"<td class=\"num\">{(row.Seen ? HtmlText.Count(row.Count) : "—")}</td>");
            text.Append($"<td class=\"num\">{(row.Seen && test.Iterations > 0 ? HtmlText.Encode(ReportFormat.Percent((double)row.Count / test.Iterations)) : "")}</td>");
            text.Append($"<td>{HtmlPage.Badge(row.CssClass, row.Label)}</td>");
            text.Append($"<td class=\"notes\">{HtmlText.Encode(row.Note)}</td></tr>\n");
        }
        return text.Append("</tbody>\n</table></div>\n").ToString();
    }

    /// <summary>
    /// Every model's set side by side: a column per prediction entry the file holds, a row per
    /// state any of them allows or the run observed (beyond-bound states, which none predicts, left out).
    /// </summary>
    private static string Predictions(ReportedTest test, TestSource source)
    {
        var predictions = test.Predictions.Concat(test.PredictedElsewhere.SelectMany(Elsewhere)).ToList();
        if (predictions.Count == 0) return "<p class=\"note\">The results hold no predictions.</p>\n";
        var text = new StringBuilder("<table class=\"grid models\">\n<thead><tr><th>model</th><th>key</th><th>condition</th><th class=\"num\">states allowed</th><th>other fields</th></tr></thead>\n<tbody>\n");
        foreach (var prediction in predictions)
        {
            var others = prediction.Entry.EnumerateObject().Where(p => p.Name is not ("verdict" or "states" or "undefined" or "weak_states" or "code" or "herd"))
                .Select(p => $"{HtmlText.Encode(p.Name)}: <code>{HtmlText.Encode(JsonRead.Scalar(p.Value))}</code>");
            text.Append($"<tr><td><b>{HtmlText.Encode(prediction.Label)}</b></td><td><code>{HtmlText.Encode(prediction.Key)}</code></td>")
                .Append($"<td>{IndexPage.Answer(prediction, cut: false)} <span class=\"muted\">({HtmlText.Encode(prediction.Verdict ?? "?")})</span></td>")
                .Append($"<td class=\"num\">{prediction.States.Count}</td><td class=\"notes\">{string.Join(", ", others)}</td></tr>\n");
        }
        text.Append("</tbody>\n</table>\n");

        var observed = test.Histogram.ToDictionary(o => o.State, o => o);
        var predicted = predictions.Select(p => p.States.ToHashSet()).ToList();
        // A state a model allows and SC does not is the weak behaviour that model admits: marked so the columns compare at a glance.
        var sc = predictions.FirstOrDefault(p => p.Key == "sc")?.States.ToHashSet();
        var states = predicted.SelectMany(s => s).Concat(observed.Keys.Where(s => observed[s].Class != "beyond-bound")).Distinct().Order().ToList();
        text.Append("<table class=\"grid matrix\">\n<thead><tr><th>state</th><th class=\"num\">seen</th>");
        foreach (var prediction in predictions) text.Append($"<th class=\"center\">{HtmlText.Encode(prediction.Label)}</th>");
        text.Append("</tr></thead>\n<tbody>\n");
        foreach (var state in states)
        {
            var seen = observed.TryGetValue(state, out var outcome);
            var kind = new List<string>();
            if (seen && outcome!.Class.StartsWith("forbidden", StringComparison.Ordinal)) kind.Add("forbidden");
            if (source.Satisfies(state) == true) kind.Add("satisfies");
            text.Append($"<tr{(kind.Count > 0 ? $" class=\"{string.Join(' ', kind)}\"" : "")}><td class=\"state\">{HtmlText.Encode(state.Text)}</td>");
            text.Append($"<td class=\"num\">{(seen ? HtmlText.Count(outcome!.Count) : "—")}</td>");
            foreach (var set in predicted)
                text.Append(!set.Contains(state) ? "<td class=\"center forbidden-mark\">·</td>"
                    : sc is null || sc.Contains(state) ? "<td class=\"center allowed\">allowed</td>"
                    : "<td class=\"center allowed-weak\">allowed (weak)</td>");
            text.Append("</tr>\n");
        }
        text.Append("</tbody>\n</table>\n");
        if (test.BeyondBound > 0)
            text.Append($"<p class=\"note\">{HtmlText.Count(test.BeyondBound)} observations fell outside every prediction, which unroll loops only {JsonRead.Number(test.Json, "loop_bound")} times: they are in the outcome table above, as beyond-bound.</p>\n");
        return text.ToString();
    }

    /// <summary>
    /// Another target's prediction (†: predicted, not observed), and beside it the same model on the code that
    /// target's JIT emitted, where it was read and judged.
    /// </summary>
    private static IEnumerable<ReportedPrediction> Elsewhere(ReportedPrediction prediction)
    {
        yield return prediction with { Label = $"{prediction.Label} †" };
        if (prediction.Code is { NotJudged: null } code) yield return code with { Key = $"{prediction.Key} code", Label = $"{prediction.Label} code †" };
    }

    /// <summary>Each target's check of the code the JIT emitted: its conclusion, then every field the results hold.</summary>
    private static string Emitted(ReportedTest test)
    {
        var targets = test.Emitted;
        if (targets.Count == 0) return "<p class=\"note\">The run did not read the code the JIT emitted (<code>--no-check-emitted</code>, or an older harness).</p>\n";
        var text = new StringBuilder();
        foreach (var emitted in targets)
        {
            var target = JsonRead.Text(emitted, "target") ?? "?";
            var profile = JsonRead.Text(emitted, "profile");
            text.Append($"<h3>{HtmlText.Encode(target)}{(profile is null ? "" : $" <span class=\"muted\">profile {HtmlText.Encode(profile)}</span>")}</h3>\n");
            var only = JsonRead.States(emitted, "only_emitted");
            var notObservable = JsonRead.States(emitted, "not_observable");
            var unexplained = JsonRead.Strings(emitted, "unexplained");
            if (JsonRead.Text(emitted, "not_judged") is { } reason)
                text.Append($"<p><span class=\"cls cls-unknown\">not judged</span> {HtmlText.Encode(reason)}: the listing was read but not turned into a hardware program, so nothing is claimed about which states it can produce.</p>\n");
            else if (only.Count > 0 || JsonRead.Flag(emitted, "finding"))
                text.Append("<div class=\"banner alarm\">FINDING: the emitted code allows what the mapping's table forbids: ")
                    .Append(string.Join(", ", only.Select(s => $"<code>{HtmlText.Encode(s.Text)}</code>"))).Append("</div>\n");
            else if (notObservable.Count > 0)
                text.Append("<p>The emitted code can never produce ").Append(string.Join(", ", notObservable.Select(s => $"<code>{HtmlText.Encode(s.Text)}</code>")))
                    .Append(": never seeing them says nothing about the hardware.</p>\n");
            else text.Append("<p class=\"ok\">The emitted code allows exactly what the table predicts.</p>\n");
            if (unexplained.Count > 0)
                text.Append("<div class=\"banner alarm\">HARNESS DEFECT: instructions in the racing code that the test's primitives do not explain: ")
                    .Append(HtmlText.Encode(string.Join("; ", unexplained))).Append("</div>\n");
            text.Append(Fields(emitted, ["target", "profile", "herd"]));
            text.Append(HerdCode(JsonRead.Text(emitted, "herd")));
        }
        foreach (var prediction in test.PredictedElsewhere)
        {
            if (prediction.Code is not { } code || JsonRead.Text(code.Entry, "herd") is not { } herd) continue;
            var same = code.Verdict == prediction.Verdict;
            text.Append($"<h3>{HtmlText.Encode(code.Label)} <span class=\"muted\">profile {HtmlText.Encode(prediction.Key)}, predicted, not observed</span></h3>\n")
                .Append($"<p{(same ? " class=\"ok\"" : "")}>Its hardware model on this code answers {IndexPage.Answer(code, cut: false)} for the condition: ")
                .Append(same ? "the table's answer.</p>\n" : $"the table answers {IndexPage.Answer(prediction, cut: false)}.</p>\n")
                .Append(HerdCode(herd));
        }
        text.Append("<p class=\"note\">Each target's racing code is kept as it was read, a herd7 litmus test in that target's assembly ")
            .Append("(herd7 runs it as it is), not the JIT's whole listing: <code>harness asm ")
            .Append(HtmlText.Encode(test.SourceFile ?? "FILE")).Append("</code> prints the listing beside the kernel's source lines.</p>\n");
        return text.ToString();
    }

    /// <summary>The racing code a target's verdict rests on, as herd7 reads it; nothing for results that did not keep it.</summary>
    private static string HerdCode(string? herd) =>
        herd is null ? "" : $"<details open><summary>The racing code as read (herd7)</summary>\n<pre class=\"litmus\">{HtmlText.Code(herd)}</pre></details>\n";

    private static string Source(ReportedTest test, TestSource source)
    {
        var text = new StringBuilder();
        if (source.Text is { } litmus)
            text.Append($"<p class=\"note\"><code>{HtmlText.Encode(test.SourceFile)}</code></p>\n<pre class=\"litmus\">{HtmlText.Code(litmus)}</pre>\n");
        if (source.Problem is { } problem) text.Append($"<p class=\"note\">{HtmlText.Encode(problem)}.</p>\n");
        return text.ToString();
    }

    private static string Kernel(ReportedTest test, TestSource source)
    {
        var kernels = source.Kernels(test.Scheme, test.Layout, out var problem);
        if (kernels.Count == 0)
            return $"<p class=\"note\">{HtmlText.Encode(problem ?? source.Problem ?? "no kernel")}: the kernel is generated from the litmus file, as <code>harness gen</code> does.</p>\n";
        var text = new StringBuilder("<p class=\"note\">As <code>harness gen</code> prints it");
        text.Append(kernels.Count > 1 ? "; hunt mode alternates rounds of the padded layout and of the packed one, shown folded below.</p>\n" : ".</p>\n");
        var (layout, kernel) = kernels[0];
        text.Append($"<pre class=\"kernel\" data-layout=\"{HtmlText.Encode(layout)}\">{HtmlText.Code(kernel)}</pre>\n");
        foreach (var (other, code) in kernels.Skip(1))
            text.Append($"<details><summary>the {HtmlText.Encode(other)} layout's kernel</summary>\n<pre class=\"kernel\" data-layout=\"{HtmlText.Encode(other)}\">{HtmlText.Code(code)}</pre>\n</details>\n");
        return text.ToString();
    }

    private static string Settings(ReportedTest test) => Fields(test.Json, Shown);

    /// <summary>Every field of an object but <paramref name="skip"/>: a scalar as it is, a list of states or strings one per line, anything else as JSON.</summary>
    private static string Fields(JsonElement element, IReadOnlyCollection<string> skip)
    {
        if (element.ValueKind != JsonValueKind.Object) return "<p class=\"note\">Not recorded.</p>\n";
        var text = new StringBuilder("<table class=\"grid fields\">\n<tbody>\n");
        foreach (var field in element.EnumerateObject().Where(f => !skip.Contains(f.Name)))
        {
            text.Append($"<tr><th>{HtmlText.Encode(field.Name)}</th><td>");
            var value = field.Value;
            if (JsonRead.IsStateList(value))
                text.Append(string.Join("<br>", value.EnumerateArray().Select(s => $"<code>{HtmlText.Encode(ReportedState.Read(s).Text)}</code>")));
            else if (value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String))
                text.Append(value.GetArrayLength() == 0 ? "<span class=\"muted\">none</span>"
                    : "<ul class=\"plain\">" + string.Concat(value.EnumerateArray().Select(v => $"<li>{HtmlText.Encode(v.GetString())}</li>")) + "</ul>");
            else if (value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
                text.Append($"<code>{HtmlText.Encode(value.GetRawText())}</code>");
            else text.Append(HtmlText.Encode(JsonRead.Scalar(value)));
            text.Append("</td></tr>\n");
        }
        return text.Append("</tbody>\n</table>\n").ToString();
    }
}
