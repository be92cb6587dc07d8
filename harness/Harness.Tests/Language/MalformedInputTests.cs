using Harness.Language;
using NUnit.Framework;
using Harness.Programs;
using Harness.Language.Source;

namespace Harness.Tests.Language;

/// <summary>
/// The malformed-input corpus (<see cref="MalformedCorpus"/>) read from disk as the command line
/// reads it: every file gives exactly its listed errors, in order, at the listed positions.
/// </summary>
[TestFixture]
public sealed class MalformedInputTests
{
    private string folder = "";

    [OneTimeSetUp]
    public void CreateFolder()
    {
        folder = Path.Combine(Path.GetTempPath(), "litmus-malformed-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
    }

    [OneTimeTearDown]
    public void RemoveFolder() => Directory.Delete(folder, recursive: true);

    public static IEnumerable<TestCaseData> MalformedCases() =>
        MalformedCorpus.All.Select(malformed => new TestCaseData(malformed).SetArgDisplayNames(malformed.Name));

    public static IEnumerable<TestCaseData> AcceptedCases() =>
        MalformedCorpus.Accepted.Select(accepted => new TestCaseData(accepted.Name, accepted.Content).SetArgDisplayNames(accepted.Name));

    [Test]
    public void CorpusIsLargeAndItsNamesAreDistinct()
    {
        Assert.That(MalformedCorpus.All, Has.Count.GreaterThanOrEqualTo(60));
        // Names become file names: two alike would overwrite each other's file.
        Assert.That(MalformedCorpus.All.Select(malformed => malformed.Name), Is.Unique);
        Assert.That(MalformedCorpus.Accepted.Select(accepted => accepted.Name), Is.Unique);
    }

    [TestCaseSource(nameof(MalformedCases))]
    public void MalformedFileGivesExactlyItsErrors(MalformedCase malformed)
    {
        var path = MalformedCorpus.WriteInto(folder, malformed.Name, malformed.Content);

        var exception = Assert.Throws<LitmusException>(() => LitmusParser.ParseFile(path))!;

        var found = exception.Diagnostics;
        var listing = "found:\n" + string.Join("\n", found.Select(diagnostic => Shorten(diagnostic.ToString())));
        Assert.That(found, Has.Count.EqualTo(malformed.Errors.Count), listing);
        Assert.Multiple(() =>
        {
            foreach (var (expected, diagnostic) in malformed.Errors.Zip(found))
            {
                Assert.That(diagnostic.Span, Is.EqualTo(new SourceSpan(path, expected.Line, expected.Column)), listing);
                Assert.That(diagnostic.Message, Does.Contain(expected.Fragment), listing);
            }
        });
    }

    [TestCaseSource(nameof(AcceptedCases))]
    public void UnusualButValidFileParses(string name, Func<byte[]> content)
    {
        var path = MalformedCorpus.WriteInto(folder, name, content);

        Assert.That(() => LitmusParser.ParseFile(path), Throws.Nothing);
    }

    /// <summary>Keeps a failure message readable when a diagnostic quotes a megabyte of input.</summary>
    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + $"... ({text.Length} characters)";
}
