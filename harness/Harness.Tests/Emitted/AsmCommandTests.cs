using System.Text.Json;
using Harness.Emitted;
using Harness.Running;
using Harness.Tests.Cli;
using Harness.Tests.Support;

namespace Harness.Tests.Emitted;

/// <summary>
/// <c>harness asm</c> through the real process: this machine's JIT always, the arm64 JIT when
/// qemu and a linux-arm64 build are here (.ci/run provides both; elsewhere those tests are skipped
/// with the reason).
/// </summary>
public class AsmCommandTests
{
    private static string Catalogue(string name) => Path.Combine(RepositoryPaths.Root, "tests-litmus", name);

    private static string WriteTest(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), $"asm-{Guid.NewGuid():N}.litmus");
        File.WriteAllText(path, text);
        return path;
    }

    private static List<JsonElement> JsonLines(string stdout) =>
        stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    private static IEnumerable<string> Emitted(JsonElement analysis, int thread) =>
        analysis.GetProperty("threads")[thread].GetProperty("emitted").EnumerateArray().Select(e => e.GetString()!);

    [Test]
    public void RelaxedMessagePassingIsPlainMovesOnX64()
    {
        if (MachineInfo.Current.Architecture != "x64") Assert.Ignore("x64 code is read on x64 machines only");
        var file = WriteTest(LitmusSamples.MessagePassingRelaxed);
        var result = HarnessProcess.Run("asm", file, "--json");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        var analysis = JsonLines(result.Stdout).Single();
        Assert.Multiple(() =>
        {
            Assert.That(Emitted(analysis, 0).Where(i => i.Contains("dword ptr")), Is.Not.Empty.And.All.StartWith("mov"));
            Assert.That(Emitted(analysis, 1).Where(i => i.Contains("dword ptr")), Is.Not.Empty.And.All.StartWith("mov"));
            Assert.That(analysis.GetProperty("finding").GetBoolean(), Is.False);
            Assert.That(analysis.GetProperty("emitted_states").GetArrayLength(), Is.EqualTo(analysis.GetProperty("table_states").GetArrayLength()));
        });
    }

    [Test]
    public void SeqCstStoreBufferingShowsTheFenceOnX64()
    {
        if (MachineInfo.Current.Architecture != "x64") Assert.Ignore("x64 code is read on x64 machines only");
        var file = WriteTest(LitmusSamples.StoreBufferingSeqCst);
        var result = HarnessProcess.Run("asm", file);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        Assert.That(result.Stdout, Does.Contain("lock or  dword ptr [rsp], 0"));
        Assert.That(result.Stdout, Does.Contain("the emitted code allows exactly what the table predicts"));
    }

    [Test]
    public void RunCheckEmittedAddsTheComparisonToTheRunsJson()
    {
        if (MachineInfo.Current.Architecture != "x64") Assert.Ignore("checked on x64 here; on arm64 the same path reads the host's JIT");
        var result = HarnessProcess.Run("run", Catalogue("dotnet/MP+MemoryBarrier+adjacent.litmus"), "--layout", "packed",
            "--iterations", "20000", "--check-emitted", "--json");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        var emitted = JsonLines(result.Stdout).Single().GetProperty("emitted_code");
        Assert.Multiple(() =>
        {
            Assert.That(emitted.GetProperty("layout").GetString(), Is.EqualTo("packed"));
            Assert.That(emitted.GetProperty("finding").GetBoolean(), Is.False);
            Assert.That(emitted.GetProperty("only_emitted").GetArrayLength(), Is.Zero);
        });
    }

    [Test]
    public void AMissingArm64BuildIsSaidClearly()
    {
        if (MachineInfo.Current.Architecture == "arm64") Assert.Ignore("on arm64 the host's own JIT is read");
        var empty = Directory.CreateTempSubdirectory("no-arm64-build-");
        var result = HarnessProcess.Run("asm", Catalogue("dotnet/SB+Volatile.litmus"), "--arch", "arm64", "--arm64-build", empty.FullName);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Stderr, Does.Contain("cannot read the arm64 code here").And.Not.Contain("   at "));
    }

    private static string Arm64BuildOrIgnore()
    {
        if (MachineInfo.Current.Architecture == "arm64") Assert.Ignore("on arm64 the host's own JIT is read");
        if (JitListing.FindQemu() is null) Assert.Ignore($"{JitListing.Qemu} is not installed (scripts/setup-qemu-arm64.sh)");
        var build = JitListing.FindArm64Build(null);
        if (build is null) Assert.Ignore("no linux-arm64 build (set HARNESS_ARM64_BUILD or publish to artifacts/linux-arm64)");
        return Path.GetDirectoryName(build)!;
    }

    [Test]
    public void RelaxedMessagePassingIsLdrAndStrOnArm64()
    {
        var build = Arm64BuildOrIgnore();
        var file = WriteTest(LitmusSamples.MessagePassingRelaxed);
        var result = HarnessProcessWithEnvironment.Run(new Dictionary<string, string>(), "asm", file, "--arch", "arm64", "--arm64-build", build, "--json");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        var analyses = JsonLines(result.Stdout);
        Assert.That(analyses.Select(a => a.GetProperty("profile").GetString()), Is.EqualTo(new[] { "lse-rcpc", "v8.0" }));
        foreach (var analysis in analyses)
            Assert.Multiple(() =>
            {
                Assert.That(Emitted(analysis, 0).Where(i => i.Contains('[') && !i.Contains("[fp")), Is.Not.Empty.And.All.StartWith("str"));
                Assert.That(Emitted(analysis, 1).Where(i => i.Contains('[') && !i.Contains("[fp")), Is.Not.Empty.And.All.StartWith("ldr"));
            });
    }

    [Test]
    public void SeqCstStoreBufferingShowsTheFenceSequenceOnArm64()
    {
        var build = Arm64BuildOrIgnore();
        var file = WriteTest(LitmusSamples.StoreBufferingSeqCst);
        var result = HarnessProcessWithEnvironment.Run(new Dictionary<string, string>(), "asm", file, "--arch", "arm64", "--arm64-build", build, "--json");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        var analyses = JsonLines(result.Stdout);
        var mnemonics = analyses.Select(a => Emitted(a, 0).Select(i => i.Split(' ')[0]).Where(m => m is "stlr" or "dmb" or "ldapr" or "ldar").ToList()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(mnemonics[0], Is.EqualTo(new[] { "stlr", "dmb", "ldapr" }), "lse-rcpc");
            Assert.That(mnemonics[1], Is.EqualTo(new[] { "stlr", "dmb", "ldar" }), "v8.0");
            Assert.That(analyses.Select(a => a.GetProperty("finding").GetBoolean()), Is.All.False);
        });
    }

    [Test]
    public void PackedMessagePassingWithFencesIsAFindingOnArm64()
    {
        var build = Arm64BuildOrIgnore();
        var result = HarnessProcessWithEnvironment.Run(new Dictionary<string, string>(),
            "asm", Catalogue("dotnet/MP+MemoryBarrier+adjacent.litmus"), "--arch", "arm64", "--arm64-build", build, "--layout", "packed");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Stderr);
        Assert.That(result.Stdout, Does.Contain("FINDING: the emitted code allows what the mapping's table forbids"));
        Assert.That(result.Stdout, Does.Contain("1:r0=1; 1:r1=0;"));
        Assert.That(result.Stdout, Does.Contain("cause: P1: 'ldp"));
    }

    [Test]
    public void PaddedMessagePassingWithFencesIsNoFindingOnArm64()
    {
        var build = Arm64BuildOrIgnore();
        var result = HarnessProcessWithEnvironment.Run(new Dictionary<string, string>(),
            "asm", Catalogue("dotnet/MP+MemoryBarrier+adjacent.litmus"), "--arch", "arm64", "--arm64-build", build, "--json");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        Assert.That(JsonLines(result.Stdout).Select(a => a.GetProperty("finding").GetBoolean()), Is.All.False);
    }
}
