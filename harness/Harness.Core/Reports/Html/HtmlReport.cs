namespace Harness.Reports.Html;

/// <summary>What a report build wrote, and the tests whose litmus source it could not show.</summary>
public sealed record HtmlReportResult(string Index, int Pages, IReadOnlyList<string> MissingSources);

/// <summary>
/// The HTML report of a results folder, in the spirit of jcstress's: index.html listing the tests
/// by family, and html/TEST.html per test. It is built from the folder's files alone (run.json or
/// tests/*.json, charts/), so that <c>harness report</c> rebuilds it for a folder written before it
/// existed, and it shows every field and prediction those files hold, whatever harness wrote them.
/// </summary>
public static class HtmlReport
{
    /// <summary>Writes index.html and html/*.html into <paramref name="folder"/>; pages of tests no longer in it are removed.</summary>
    /// <exception cref="HtmlReportException">The folder holds no results the report can read.</exception>
    public static HtmlReportResult Write(string folder)
    {
        var results = ResultsFolder.Load(folder);
        var pages = Path.Combine(folder, ResultFiles.HtmlFolder);
        Directory.CreateDirectory(pages);
        var missing = new List<string>();
        var written = new HashSet<string>(StringComparer.Ordinal);
        var tests = results.Tests;
        for (var i = 0; i < tests.Count; i++)
        {
            var test = tests[i];
            var source = TestSource.Find(test, folder);
            if (source.Test is null) missing.Add($"{test.Name}: {source.Problem}");
            var page = TestPage.Render(results, test, source, i > 0 ? tests[i - 1] : null, i + 1 < tests.Count ? tests[i + 1] : null);
            AtomicFile.WriteAllText(Path.Combine(pages, test.PageFile), page);
            written.Add(test.PageFile);
        }
        // The index links only this run's tests: a page left from an earlier run would be an orphan with stale results.
        foreach (var stale in Directory.GetFiles(pages, "*.html").Where(f => !written.Contains(Path.GetFileName(f)))) File.Delete(stale);
        var index = Path.Combine(folder, ResultFiles.IndexFile);
        AtomicFile.WriteAllText(index, IndexPage.Render(results));
        return new HtmlReportResult(index, written.Count, missing);
    }

    public const string ComparisonFile = "comparison.html";

    /// <summary>
    /// comparison.html in <paramref name="outFolder"/>: the comparison's tests × machines, grouped by
    /// family, each cell linking to that machine's page of the test when the machine's folder has
    /// its HTML report. Returns the file's path.
    /// </summary>
    public static string WriteComparison(Comparison comparison, string outFolder)
    {
        Directory.CreateDirectory(outFolder);
        var path = Path.Combine(outFolder, ComparisonFile);
        AtomicFile.WriteAllText(path, ComparisonPage.Render(comparison, outFolder));
        return path;
    }
}
