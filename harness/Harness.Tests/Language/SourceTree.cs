using System.Runtime.CompilerServices;

namespace Harness.Tests.Language;

/// <summary>
/// Finds the repository's litmus folders for the parser tests. The test assembly is usually
/// built inside the tree, but not with <c>--artifacts-path</c>: the tree is then found from where
/// this source file was compiled.
/// </summary>
internal static class SourceTree
{
    private const string SolutionFile = "Harness.sln";

    public static string? Root { get; } = FindRoot();

    /// <summary>The committed catalogue, <c>tests-litmus/</c>; null when it cannot be found.</summary>
    public static string? TestsLitmus => ExistingFolder(Root, "tests-litmus");

    private static string? ExistingFolder(string? root, params string[] parts)
    {
        if (root is null) return null;
        var folder = Path.GetFullPath(Path.Combine([root, .. parts]));
        return Directory.Exists(folder) ? folder : null;
    }

    private static string? FindRoot([CallerFilePath] string thisSourceFile = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(thisSourceFile) })
        {
            for (var directory = start is null ? null : new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, SolutionFile))) return directory.FullName;
            }
        }
        return null;
    }
}
