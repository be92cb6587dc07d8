namespace Harness.Tests.Support;

/// <summary>Finds the repository and the shared folder beside it, wherever the tests run from.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The project's shared folder (DESIGN.md, the herd7 oracle), a sibling of the repository.</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    public static string Oracle => Path.Combine(Shared, "oracle");

    public static string TestsLitmus => Path.Combine(Root, "tests-litmus");

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Harness.sln")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("cannot find Harness.sln above the test assembly");
    }
}
