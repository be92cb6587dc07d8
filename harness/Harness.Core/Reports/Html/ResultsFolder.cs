using System.Text.Json;

namespace Harness.Reports.Html;

/// <summary>A results folder the report cannot be built from: which file, and what is wrong.</summary>
public sealed class HtmlReportException(string message) : Exception(message);

/// <summary>
/// A results folder as the report reads it: run.json's machine and settings, and its tests in run
/// order, each with its family. Without run.json (a suite killed before its end), the tests/ files.
/// </summary>
internal sealed class ResultsFolder
{
    private ResultsFolder(string folder, JsonElement run, IReadOnlyList<ReportedTest> tests)
    {
        Folder = folder;
        Run = run;
        Tests = tests;
    }

    public string Folder { get; }

    /// <summary>run.json's root (its "tests" are <see cref="Tests"/>); undefined when there is no run.json.</summary>
    public JsonElement Run { get; }

    public IReadOnlyList<ReportedTest> Tests { get; }

    /// <summary>The machine: run.json's, else the first test's.</summary>
    public JsonElement Machine =>
        JsonRead.Field(Run, "machine") is { ValueKind: JsonValueKind.Object } machine ? machine
        : Tests.Count > 0 ? JsonRead.Field(Tests[0].Json, "machine") : default;

    public string Id => JsonRead.Text(Machine, "id") ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(Folder)));

    /// <summary>The families in the order their first test ran.</summary>
    public IReadOnlyList<string> FamilyNames => Tests.Select(t => t.Family).Distinct().ToList();

    /// <exception cref="HtmlReportException">No such folder, or neither a readable run.json nor any test file in it.</exception>
    public static ResultsFolder Load(string folder)
    {
        if (!Directory.Exists(folder)) throw new HtmlReportException($"{folder}: error: no such results folder");
        var runFile = Path.Combine(folder, "run.json");
        JsonElement run = default;
        List<JsonElement> tests;
        if (File.Exists(runFile))
        {
            run = Parse(runFile);
            if (run.ValueKind != JsonValueKind.Object || JsonRead.Field(run, "tests") is not { ValueKind: JsonValueKind.Array } array)
                throw new HtmlReportException($"{runFile}: error: expected an object with a \"tests\" array");
            tests = array.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.Object).ToList();
        }
        else
        {
            var testsFolder = Path.Combine(folder, ResultFiles.TestsFolder);
            var files = Directory.Exists(testsFolder) ? Directory.GetFiles(testsFolder, "*.json").Order(StringComparer.Ordinal).ToList() : [];
            if (files.Count == 0) throw new HtmlReportException($"{folder}: error: neither a run.json nor any tests/*.json: not a results folder");
            tests = files.Select(Parse).Where(t => t.ValueKind == JsonValueKind.Object).ToList();
        }
        var families = Families(tests.Select(t => (JsonRead.Text(t, "test") ?? "?", JsonRead.Text(t, "file"))).ToList());
        return new ResultsFolder(folder, run, tests.Select((t, i) => new ReportedTest(t, families[i])).ToList());
    }

    private static JsonElement Parse(string file)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new HtmlReportException($"{file}: error: malformed JSON: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HtmlReportException($"{file}: error: cannot read it: {e.Message}");
        }
    }

    /// <summary>
    /// A test's family is the folder of its litmus file below the folder all the tests share
    /// (tests-litmus/generated/SB/SB+rlx.litmus among the catalogue: generated/SB). Tests that all
    /// sit in one folder, or whose file is not recorded, are grouped by their name up to the first
    /// '+' (SB+rlx: SB), as the catalogue names its shapes.
    /// </summary>
    internal static IReadOnlyList<string> Families(IReadOnlyList<(string Name, string? File)> tests)
    {
        var folders = tests.Select(t => t.File is { } file ? Folders(file) : null).ToList();
        var known = folders.OfType<string[]>().ToList();
        var common = known.Count == 0 ? 0 : Enumerable.Range(0, known.Min(f => f.Length)).TakeWhile(i => known.All(f => f[i] == known[0][i])).Count();
        return tests.Select((test, i) => folders[i] is { } parts && parts.Length > common
            ? string.Join("/", parts.Skip(common))
            : NamePrefix(test.Name)).ToList();
    }

    private static string[] Folders(string file)
    {
        var parts = file.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts[..^1];
    }

    private static string NamePrefix(string name)
    {
        var plus = name.IndexOf('+', StringComparison.Ordinal);
        return plus > 0 ? name[..plus] : name;
    }
}
