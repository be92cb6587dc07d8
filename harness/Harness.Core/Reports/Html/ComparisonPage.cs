using System.Text;
using System.Text.Json;

namespace Harness.Reports.Html;

/// <summary>
/// comparison.html: several machines' runs side by side, by family, in the spirit of mcompare7 —
/// what ARM exposes and x86 hides — with each cell a link to that machine's page of the test.
/// </summary>
internal static class ComparisonPage
{
    public static string Render(Comparison comparison, string outFolder)
    {
        var machines = comparison.Machines;
        var columns = comparison.ColumnNames;
        var families = FamiliesOf(comparison);
        var body = new StringBuilder();
        body.Append("<header class=\"top\">\n<div class=\"crumbs\">the litmus harness for .NET · comparison</div>\n<h1>Litmus tests across machines</h1>\n")
            .Append($"<div class=\"sub\">{IndexPage.Plural(comparison.Rows.Count, "test")} on {IndexPage.Plural(machines.Count, "machine")}</div>\n</header>\n<main>\n");

        var armOnly = comparison.Rows.Count(r => r.ArmOnly);
        var alarms = comparison.Rows.Count(r => r.Cells.Any(c => c is not null && (c.ForbiddenObserved || c.Contradicted)));
        body.Append(alarms > 0
            ? $"<div class=\"banner alarm\">{IndexPage.Plural(alarms, "test")} observed a forbidden state on some machine.</div>\n"
            : "<div class=\"banner ok\">Nothing forbidden observed on any machine.</div>\n");
        if (armOnly > 0) body.Append($"<p><b>{IndexPage.Plural(armOnly, "test")} ARM-only</b> (★): the condition's witness is allowed by the ARM model, was seen on an ARM machine and never on any x86 machine that ran the test.</p>\n");

        body.Append("<h2>Machines</h2>\n<table class=\"grid machines\">\n<thead><tr><th>machine</th><th>results</th><th>architecture</th><th>CPU</th><th class=\"num\">cores</th><th>OS</th><th>.NET</th><th>profile</th><th>scheme</th><th>mode</th><th class=\"num\">tests</th></tr></thead>\n<tbody>\n");
        for (var i = 0; i < machines.Count; i++)
        {
            var m = machines[i];
            var index = Link(outFolder, m.Folder, [ResultFiles.IndexFile]);
            body.Append("<tr><td>").Append(index is null ? $"<b>{HtmlText.Encode(columns[i])}</b>" : $"<a href=\"{index}\"><b>{HtmlText.Encode(columns[i])}</b></a>")
                .Append($"</td><td><code>{HtmlText.Encode(m.Folder)}</code>{(index is null ? " <span class=\"note\">(no HTML report: <code>harness report</code> writes it)</span>" : "")}</td>")
                .Append($"<td>{HtmlText.Encode(m.Architecture)}</td><td>{HtmlText.Encode(m.Cpu)}</td><td class=\"num\">{m.Cores}</td><td>{HtmlText.Encode(m.OperatingSystem)}</td>")
                .Append($"<td>{HtmlText.Encode(m.DotNet)}</td><td>{HtmlText.Encode(m.Profile)}</td><td>{HtmlText.Encode(m.Scheme ?? "")}</td><td>{HtmlText.Encode(m.Mode ?? "")}</td>")
                .Append($"<td class=\"num\">{m.Tests.Count}</td></tr>\n");
        }
        body.Append("</tbody>\n</table>\n");

        var chart = Comparison.ChartFile + ".png";
        if (File.Exists(Path.Combine(outFolder, chart)))
            body.Append("<details><summary>The heatmap of tests × machines</summary>\n")
                .Append(IndexPage.Image(outFolder, [chart], "chart", "heatmap of tests by machines", lazy: true)).Append("</details>\n");

        body.Append("<p class=\"note\">Each cell: how often the condition's proposition held on that machine (positive / iterations), then what its hardware model answers " +
                    "for the condition (<code>allowed</code> = herd7's Ok, <code>forbidden</code> = No) for the code the JIT emits there. " +
                    "Orange: the witness was seen; red: seen although the model forbids it, or a state some model forbids was observed; — : not run there. " +
                    "A cell links to that machine's page of the test.</p>\n");

        body.Append("<nav class=\"families\" aria-label=\"families\">\n");
        foreach (var family in families.Values.Distinct())
            body.Append($"<a href=\"#{HtmlText.Id("family-", family)}\">{HtmlText.Encode(family)}</a>\n");
        body.Append("</nav>\n");

