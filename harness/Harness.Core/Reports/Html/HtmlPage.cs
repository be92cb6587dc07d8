using System.Text;
using Harness.Reports.Charts;
using Harness.Verdicts;

namespace Harness.Reports.Html;

/// <summary>
/// The frame every page shares: one self-contained document (the style inline, no script, font or
/// image from elsewhere), so that it opens from a CI artifact with no server and no network.
/// </summary>
internal static class HtmlPage
{
    public static string Document(string title, string body, string? script = null)
    {
        var text = new StringBuilder();
        text.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        text.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        text.Append("<meta name=\"generator\" content=\"the litmus harness for .NET\">\n");
        text.Append("<title>").Append(HtmlText.Encode(title)).Append("</title>\n");
        text.Append("<style>\n").Append(Css).Append("</style>\n</head>\n<body>\n");
        text.Append(body);
        if (script is not null) text.Append("<script>\n").Append(script).Append("</script>\n");
        text.Append("</body>\n</html>\n");
        return text.ToString();
    }

    /// <summary>A class as a coloured label; the colours are the charts' (ChartStyle), so a page and its chart agree.</summary>
    public static string Badge(string cssClass, string label, string? title = null) =>
        $"<span class=\"cls {CssClass(cssClass)}\"{(title is null ? "" : $" title=\"{HtmlText.Encode(title)}\"")}>{HtmlText.Encode(label)}</span>";

    /// <summary>A class name safe in a class attribute and a selector.</summary>
    public static string CssClass(string name) => "cls-" + new string(name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());

    /// <summary>What each class means, in the README's words, for the legend of every page.</summary>
    public static readonly IReadOnlyList<(string Class, string Label, string Meaning)> Classes =
    [
        ("sc", "sc", "an interleaving: sequential consistency allows it"),
        ("weak-allowed", "weak-allowed", "not SC, but allowed by the hardware model for the code the JIT emits and by C++20: the interesting case"),
        ("beyond-bound", "beyond-bound", "outside predictions that unroll loops only --loop-bound times: not an alarm; a larger bound grades it"),
        ("forbidden-hw", "forbidden-hw", "observed although the hardware model forbids it for the code the JIT emits: a JIT bug, an erratum or a model gap"),
        ("forbidden-cpp20", "forbidden-cpp20", "observed although C++20 forbids it: the mapping scheme is unsound"),
        ("unseen", "allowed, never seen", "the code can produce it; this run did not"),
        ("not-observable", "not observable", "the table allows it, but the code the JIT emitted cannot produce it (it merged or removed a racing access)"),
        ("oversubscribed", "never seen, oversubscribed", "allowed, but the run had more threads than CPUs: they took turns, so never seeing it says little"),
    ];

    public static string Legend()
    {
        var text = new StringBuilder("<dl class=\"legend\">\n");
        foreach (var (cssClass, label, meaning) in Classes)
            text.Append("<div><dt>").Append(Badge(cssClass, label)).Append("</dt><dd>").Append(HtmlText.Encode(meaning)).Append("</dd></div>\n");
        return text.Append("</dl>\n").ToString();
    }

    private static string Colour(OutcomeClass outcomeClass) => ChartStyle.Of(outcomeClass).ToStringRGB();

    private static string Css => $$"""
        :root {
          --sc: {{Colour(OutcomeClass.Sc)}}; --weak: {{Colour(OutcomeClass.WeakAllowed)}}; --forbidden-hw: {{Colour(OutcomeClass.ForbiddenHardware)}};
          --forbidden-cpp20: {{Colour(OutcomeClass.ForbiddenCpp20)}}; --beyond: {{Colour(OutcomeClass.BeyondBound)}};
          --ink: #1f2328; --muted: #5f6b76; --line: #d8dee4; --soft: #f4f6f8; --head: #1d2b3a;
        }
        * { box-sizing: border-box; }
        body { margin: 0; color: var(--ink); background: #fff; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
        a { color: #0b5cad; text-decoration: none; }
        a:hover { text-decoration: underline; }
        header.top { background: var(--head); color: #fff; padding: 14px 22px 16px; }
        header.top a { color: #b9d7ff; }
        header.top h1 { margin: 2px 0 4px; font-size: 24px; font-weight: 650; word-break: break-word; }
        header.top .crumbs { font-size: 13px; opacity: .9; }
        header.top .sub { color: #d5dde6; font-size: 13.5px; }
        main { padding: 8px 22px 48px; max-width: 1500px; }
        h2 { font-size: 19px; margin: 30px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
        h2 .count { color: var(--muted); font-weight: 400; font-size: 14px; }
        h3 { font-size: 15.5px; margin: 20px 0 6px; }
        code, pre, .state { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 12.5px; }
        pre { background: #f6f8fa; border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; overflow-x: auto; line-height: 1.45; margin: 6px 0 12px; }
        .comment { color: #6a737d; font-style: italic; }
        .muted, .note { color: var(--muted); }
        .facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: 6px 10px; margin: 12px 0; }
        .facts div { background: var(--soft); border-radius: 6px; padding: 5px 10px; }
        .facts dt { font-size: 11px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
        .facts dd { margin: 0; font-weight: 600; font-size: 13.5px; word-break: break-word; }
        .nowrap { white-space: nowrap; }
        .banner { padding: 10px 14px; border-radius: 6px; margin: 14px 0; font-weight: 600; }
        .banner.ok { background: #e9f6ec; border: 1px solid #9fd3ab; color: #1b5e20; }
        .banner.alarm { background: #fdecea; border: 1px solid #f1a19b; color: #a4110d; }
        .banner.warn { background: #fff7e0; border: 1px solid #ecd08a; color: #6b4e00; }
        table.grid { border-collapse: collapse; width: 100%; margin: 6px 0 14px; }
        table.grid th, table.grid td { border-bottom: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: middle; }
        table.grid th { background: var(--soft); font-weight: 600; font-size: 12.5px; white-space: nowrap; }
        table.grid td.num, table.grid th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        table.grid td.center, table.grid th.center { text-align: center; }
        table.grid td.predicted, table.grid th.predicted { background: #f6f3fb; font-style: italic; }
        table.grid tr:hover td { background: #fafbfc; }
        table.grid td.test a { font-weight: 600; word-break: break-word; }
        td.notes { font-size: 12.5px; color: var(--muted); max-width: 340px; }
        table.outcomes td.notes { min-width: 150px; }
        table.fields { width: auto; min-width: 60%; }
        table.fields th { width: 190px; vertical-align: top; }
        table.tests { font-size: 13px; }
        table.tests th, table.tests td { padding: 4px 6px; }
        table.tests td.condition { min-width: 190px; }
        table.tests td.notes { min-width: 140px; }
        tr.family-head td { background: #fff !important; padding: 0; border-bottom: 0; }
        tr.family-head h2 { margin: 26px 0 4px; }
        tr.family-head td:first-child { box-shadow: none; }
        td.thumb { padding: 3px 6px; }
        div.scroll { overflow-x: auto; }
        img.thumb { display: block; width: 112px; height: auto; border: 1px solid var(--line); border-radius: 3px; background: #fff; }
        img.chart { display: block; max-width: min(100%, 900px); height: auto; border: 1px solid var(--line); border-radius: 4px; }
        .cls { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; white-space: nowrap; border: 1px solid transparent; }
        .cls-sc { background: var(--sc); color: #fff; }
        .cls-weak-allowed { background: var(--weak); color: #1a1a1a; }
        .cls-beyond-bound { background: var(--beyond); color: #fff; }
        .cls-forbidden-hw { background: var(--forbidden-hw); color: #fff; }
        .cls-forbidden-cpp20 { background: var(--forbidden-cpp20); color: #fff; }
        .cls-unseen { background: repeating-linear-gradient(45deg, #fff 0 4px, #e9ecef 4px 8px); color: #333; border-color: #aab2bb; }
        .cls-not-observable { background: repeating-linear-gradient(45deg, #e4e4e4 0 3px, #c8c8c8 3px 6px); color: #222; border-color: #8a8a8a; }
        .cls-oversubscribed { background: #fff3cd; color: #6b4e00; border-color: #e0c060; }
        .cls-partial, .cls-unknown { background: #eef0f2; color: #333; border-color: #c4cad0; }
        .ok { color: #1e7b34; font-weight: 600; }
        .alarm { color: #fff; background: var(--forbidden-hw); padding: 1px 7px; border-radius: 4px; font-weight: 700; white-space: nowrap; }
        .allowed { color: #1f2328; }
        .forbidden-mark { color: #b0b8c0; }
        tr.forbidden td { background: #fdecea !important; }
        tr.forbidden td:first-child { box-shadow: inset 5px 0 0 var(--forbidden-hw); }
        tr.weak td:first-child { box-shadow: inset 5px 0 0 var(--weak); }
        tr.satisfies td.state::before { content: "★ "; color: #b26a00; }
        td.state { white-space: nowrap; }
        dl.legend { display: grid; grid-template-columns: repeat(auto-fill, minmax(330px, 1fr)); gap: 6px 18px; margin: 8px 0 14px; font-size: 12.5px; }
        dl.legend div { display: flex; gap: 8px; align-items: baseline; }
        dl.legend dt { flex: none; }
        dl.legend dd { margin: 0; color: var(--muted); }
        nav.families { display: flex; flex-wrap: wrap; gap: 6px; margin: 10px 0; }
        nav.families a { border: 1px solid var(--line); border-radius: 14px; padding: 2px 10px; font-size: 12.5px; background: #fff; }
        nav.families a.has-weak { border-color: var(--weak); }
        nav.families a.has-forbidden { border-color: var(--forbidden-hw); background: #fdecea; }
        .toolbar { display: flex; flex-wrap: wrap; gap: 14px; align-items: center; margin: 10px 0; padding: 8px 10px; background: var(--soft); border-radius: 6px; }
        .toolbar input[type=search] { padding: 4px 8px; border: 1px solid var(--line); border-radius: 4px; min-width: 240px; font: inherit; }
        details { margin: 8px 0; }
        details > summary { cursor: pointer; color: #0b5cad; }
        @media (min-width: 1700px) { div.columns { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1.15fr); gap: 20px; } }
        ul.plain { margin: 4px 0; padding-left: 18px; }
        footer { color: var(--muted); font-size: 12px; padding: 18px 28px; border-top: 1px solid var(--line); }
        td.allowed-weak { background: #fff1e3; }
        td.cell-seen { background: #fff1e3; }
        td.cell-alarm { background: #fdecea; }
        td.cell-none { color: #9aa4ae; }
        tr.arm-only td.test::after { content: " ★"; color: #b26a00; }

        """;
}
