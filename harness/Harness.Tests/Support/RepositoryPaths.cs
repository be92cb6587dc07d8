using System.Runtime.CompilerServices;

namespace Harness.Tests.Support;

/// <summary>Finds the repository and the shared folder beside it, wherever the tests run from.</summary>
public static class RepositoryPaths
{
    /// <summary>Names another folder for the herd7 oracle than <c>../shared/oracle</c> (read once, when the tests start).</summary>
    public const string OracleVariable = "HARNESS_ORACLE";

    public static string Root { get; } = FindRoot();

    /// <summary>The project's shared folder (DESIGN.md, the herd7 oracle), a sibling of the repository.</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    /// <summary>
    /// The herd7 oracle: <c>../shared/oracle</c>, or the folder <c>HARNESS_ORACLE</c> names. Whether it
    /// is there is <see cref="SharedOracle"/>'s business, not this path's.
    /// </summary>
    public static string Oracle { get; } = OracleFolder(Environment.GetEnvironmentVariable(OracleVariable), Shared);

    public static string TestsLitmus => Path.Combine(Root, "tests-litmus");

    /// <summary>The oracle folder for a value of <c>HARNESS_ORACLE</c> (unset or empty: the one in <paramref name="shared"/>).</summary>
    public static string OracleFolder(string? variable, string shared) =>
        string.IsNullOrWhiteSpace(variable) ? Path.Combine(shared, "oracle") : Path.GetFullPath(variable);

    /// <summary>
    /// The folder holding Harness.sln above the test assembly or, when the assembly is built elsewhere
    /// (<c>--artifacts-path</c>), above this source file.
    /// </summary>
    private static string FindRoot([CallerFilePath] string thisSourceFile = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(thisSourceFile) })
        {
            for (var directory = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Harness.sln"))) return directory.FullName;
            }
        }
        throw new InvalidOperationException("cannot find Harness.sln above the test assembly or its sources");
    }
}
