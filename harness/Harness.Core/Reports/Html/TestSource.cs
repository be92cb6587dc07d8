using System.Globalization;
using Harness.Kernels;
using Harness.Language;
using Harness.Language.Source;
using Harness.Mapping;
using Harness.Programs;
using Harness.Simulation;

namespace Harness.Reports.Html;

/// <summary>
/// A test's litmus file, found again from the path its results recorded, and what the report
/// derives from it: the generated kernel and which states satisfy the condition. The page copies
/// the text in, so that a report taken away as a CI artifact needs no checkout beside it.
/// </summary>
internal sealed record TestSource(string? Path, string? Text, LitmusTest? Test, string? Problem)
{
    /// <summary>
    /// The file the test's results name: as recorded when absolute; else relative to the current
    /// folder (where the suite ran) or to a folder above the results folder (results/MACHINE sits
    /// two levels under the checkout the suite ran in).
    /// </summary>
    public static TestSource Find(ReportedTest test, string resultsFolder)
    {
        if (test.SourceFile is not { Length: > 0 } recorded)
            return new TestSource(null, null, null, "the results do not record the test's litmus file");
        var candidates = new List<string>();
        if (System.IO.Path.IsPathRooted(recorded)) candidates.Add(recorded);
        else
        {
            candidates.Add(System.IO.Path.GetFullPath(recorded));
            for (var folder = new DirectoryInfo(System.IO.Path.GetFullPath(resultsFolder)); folder is not null; folder = folder.Parent)
                candidates.Add(System.IO.Path.Combine(folder.FullName, recorded));
        }
        var path = candidates.FirstOrDefault(File.Exists);
        if (path is null) return new TestSource(null, null, null, $"{recorded} is not there any more (looked beside the results folder and in the current folder)");
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new TestSource(path, null, null, $"cannot read {path}: {e.Message}");
        }
        try
        {
            var parsed = LitmusParser.Parse(text, recorded);
            var problem = parsed.Name != test.Name ? $"{recorded} now holds test {parsed.Name}, not {test.Name}"
                : parsed.Condition.Text != test.Condition ? $"the file has changed since the run: its condition is now {parsed.Condition.Text}"
                : null;
            return new TestSource(path, text, problem is null ? parsed : null, problem);
        }
        catch (LitmusException e)
        {
            return new TestSource(path, text, null, $"the file no longer parses: {e.Message}");
        }
    }

    /// <summary>
    /// The C# the runner compiled for the run's scheme: the padded layout, and the packed one when
    /// the run used it (hunt mode's "varied" alternates the two).
    /// </summary>
    public IReadOnlyList<(string Layout, string Source)> Kernels(string? schemeName, string? layout, out string? problem)
    {
        problem = null;
        if (Test is null) return [];
        var scheme = MappingScheme.Find(schemeName ?? MappingScheme.DotNet.Name);
        if (scheme is null)
        {
            problem = $"the scheme {schemeName} is not one this harness knows";
            return [];
        }
        try
        {
            var padded = KernelGenerator.Generate(Test, scheme, KernelOptions.Default).Source;
            var packed = KernelGenerator.Generate(Test, scheme, new KernelOptions(Packed: true)).Source;
            return layout switch
            {
                "packed" => [("packed", packed)],
                "varied" => [("padded", padded), ("packed", packed)],
                _ => [("padded", padded)],
            };
        }
        catch (Exception e) when (e is LitmusException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            problem = $"no kernel could be generated: {e.Message}";
            return [];
        }
    }

    /// <summary>Whether a state satisfies the condition's proposition; null when the test could not be read.</summary>
    public bool? Satisfies(ReportedState state)
    {
        if (Test is null) return null;
        var keys = state.Keys.Select(ParseKey).ToList();
        return new FinalState(keys, state.Values.ToArray()).Satisfies(Test.Condition.Proposition);
    }

    private static StateKey ParseKey(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && int.TryParse(text[..colon], NumberStyles.None, CultureInfo.InvariantCulture, out var thread)
            ? StateKey.Register(thread, text[(colon + 1)..])
            : StateKey.Location(text);
    }
}
