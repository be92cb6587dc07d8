using Harness.Language;
using Harness.Tests.Support;
using NUnit.Framework;
using Harness.Programs;

namespace Harness.Tests.Language;

/// <summary>
/// Every C test of the shared oracle corpus (repoRoot/../shared/oracle/c) must parse. Without the
/// oracle these tests are skipped or failed (<see cref="SharedOracle"/>).
/// </summary>
[TestFixture]
public sealed class OracleCorpusTests
{
    private static string[] CorpusFiles()
    {
        SharedOracle.Require();
        var files = Directory.GetFiles(Path.Combine(SharedOracle.Folder, "c"), "*.litmus");
        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }

    [Test]
    public void EveryCorpusFileParses()
    {
        var files = CorpusFiles();
        Assert.That(files, Has.Length.EqualTo(SharedOracle.CTests));
        Assert.Multiple(() =>
        {
            foreach (var file in files)
            {
                LitmusTest? test = null;
                Assert.That(() => test = LitmusParser.ParseFile(file), Throws.Nothing, file);
                if (test is null) continue;
                Assert.That(test.Architecture, Is.EqualTo("C"), file);
                Assert.That(test.Name, Is.EqualTo(Path.GetFileNameWithoutExtension(file)), file);
                Assert.That(test.Threads, Is.Not.Empty, file);
                Assert.That(test.SourceFile, Is.EqualTo(file));
            }
        });
    }

    [Test]
    public void MessagePassingWithReleaseAcquireReadsCompletely()
    {
        var file = CorpusFiles().SingleOrDefault(path => Path.GetFileName(path) == "MP+rel+acq.litmus");
        Assert.That(file, Is.Not.Null, "MP+rel+acq.litmus is not in the oracle's C tests");

        var test = LitmusParser.ParseFile(file!);

        SourceSpan At(int line, int column) => new(file!, line, column);
        var parameters = new[]
        {
            new Parameter("atomic_int*", "x", At(5, 5)),
            new Parameter("atomic_int*", "y", At(5, 20)),
        };
        Assert.Multiple(() =>
        {
            Assert.That(test.Name, Is.EqualTo("MP+rel+acq"));
            Assert.That(test.Comment, Is.Null);
            Assert.That(test.Headers, Is.Empty);
            Assert.That(test.Initial, Is.EqualTo(new[]
            {
                new InitialValue(StateKey.Location("x"), 0, null, At(3, 3)),
                new InitialValue(StateKey.Location("y"), 0, null, At(3, 10)),
            }));
            Assert.That(test.Locations, Is.EqualTo(new[] { "x", "y" }));
            Assert.That(test.Threads[0].Parameters, Is.EqualTo(parameters));
            Assert.That(test.Threads[0].Body, Is.EqualTo(new Statement[]
            {
                new Store("x", new Constant(1, At(6, 28)), MemoryOrder.Relaxed, At(6, 3)),
                new Store("y", new Constant(1, At(7, 28)), MemoryOrder.Release, At(7, 3)),
            }));
            Assert.That(test.Threads[1].Body, Is.EqualTo(new Statement[]
            {
                new LocalDeclaration("int", "r0", new Load("y", MemoryOrder.Acquire, At(11, 12)), At(11, 3)),
                new LocalDeclaration("int", "r1", new Load("x", MemoryOrder.Relaxed, At(12, 12)), At(12, 3)),
            }));
            Assert.That(test.Condition.Quantifier, Is.EqualTo(Quantifier.Exists));
            Assert.That(test.Condition.Text, Is.EqualTo("exists (1:r0=1 /\\ 1:r1=0)"));
            Assert.That(test.Condition.Span, Is.EqualTo(At(15, 1)));
            Assert.That(test.Condition.Proposition, Is.EqualTo(new AndProposition(
                new AtomProposition(StateKey.Register(1, "r0"), 1, At(15, 9)),
                new AtomProposition(StateKey.Register(1, "r1"), 0, At(15, 19)))));
            Assert.That(test.ExtraLocations, Is.Empty);
        });
    }
}
