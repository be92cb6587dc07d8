using Harness.Emitted;
using Harness.Language;
using Harness.Mapping;
using Harness.Running;
using Harness.Tests.Support;

namespace Harness.Tests.Emitted;

/// <summary>
/// Judge everything: the code this machine's JIT emits for every test of the catalogue and for the
/// oracle's C tests is turned into a hardware test, none left "not converted". x64 only (the arm64
/// code needs qemu, one child process per test: recorded listings cover it in <see cref="ConversionTests"/>).
/// </summary>
public class CatalogueConversionTests
{
    private static IEnumerable<string> Files()
    {
        var catalogue = Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "tests-litmus"), "*.litmus", SearchOption.AllDirectories);
        var oracle = Path.Combine(SharedOracle.Folder, "c");
        return Directory.Exists(oracle) ? catalogue.Concat(Directory.EnumerateFiles(oracle, "*.litmus")) : catalogue;
    }

    /// <summary>fullopts is what <c>harness run</c> runs; Tier0 is the code every method starts with, calls to Interlocked.Add and all.</summary>
    [TestCase("fullopts")]
    [TestCase("tier0")]
    public void EveryTestOfTheCatalogueIsConvertedOnX64(string configuration)
    {
        if (MachineInfo.Current.Architecture != "x64") Assert.Ignore("x64 code is read on x64 machines only");
        var tests = Files().Select(LitmusParser.ParseFile).ToList();
        var unreadable = new List<string>();
        var target = ListingTarget.Host(MachineInfo.Current.InstructionProfile) with { Configuration = JitConfiguration.Find(configuration)! };
        var analyses = EmittedAnalyzer.AnalyzeMany(tests, MappingScheme.DotNet, packed: false,
            [target], failed: (test, _, e) => unreadable.Add($"{test.Name}: {e.Message}"));

        Assert.Multiple(() =>
        {
            Assert.That(unreadable, Is.Empty, "listings that could not be read");
            Assert.That(analyses.Where(a => a.NotConverted is not null).Select(a => $"{a.Test.Name}: {a.NotConverted}"), Is.Empty, "not converted");
            Assert.That(analyses.Where(a => a.JitWeakerThanTable).Select(a => a.Test.Name), Is.Empty, "findings: the JIT's code allows what the table forbids");
        });
    }
}