        // One table, a body per family, as on a machine's index: the machines' columns line up down the page.
        var header = new StringBuilder("<tr class=\"columns\"><th>test</th><th>C++20</th>");
        foreach (var column in columns) header.Append($"<th>{HtmlText.Encode(column)}</th>");
        header.Append("<th>condition</th></tr>\n");
        body.Append("<div class=\"scroll\"><table class=\"grid tests comparison\">\n");
        foreach (var family in families.Values.Distinct())
        {
            body.Append($"<tbody class=\"family\" id=\"{HtmlText.Id("family-", family)}\">\n<tr class=\"family-head\"><td colspan=\"{columns.Count + 3}\"><h2>{HtmlText.Encode(family)}</h2></td></tr>\n").Append(header);
            foreach (var row in comparison.Rows.Where(r => families[r.Test] == family))
            {
                body.Append($"<tr data-test=\"{HtmlText.Encode(row.Test)}\"{(row.ArmOnly ? " class=\"arm-only\"" : "")}><td class=\"test\">{IndexPage.TestName(row.Test)}</td>")
                    .Append($"<td>{HtmlText.Encode(row.Cpp20)}</td>");
                for (var i = 0; i < machines.Count; i++) body.Append(Cell(outFolder, machines[i], row.Cells[i]));
                body.Append($"<td class=\"condition\"><code>{HtmlText.Encode(row.Condition)}</code></td></tr>\n");
            }
            body.Append("</tbody>\n");
        }
        body.Append("</table></div>\n");
        body.Append("</main>\n<footer>Written by <code>harness compare</code>. Links are relative to this file: keep the results folders where they were beside it.</footer>\n");
        return HtmlPage.Document("Litmus tests across machines", body.ToString());
    }

    private static string Cell(string outFolder, ComparedMachine machine, ComparedTest? test)
    {
        if (test is null) return "<td class=\"cell-none\">—</td>";
        var css = test.ForbiddenObserved || test.Contradicted ? "cell-alarm" : test.Witnesses > 0 ? "cell-seen" : "";
        var counts = $"{HtmlText.Count(test.Positive)}/{HtmlText.Count(test.Iterations)}";
        var observed = test.Positive == 0 ? counts : $"{ReportFormat.Percent(test.Frequency)} ({counts})";
        var model = test.HardwareModel is null ? "" : $"<br><span class=\"muted\">{HtmlText.Encode(test.HardwareModel)}: {HtmlText.Encode(test.HardwareVerdict ?? "?")}</span>";
        var alarm = test.Contradicted ? " <span class=\"alarm\">seen, model forbids</span>" : test.ForbiddenObserved ? " <span class=\"alarm\">forbidden state seen</span>" : "";
        var page = Link(outFolder, machine.Folder, [ResultFiles.HtmlFolder, ResultFiles.FileName(test.Name) + ".html"]);
        var text = page is null ? HtmlText.Encode(observed) : $"<a href=\"{page}\">{HtmlText.Encode(observed)}</a>";
        return $"<td{(css.Length > 0 ? $" class=\"{css}\"" : "")}>{text}{alarm}{model}</td>";
    }

    /// <summary>A link from the comparison's folder to a file of a machine's folder, when the file is there.</summary>
    private static string? Link(string outFolder, string machineFolder, string[] file)
    {
        var target = Path.Combine([machineFolder, .. file]);
        if (!File.Exists(target)) return null;
        var relative = Path.GetRelativePath(Path.GetFullPath(outFolder), Path.GetFullPath(target));
        return HtmlText.Href(relative.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
    }

    /// <summary>Families over every machine's tests together, so that a test falls in one family whichever machine ran it.</summary>
    private static Dictionary<string, string> FamiliesOf(Comparison comparison)
    {
        var files = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var machine in comparison.Machines)
            foreach (var (name, file) in RecordedFiles(machine.Folder))
                files.TryAdd(name, file);
        var tests = comparison.Rows.Select(r => (r.Test, files.GetValueOrDefault(r.Test))).ToList();
        var families = ResultsFolder.Families(tests);
        return tests.Select((t, i) => (t.Test, families[i])).ToDictionary(p => p.Test, p => p.Item2, StringComparer.Ordinal);
    }

    /// <summary>Each test's litmus file as run.json records it; the comparison model keeps no paths.</summary>
    private static IEnumerable<(string Name, string? File)> RecordedFiles(string folder)
    {
        ResultsFolder results;
        try
        {
            results = ResultsFolder.Load(folder);
        }
        catch (HtmlReportException)
        {
            // Comparison.Load read this run.json already; a folder that fails now just groups its tests by name.
            yield break;
        }
        foreach (var test in results.Tests) yield return (test.Name, test.SourceFile);
    }
}
