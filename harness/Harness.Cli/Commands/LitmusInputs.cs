using Harness.Language;
using Harness.Programs;
using Harness.Language.Source;

namespace Harness.Cli.Commands;

/// <summary>
/// Turns the files and folders named on the command line into parsed tests, reporting every
/// unreadable or malformed file instead of stopping at the first.
/// </summary>
public static class LitmusInputs
{
    public sealed record Loaded(IReadOnlyList<LitmusTest> Tests, IReadOnlyList<string> Errors);

    public static Loaded Load(IEnumerable<string> paths)
    {
        var tests = new List<LitmusTest>();
        var errors = new List<string>();
        foreach (var file in Expand(paths, errors))
        {
            try
            {
                tests.Add(LitmusParser.ParseFile(file));
            }
            catch (LitmusException e)
            {
                errors.AddRange(e.Diagnostics.Select(d => d.ToString()));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                errors.Add($"{file}: error: cannot read the file: {e.Message}");
            }
        }
        return new Loaded(tests, errors);
    }

    private static IEnumerable<string> Expand(IEnumerable<string> paths, List<string> errors)
    {
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                var files = Directory.EnumerateFiles(path, "*.litmus", SearchOption.AllDirectories)
                    .Order(StringComparer.Ordinal).ToList();
                if (files.Count == 0) errors.Add($"{path}: error: the folder holds no .litmus file");
                foreach (var file in files) yield return file;
            }
            else if (File.Exists(path)) yield return path;
            else errors.Add($"{path}: error: no such file or folder");
        }
    }
}
