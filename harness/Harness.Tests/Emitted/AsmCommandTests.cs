using Harness.Mapping;
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
    internal static string Catalogue(string name) => Path.Combine(RepositoryPaths.Root, "tests-litmus", name);

    private static string WriteTest(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), $"asm-{Guid.NewGuid():N}.litmus");
        File.WriteAllText(path, text);
        return path;
    }

    internal static List<JsonElement> JsonLines(string stdout) =>
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

    /// <summary>
    /// Spin loops (test, jcc, jmp, the kernel's spin bound read off the stack), comparisons of
    /// memory (cmp dword ptr [x], 1) and plain read-modify-writes of memory (inc dword ptr [x])
    /// are judged, not refused: each converts and agrees with the table.
    /// </summary>
    [TestCase("dotnet/MP+spin+rlx.litmus")]
    [TestCase("dotnet/MP+spin+Volatile.litmus")]
    [TestCase("atomics-chapter/hardware-reorder+rlx.litmus")]
    [TestCase("atomics-chapter/counter+rlx+load-store.litmus")]
    [TestCase("dotnet/MP+WriteBarrier+ReadBarrier+adjacent.litmus")]
    public void BranchesComparisonsAndMemoryArithmeticAreJudgedOnX64(string test)
    {
        if (MachineInfo.Current.Architecture != "x64") Assert.Ignore("x64 code is read on x64 machines only");
        var result = HarnessProcess.Run("asm", Catalogue(test), "--json");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        var analysis = JsonLines(result.Stdout).Single();
        Assert.That(analysis.TryGetProperty("emitted_states", out var states), Is.True, analysis.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(states.GetArrayLength(), Is.EqualTo(analysis.GetProperty("table_states").GetArrayLength()), analysis.GetProperty("herd").GetString());
            Assert.That(analysis.GetProperty("finding").GetBoolean(), Is.False);
        });
    }

    [Test]
    public void RunReadsTheEmittedCodeOfTheKernelThatRanByDefault()
    {
        if (MachineInfo.Current.Architecture != "x64") Assert.Ignore("checked on x64 here; on arm64 the same path reads the host's JIT");
        var result = HarnessProcess.Run("run", Catalogue("dotnet/MP+MemoryBarrier+adjacent.litmus"), "--layout", "packed",
            "--iterations", "20000", "--json");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        var emitted = JsonLines(result.Stdout).Single().GetProperty("emitted_code");
        Assert.Multiple(() =>
        {
            Assert.That(emitted.GetProperty("judged").GetBoolean(), Is.True);
            Assert.That(emitted.GetProperty("profile").GetString(), Is.EqualTo("x64"));
            Assert.That(emitted.GetProperty("finding").GetBoolean(), Is.False);
            Assert.That(emitted.GetProperty("only_emitted").GetArrayLength(), Is.Zero);
            Assert.That(emitted.GetProperty("not_observable").GetArrayLength(), Is.Zero);
            Assert.That(emitted.GetProperty("unexplained").GetArrayLength(), Is.Zero);
            Assert.That(emitted.GetProperty("herd").GetString(), Does.StartWith("X86 ").And.Contain("exists"),
                "the racing code the verdict rests on, as herd7 reads it");
        });

        var off = HarnessProcess.Run("run", Catalogue("dotnet/MP+MemoryBarrier+adjacent.litmus"), "--iterations", "20000", "--json", "--no-check-emitted");
        Assert.That(off.ExitCode, Is.EqualTo(0), off.Stderr);
        Assert.That(JsonLines(off.Stdout).Single().TryGetProperty("emitted_code", out _), Is.False);
    }

    /// <summary>
    /// CoRR+rlx on x64: the JIT keeps the first plain read of x in a register and reuses it for the
    /// second, so the state where the two reads differ, which every model allows, can never be seen.
    /// </summary>
    [Test]
    public void AStateTheJitMadeUnobservableIsSaidSoNotMerelyNotSeen()
    {
        if (MachineInfo.Current.Architecture != "x64") Assert.Ignore("the merged read is x64's JIT's");
        var result = HarnessProcess.Run("run", Catalogue("generated/CoRR/CoRR+rlx.litmus"), "--iterations", "20000", "--json");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        var run = JsonLines(result.Stdout).Single();
        var notObservable = run.GetProperty("not_observable").EnumerateArray().Select(s => s.ToString()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(notObservable, Is.EqualTo(new[] { """{"1:r0":0,"1:r1":1}""" }));
            Assert.That(run.GetProperty("allowed_unseen").EnumerateArray().Select(s => s.ToString()), Has.None.EqualTo(notObservable[0]));
            Assert.That(run.GetProperty("emitted_code").GetProperty("removed")[0].GetString(), Does.Contain("read of x into r1 is merged"));
        });

        var table = HarnessProcess.Run("run", Catalogue("generated/CoRR/CoRR+rlx.litmus"), "--iterations", "20000");
        Assert.That(table.Stdout, Does.Contain("allowed but not observable with this code").And.Contain("1:r0=0; 1:r1=1;"));
    }

    /// <summary>
    /// The totals name, per target, the tests whose code is stronger than the table (CoRR's two reads of x, which
    /// the JIT keeps in order on x64 where the table lets them go either way) beside the findings and the not converted.
    /// </summary>
    [Test]
    public void TheTotalsNameWhatIsStrongerThanTheTable()
    {
        if (MachineInfo.Current.Architecture != "x64") Assert.Ignore("the x64 JIT's code for CoRR");
        var result = HarnessProcess.Run("asm", Catalogue("generated/CoRR/CoRR+rlx.litmus"), Catalogue("generated/SB/SB+rlx.litmus"));

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        Assert.That(result.Stdout.TrimEnd('\n').Split('\n')[^2..], Is.EqualTo(new[]
        {
            "asm: x64 (this machine), fullopts: 2 tests; weaker than the table (findings): 0; stronger than the table: 1 (CoRR+rlx); " +
            "not converted: 0; code the test does not explain: 0",
            "asm: 2 tests on 1 target in " + result.Stdout.Split(" on 1 target in ")[^1].TrimEnd('\n'),
        }));
    }

    /// <summary>
    /// Interlocked.Or with its result used is, on x64, a plain read guessing the value and a <c>lock cmpxchg</c>
    /// loop: the guess is kept as the read it is, the loop as a loop, and the code judged (SB with the fence on
    /// the other side stays forbidden, as the table says).
    /// </summary>
    [Test]
    public void AnInterlockedOrWhoseResultIsUsedIsItsCompareExchangeLoop()
    {
        if (MachineInfo.Current.Architecture != "x64") Assert.Ignore("the x64 JIT's code for Interlocked.Or");
        var file = WriteTest("""
            CSharp SB+Or+MemoryBarrier
            { int x = 0; int y = 0; }
            P0 {
              x = 1;
              int r0 = Interlocked.Or(ref y, 0);
            }
            P1 {
              y = 1;
              Interlocked.MemoryBarrier();
              int r0 = x;
            }
            exists (0:r0=0 /\ 1:r0=0)
            """);
        var result = HarnessProcess.Run("asm", file, "--json");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        var analysis = JsonLines(result.Stdout).Single();
        Assert.Multiple(() =>
        {
            Assert.That(analysis.TryGetProperty("not_converted", out _), Is.False);
            Assert.That(Emitted(analysis, 0), Has.Some.StartsWith("lock cmpxchg").And.Some.StartsWith("jne"));
            Assert.That(analysis.GetProperty("emitted_states").GetArrayLength(), Is.EqualTo(3));
            Assert.That(analysis.GetProperty("finding").GetBoolean(), Is.False);
        });
    }

    /// <summary>CoWW+rlx on x64: the first of two plain stores to x is dead, and the JIT drops it; the code is judged as it is.</summary>
    [Test]
    public void AStoreTheJitDroppedIsModelledNotRefused()
    {
        if (MachineInfo.Current.Architecture != "x64") Assert.Ignore("the dropped store is x64's JIT's");
        var result = HarnessProcess.Run("asm", Catalogue("generated/CoWW/CoWW+rlx.litmus"), "--json");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        var analysis = JsonLines(result.Stdout).Single();
        Assert.Multiple(() =>
        {
            Assert.That(analysis.TryGetProperty("not_converted", out _), Is.False);
            Assert.That(analysis.GetProperty("removed").EnumerateArray().Select(r => r.GetString()), Is.EqualTo(new[] { "P0: the write of x is removed (a later write of it overwrites it)" }));
            Assert.That(analysis.GetProperty("emitted_states").GetArrayLength(), Is.EqualTo(analysis.GetProperty("table_states").GetArrayLength()));
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

    /// <summary>The runtime's switches change the arm64 code; the label must follow the code, not the CPU qemu emulates.</summary>
    [Test]
    public void TheRuntimesSwitchesRelabelTheArm64Code()
    {
        var build = Arm64BuildOrIgnore();
        var result = HarnessProcessWithEnvironment.Run(
            new Dictionary<string, string> { ["DOTNET_EnableArm64Atomics"] = "0", ["COMPlus_EnableArm64Rcpc"] = "0" },
            "asm", Catalogue("dotnet/MP+Exchange+Volatile.litmus"), "--arch", "arm64", "--arm64-build", build, "--json");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        var analyses = JsonLines(result.Stdout);
        Assert.Multiple(() =>
        {
            Assert.That(analyses.Select(a => a.GetProperty("profile").GetString()), Is.All.EqualTo("v8.0"));
            Assert.That(analyses[0].GetProperty("target").GetString(), Does.Contain("DOTNET_EnableArm64Atomics=0").And.Contain("COMPlus_EnableArm64Rcpc=0"));
            Assert.That(analyses.SelectMany(a => Emitted(a, 0).Concat(Emitted(a, 1))).Select(i => i.Split(' ')[0]),
                Does.Contain("ldaxr").And.Contain("ldar").And.Not.Contain("swpal").And.Not.Contain("ldapr"));
        });
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

/// <summary><c>harness asm --jit</c>: the configurations it knows, and the ones it refuses rather than show wrong code.</summary>
public class AsmJitConfigurationTests
{
    private static string Catalogue(string name) => AsmCommandTests.Catalogue(name);

    [Test]
    public void AnUnknownConfigurationIsRefusedInOneLine()
    {
        var result = HarnessProcess.Run("asm", Catalogue("dotnet/SB+Volatile.litmus"), "--jit", "tier2");

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Stderr.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(result.Stderr, Does.Contain("tier2").And.Contain("fullopts"));
    }

    [Test]
    public void EachConfigurationLabelsItsCodeOnX64()
    {
        if (MachineInfo.Current.Architecture != "x64") Assert.Ignore("x64 code is read on x64 machines only");
        var result = HarnessProcess.Run("asm", Catalogue("dotnet/SB+Volatile.litmus"), "--jit", "all", "--json");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        var analyses = AsmCommandTests.JsonLines(result.Stdout);
        string[] read = ReadyToRunListing.FindCrossgen2() is null ? ["fullopts", "tier0", "tier1-pgo", "osr"] : ["fullopts", "tier0", "tier1-pgo", "osr", "r2r"];
        Assert.That(analyses.Select(a => a.GetProperty("jit").GetString()), Is.EqualTo(read));
        Assert.That(analyses.Select(a => a.GetProperty("finding").GetBoolean()), Is.All.False);
    }
    [Test]
    public void ReadyToRunWithoutCrossgen2IsRefusedInOneLineThatSaysWhereToGetIt()
    {
        var result = HarnessProcessWithEnvironment.Run(new Dictionary<string, string> { [ReadyToRunListing.Crossgen2Variable] = "/nonexistent/crossgen2" },
            "asm", Catalogue("dotnet/SB+Volatile.litmus"), "--jit", "r2r");

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Stderr.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(result.Stderr, Does.Contain("crossgen2 is not at hand").And.Contain("/nonexistent/crossgen2").And.Contain("dotnet publish"));
        Assert.That(result.Stdout, Is.Empty);
    }

    [Test]
    public void ReadyToRunIsReadForEveryProfileWithLseAndNoneWithout()
    {
        if (ReadyToRunListing.FindCrossgen2() is null) Assert.Ignore("crossgen2 is not in the NuGet cache here (a ReadyToRun publish restores it)");
        Assert.Multiple(() =>
        {
            Assert.That(ReadyToRunListing.Unavailable(ListingTarget.Host(InstructionProfile.X64) with { Architecture = "x64" }), Is.Null);
            Assert.That(ReadyToRunListing.Unavailable(ListingTarget.QemuArm64LseRcpc), Is.Null);
            Assert.That(ReadyToRunListing.Unavailable(ListingTarget.QemuArm64DefaultCpu(lse: true, rcpc: false, rcpc2: false)), Is.Null);
            // crossgen2 emits LSE atomics whatever it is told, and the runtime never runs such code on a CPU without LSE.
            Assert.That(ReadyToRunListing.Unavailable(ListingTarget.QemuArm64V80), Does.Contain("LSE"));
            Assert.That(ReadyToRunListing.Unavailable(ListingTarget.QemuArm64DefaultCpu(lse: false, rcpc: true, rcpc2: false)), Does.Contain("LSE"));
            Assert.That(ReadyToRunListing.InstructionSets(ListingTarget.QemuArm64LseRcpc), Is.EqualTo("armv8-a,lse,rcpc"));
            Assert.That(ListingTarget.QemuArm64LseRcpc.AsPrecompiled().UnderQemu, Is.False, "crossgen2 cross-compiles: no qemu");
        });
    }
}
