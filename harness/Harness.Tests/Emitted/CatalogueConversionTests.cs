using Harness.Emitted;
using Harness.Language;
using Harness.Mapping;
using Harness.Running;
using Harness.Tests.Support;

namespace Harness.Tests.Emitted;

/// <summary>
/// Judge everything: the code this machine's JIT emits for every test of the catalogue and for the
/// oracle's C tests is turned into a hardware test, none left "not converted": on x64 natively, and on
/// both arm64 profiles under qemu where the linux-arm64 build is at hand (.ci/run makes one; a minute
/// or so cold, one qemu start per profile for the whole catalogue).
/// </summary>
public class CatalogueConversionTests
{
    private static IEnumerable<string> Files()
    {
        var catalogue = Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "tests-litmus"), "*.litmus", SearchOption.AllDirectories);
        var oracle = Path.Combine(SharedOracle.Folder, "c");
        return Directory.Exists(oracle) ? catalogue.Concat(Directory.EnumerateFiles(oracle, "*.litmus")) : catalogue;
    }

    /// <summary>
    /// fullopts is what <c>harness run</c> runs; Tier0 is the code every method starts with, calls to Interlocked.Add and all;
    /// Tier1 with PGO what a long-running app ends with; OSR what a Tier0 loop switches to (its spin bound and stride kept in
    /// registers set before the racing code).
    /// </summary>
    [TestCase("fullopts")]
    [TestCase("tier0")]
    [TestCase("tier1-pgo")]
    [TestCase("osr")]
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

    [TestCase("fullopts")]
    [TestCase("tier0")]
    [TestCase("tier1-pgo")]
    [TestCase("osr")]
    public void EveryTestOfTheCatalogueIsConvertedOnBothArm64Profiles(string configuration)
    {
        if (JitListing.FindQemu() is null || JitListing.FindArm64Build(null) is null)
            Assert.Ignore("needs qemu-aarch64-static and the linux-arm64 build (HARNESS_ARM64_BUILD or artifacts/linux-arm64)");
        var tests = Files().Select(LitmusParser.ParseFile).ToList();
        var unreadable = new List<string>();
        var analyses = EmittedAnalyzer.AnalyzeMany(tests, MappingScheme.DotNet, packed: false,
            [.. new[] { ListingTarget.QemuArm64LseRcpc, ListingTarget.QemuArm64V80 }.Select(t => t with { Configuration = JitConfiguration.Find(configuration)! })], failed: (test, target, e) => unreadable.Add($"{test.Name} on {target.Name}: {e.Message}"));

        Assert.Multiple(() =>
        {
            Assert.That(unreadable, Is.Empty, "listings that could not be read");
            Assert.That(analyses, Has.Count.EqualTo(2 * tests.Count));
            Assert.That(analyses.Where(a => a.NotConverted is not null).Select(a => $"{a.Test.Name} on {a.Target.Name}: {a.NotConverted}"), Is.Empty, "not converted");
            Assert.That(analyses.Where(a => a.JitWeakerThanTable).Select(a => $"{a.Test.Name} on {a.Target.Name}"), Is.Empty,
                "findings: the JIT's code allows what the table forbids");
        });
    }
    /// <summary>
    /// ReadyToRun code, from crossgen2 (no qemu: it cross-compiles) for x64 and for arm64 with LSE and RCpc
    /// (crossgen2 always uses LSE, so v8.0 never runs ReadyToRun atomics).
    /// </summary>
    [Test]
    public void EveryTestOfTheCatalogueIsConvertedAsReadyToRun()
    {
        if (ReadyToRunListing.FindCrossgen2() is null) Assert.Ignore("crossgen2 is not in the NuGet cache here (a ReadyToRun publish restores it)");
        var tests = Files().Select(LitmusParser.ParseFile).ToList();
        var targets = new List<ListingTarget>();
        if (MachineInfo.Current.Architecture == "x64")
            targets.Add(ListingTarget.Host(MachineInfo.Current.InstructionProfile) with { Configuration = JitConfiguration.ReadyToRun });
        if (JitListing.FindArm64Build(null) is not null)
            targets.Add((ListingTarget.QemuArm64LseRcpc with { Configuration = JitConfiguration.ReadyToRun }).AsPrecompiled());
        var unreadable = new List<string>();
        var analyses = EmittedAnalyzer.AnalyzeMany(tests, MappingScheme.DotNet, packed: false,
            targets, failed: (test, target, e) => unreadable.Add($"{test.Name} on {target.Name}: {e.Message}"));

        Assert.Multiple(() =>
        {
            Assert.That(unreadable, Is.Empty, "listings that could not be read");
            Assert.That(analyses, Has.Count.EqualTo(targets.Count * tests.Count));
            Assert.That(analyses.Where(a => a.NotConverted is not null).Select(a => $"{a.Test.Name} on {a.Target.Name}: {a.NotConverted}"), Is.Empty, "not converted");
            Assert.That(analyses.Where(a => a.Unexplained.Count > 0).Select(a => $"{a.Test.Name} on {a.Target.Name}: {a.Unexplained[0]}"), Is.Empty, "unexplained");
            Assert.That(analyses.Where(a => a.JitWeakerThanTable).Select(a => $"{a.Test.Name} on {a.Target.Name}"), Is.Empty,
                "findings: the ReadyToRun code allows what the table forbids");
        });
    }
}
