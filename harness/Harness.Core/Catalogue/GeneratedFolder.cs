using System.Text;

namespace Harness.Catalogue;

public enum FileDifference
{
    /// <summary>The generator makes the file; the folder lacks it.</summary>
    Missing,

    /// <summary>The folder's file is not the generator's text.</summary>
    Differs,

    /// <summary>A <c>.litmus</c> file the generator no longer makes.</summary>
    Stale,
}

/// <summary>One file of a generated folder that is not as the generator would write it; the path is relative to the folder, with '/'.</summary>
public sealed record FolderDifference(string RelativePath, FileDifference Kind)
{
    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()}: {RelativePath}";
}

/// <summary>What <see cref="GeneratedFolder.Write"/> did.</summary>
public sealed record FolderUpdate(int Written, int Unchanged, int Deleted);

/// <summary>
/// Keeps a folder equal to the generator's output (<c>tests-litmus/generated</c>): one
/// sub-folder per shape, one file per test. Only <c>.litmus</c> files count; anything else in
/// the folder is left alone.
/// </summary>
public static class GeneratedFolder
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Every file of <paramref name="folder"/> that differs from the generator's output, in path order.</summary>
    public static IReadOnlyList<FolderDifference> Compare(string folder, IEnumerable<IGeneratedFile> tests)
    {
        var expected = Expected(tests);
        var present = Present(folder);
        var differences = new List<FolderDifference>();
        foreach (var (path, text) in expected)
        {
            if (!present.Contains(path)) differences.Add(new(path, FileDifference.Missing));
            else if (!string.Equals(File.ReadAllText(FullPath(folder, path), Utf8), text, StringComparison.Ordinal))
                differences.Add(new(path, FileDifference.Differs));
        }
        differences.AddRange(present.Where(p => !expected.ContainsKey(p)).Select(p => new FolderDifference(p, FileDifference.Stale)));
        return differences.OrderBy(d => d.RelativePath, StringComparer.Ordinal).ToList();
    }

    /// <summary>Writes every test whose file is missing or differs, deletes stale <c>.litmus</c> files and the folders they leave empty.</summary>
    public static FolderUpdate Write(string folder, IEnumerable<IGeneratedFile> tests)
    {
        var expected = Expected(tests);
        var present = Present(folder);
        int written = 0, unchanged = 0, deleted = 0;
        foreach (var (path, text) in expected)
        {
            var full = FullPath(folder, path);
            if (present.Contains(path) && string.Equals(File.ReadAllText(full, Utf8), text, StringComparison.Ordinal))
            {
                unchanged++;
                continue;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text, Utf8);
            written++;
        }
        foreach (var path in present.Where(p => !expected.ContainsKey(p)))
        {
            File.Delete(FullPath(folder, path));
            deleted++;
        }
        if (Directory.Exists(folder)) DeleteEmptySubfolders(folder);
        return new FolderUpdate(written, unchanged, deleted);
    }

    private static Dictionary<string, string> Expected(IEnumerable<IGeneratedFile> tests)
    {
        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var test in tests)
            if (!expected.TryAdd(test.RelativePath, test.Text))
                throw new InvalidOperationException($"two generated tests would be written to {test.RelativePath}");
        return expected;
    }

    private static HashSet<string> Present(string folder) =>
        Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*.litmus", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(folder, f).Replace(Path.DirectorySeparatorChar, '/'))
                .ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal);

    private static string FullPath(string folder, string relativePath) =>
        Path.Combine(folder, relativePath.Replace('/', Path.DirectorySeparatorChar));

    private static void DeleteEmptySubfolders(string folder)
    {
        foreach (var sub in Directory.EnumerateDirectories(folder))
        {
            DeleteEmptySubfolders(sub);
            if (!Directory.EnumerateFileSystemEntries(sub).Any()) Directory.Delete(sub);
        }
    }
}
