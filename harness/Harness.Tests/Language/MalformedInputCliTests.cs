using Harness.Tests.Cli;
using NUnit.Framework;

namespace Harness.Tests.Language;

/// <summary>Some of the malformed-input corpus through the real <c>harness simulate</c> process, as a user meets it.</summary>
[TestFixture]
public sealed class MalformedInputCliTests
{
    /// <summary>Empty, binary, badly encoded, huge, and with many problems at once.</summary>
    private static readonly string[] CaseNames =
    [
        "empty file",
        "PNG file",
        "invalid UTF-8 byte in code",
        "1 MB line of stray characters",
        "17 threads",
        "independent problems are all reported",
    ];

    private string folder = "";

    [SetUp]
    public void CreateFolder()
    {
        folder = Path.Combine(Path.GetTempPath(), "harness-malformed-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
    }

    [TearDown]
    public void RemoveFolder() => Directory.Delete(folder, recursive: true);

    [Test]
    public void SimulateReportsEveryErrorOfEveryFileAndExitsWithTwo()
    {
        var cases = CaseNames.Select(name => MalformedCorpus.All.Single(malformed => malformed.Name == name)).ToList();
        var paths = cases.Select(malformed => MalformedCorpus.WriteInto(folder, malformed.Name, malformed.Content)).ToList();

        var result = HarnessProcess.Run(["simulate", .. paths, "--model", "sc"]);

        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.TrimEnd('\r')).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.Stderr);
            Assert.That(lines.Where(line => line.StartsWith("   at ", StringComparison.Ordinal)), Is.Empty, "no stack trace");
            foreach (var (malformed, path) in cases.Zip(paths))
            {
                foreach (var expected in malformed.Errors)
                {
                    var prefix = $"{path}:{expected.Line}:{expected.Column}: error: ";
                    Assert.That(lines.Any(line => line.StartsWith(prefix, StringComparison.Ordinal) && line.Contains(expected.Fragment, StringComparison.Ordinal)),
                        Is.True, $"{malformed.Name}: no line '{prefix}...{expected.Fragment}...' in\n{result.Stderr}");
                }
            }
            Assert.That(lines, Has.Count.EqualTo(cases.Sum(malformed => malformed.Errors.Count)), "one line per error, nothing else");
        });
    }
}
