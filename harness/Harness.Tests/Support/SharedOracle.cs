namespace Harness.Tests.Support;

/// <summary>
/// What the tests that read the herd7 oracle (<see cref="RepositoryPaths.Oracle"/>) do when it is
/// absent. They never vanish and never pass on nothing: a data-driven test yields one placeholder
/// case instead of its rows, and that case, like every other oracle test, is skipped with the
/// reason, or fails with it when <c>HARNESS_REQUIRE_ORACLE</c> is set (to anything but <c>0</c> or
/// <c>false</c>). <c>CI=true</c> alone does not require it: GitHub Actions sets it too, and there
/// only the repository is checked out. Whoever provides the oracle (this project's own CI, where
/// <c>../shared</c> exists) sets <c>HARNESS_REQUIRE_ORACLE=1</c>.
/// </summary>
public static class SharedOracle
{
    public const string RequireVariable = "HARNESS_REQUIRE_ORACLE";

    /// <summary>The C tests in <c>c/</c>; the .NET translations in <c>x86/</c>, <c>aarch64-lse-rcpc/</c> and <c>aarch64-v8.0/</c> are the same tests.</summary>
    public const int CTests = 55;

    /// <summary>The placeholder's name, after the fixture's prefix.</summary>
    public const string AbsentCaseName = "(herd7 oracle absent)";

    public static string Folder => RepositoryPaths.Oracle;

    /// <summary>Whether this run must have the oracle (read once, when the tests start).</summary>
    public static bool Required { get; } = IsRequired(Environment.GetEnvironmentVariable(RequireVariable));

    public static bool IsRequired(string? value) =>
        !string.IsNullOrWhiteSpace(value) && value.Trim() is not "0" && !value.Trim().Equals("false", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why the oracle cannot be used, or null when its folder is there.</summary>
    public static string? Absence(string folder) =>
        Directory.Exists(folder)
            ? null
            : $"the herd7 oracle is absent: no folder {folder} (../shared/oracle beside the repository, or the folder {RepositoryPaths.OracleVariable} names)";

    /// <summary>Returns when the oracle is there; otherwise skips the current test with the reason, or fails it when the oracle is required.</summary>
    public static void Require() => Require(Folder, Required);

    public static void Require(string folder, bool required)
    {
        if (Absence(folder) is not { } reason) return;
        if (required) Assert.Fail($"{reason}; {RequireVariable} is set, so its tests fail instead of being skipped");
        Assert.Ignore($"{reason}; its tests are skipped ({RequireVariable}=1 makes this a failure)");
    }

    /// <summary>
    /// A data-driven oracle test's cases: <paramref name="cases"/> when the oracle is there, else one
    /// placeholder case, named <c>{prefix} (herd7 oracle absent)</c>, whose argument is null; the
    /// test hands it to <see cref="RunPlaceholder"/>.
    /// </summary>
    public static IEnumerable<TestCaseData> CasesOrPlaceholder(string folder, string prefix, Func<IEnumerable<TestCaseData>> cases) =>
        Absence(folder) is null ? cases() : [new TestCaseData(new object?[] { null }).SetName($"{prefix} {AbsentCaseName}")];

    /// <summary>The placeholder case's body: skipped or failed with the reason, never passed.</summary>
    public static void RunPlaceholder()
    {
        Require();
        Assert.Fail($"the placeholder for an absent herd7 oracle ran although {Folder} is there");
    }
}
