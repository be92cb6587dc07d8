namespace Harness.Reports;

/// <summary>
/// Where a results folder keeps each test's files (results/README.md): the suite writes them and
/// the HTML report finds them again, so both must turn a test's name into the same file name.
/// </summary>
public static class ResultFiles
{
    public const string TestsFolder = "tests";
    public const string ChartsFolder = "charts";
    public const string HtmlFolder = "html";
    public const string IndexFile = "index.html";

    /// <summary>A test's name as a file name: characters no file system takes, and spaces, become '_'; '+' and '.' stay.</summary>
    public static string FileName(string testName) =>
        string.Concat(testName.Select(c => Path.GetInvalidFileNameChars().Contains(c) || c == ' ' ? '_' : c));
}
