using Harness.Emitted;
using Harness.Kernels;
using Harness.Language;
using Harness.Mapping;
using Harness.Running;
using Harness.Programs;
using Harness.Tests.Support;
using Harness.Kernels.Abi;

namespace Harness.Tests.Emitted;

/// <summary>
/// The kernel adds nothing to the racing window: the racing section the JIT emitted holds only
/// instructions of the kinds the test's own primitives produce under the mapping's table. The
/// first tests feed the audit sections the JIT really printed for the kernels of an earlier
/// harness, which read the round's volatile Abandoned flag inside a test's spin loop; the last
/// reads the code of every catalogue test with a loop, on x64 and (under qemu) both arm64 profiles.
/// </summary>
public class RacingWindowTests
{
    private static LitmusTest Catalogue(string relative) => LitmusParser.ParseFile(Path.Combine(RepositoryPaths.TestsLitmus, relative));

    private static EventProgram Table(LitmusTest test, InstructionProfile profile) =>
        Lowering.Lower(test, new MappedTarget(MappingScheme.DotNet, profile));

    private static IReadOnlyList<RacingSectionListing> Sections(string body, string marker) =>
        JitListingReader.Read($"; Assembly listing for method Harness.Generated.Kernel_T:P1(Harness.Kernels.Abi.RoundContext) (FullOpts)\n{body}", marker);

    [Test]
    public void The_old_kernels_acquire_read_of_the_abandoned_flag_on_arm64_is_caught()
    {
        // MP+spin+rlx, arm64 lse-rcpc, as the JIT emitted it when the loop read context.Abandoned (a volatile bool at +73).
        var sections = Sections("""
                   yield
                   mov      w0, wzr
                   ldr      w21, [fp, #0xBC]
                   cbz      w21, G_M000_IG39
            G_M000_IG33:
                   ldr      x23, [fp, #0x58]
                   add      x11, x23, #73
            G_M000_IG34:
                   ldaprb   w1, [x11]
                   cbnz     w1, G_M000_IG39
                   ldr      x22, [fp, #0x20]
                   ldr      w1, [x22]
                   cbnz     w1, G_M000_IG38
                   add      w0, w0, #1
                   cmp      w0, w21
                   bne      G_M000_IG34
            G_M000_IG38:
                   ldr      x22, [fp, #0x28]
                   ldr      w0, [x22]
                   yield
            G_M000_IG39:
                   yield
                   yield
                   mov      w1, #1
                   strb     w1, [x0, w19, UXTW #2]
            """, "yield");
        var test = Catalogue("dotnet/MP+spin+rlx.litmus");

        var unexplained = RacingCodeAudit.Unexplained(sections, Table(test, InstructionProfile.Arm64LseRcpc), "arm64");

        Assert.That(unexplained, Has.Count.EqualTo(1));
        Assert.That(unexplained[0], Does.Contain("ldaprb").And.Contain("byte access"));
        Assert.That(sections[0].Instructions.Select(i => i.Mnemonic), Does.Not.Contain("strb"), "the way out of an abandoned instance is no racing code");
    }

    [Test]
    public void The_old_kernels_read_of_the_abandoned_flag_on_x64_is_caught()
    {
        var sections = Sections("""
                   pause
                   xor      eax, eax
                   mov      ebx, dword ptr [rbp-0x34]
            G_M000_IG41:
                   mov      r12, gword ptr [rbp-0xA0]
                   cmp      byte  ptr [r12+0x49], 0
                   jne      SHORT G_M000_IG35
                   mov      rcx, bword ptr [rbp-0xD8]
                   cmp      dword ptr [rcx], 0
                   je       SHORT G_M000_IG39
            G_M000_IG42:
                   mov      r8, bword ptr [rbp-0xD0]
                   mov      eax, dword ptr [r8]
                   pause
            G_M000_IG35:
                   pause
                   pause
            G_M000_IG39:
                   inc      eax
                   cmp      eax, ebx
                   jne      SHORT G_M000_IG41
                   jmp      SHORT G_M000_IG35
            """, "pause");
        var test = Catalogue("dotnet/MP+spin+Volatile.litmus");

        var unexplained = RacingCodeAudit.Unexplained(sections, Table(test, InstructionProfile.X64), "x64");

        Assert.That(unexplained, Has.Count.EqualTo(1));
        Assert.That(unexplained[0], Does.Contain("byte").And.Contain("[r12+0x49]"));
        Assert.That(sections[0].Instructions.Select(i => i.ToString()), Does.Contain("inc      eax"), "the loop's back edge, laid out after the end mark, is followed");
    }

    [Test]
    public void An_acquire_or_barrier_the_test_does_not_have_is_caught_and_its_own_are_not()
    {
        var relaxed = Table(Catalogue("dotnet/MP+spin+rlx.litmus"), InstructionProfile.Arm64V80);
        var acquire = Table(Catalogue("dotnet/MP+spin+Volatile.litmus"), InstructionProfile.Arm64V80);
        var sections = Sections("       yield\n       ldar     w1, [x22]\n       dmb      ish\n       yield\n", "yield");

        Assert.That(RacingCodeAudit.Unexplained(sections, relaxed, "arm64"), Has.Count.EqualTo(2));
        Assert.That(RacingCodeAudit.Unexplained(sections, acquire, "arm64"), Has.Count.EqualTo(1).And.All.Contain("dmb"));
    }

    [Test]
    public void Generated_kernels_touch_nothing_of_the_harness_inside_the_racing_code()
    {
        foreach (var file in Directory.EnumerateFiles(RepositoryPaths.TestsLitmus, "*.litmus", SearchOption.AllDirectories).Order())
        {
            var test = LitmusParser.ParseFile(file);
            if (test.HardwareProgram is not null) continue;
            var source = KernelGenerator.Generate(test, MappingScheme.DotNet).Source.Split('\n');
            var inside = false;
            foreach (var line in source)
            {
                if (line.Contains("RacingSection.Start();")) inside = true;
                else if (line.Contains("RacingSection.End();")) inside = false;
                else if (inside)
                    Assert.That(line, Does.Not.Contain("context.").And.Not.Contain("StartLine."),
                        $"{Path.GetFileName(file)}: the racing code reads the harness's state");
            }
        }
    }

    private static IEnumerable<TestCaseData> LoopTestsOnEveryTarget()
    {
        var loops = Directory.EnumerateFiles(RepositoryPaths.TestsLitmus, "*.litmus", SearchOption.AllDirectories).Order()
            .Where(file => File.ReadAllText(file).Contains("while", StringComparison.Ordinal));
        foreach (var file in loops)
            foreach (var target in new[] { "host", "arm64 lse-rcpc", "arm64 v8.0" })
                yield return new TestCaseData(Path.GetRelativePath(RepositoryPaths.TestsLitmus, file), target)
                    .SetName($"Loop_test_racing_code_is_the_tests_own({Path.GetFileNameWithoutExtension(file)}, {target})");
    }

    [TestCaseSource(nameof(LoopTestsOnEveryTarget))]
    public void Loop_test_racing_code_is_the_tests_own(string file, string target)
    {
        var test = Catalogue(file);
        Assert.That(test.Threads.Any(t => t.HasLoop), Is.True, "the catalogue file has a loop");
        var listingTarget = target switch
        {
            "host" => ListingTarget.Host(MachineInfo.Current.InstructionProfile),
            "arm64 lse-rcpc" => ListingTarget.QemuArm64LseRcpc,
            _ => ListingTarget.QemuArm64V80,
        };
        if (listingTarget.UnderQemu && (JitListing.FindQemu() is null || JitListing.FindArm64Build(null) is null))
            Assert.Ignore("qemu-aarch64-static or the linux-arm64 build (HARNESS_ARM64_BUILD) is missing: .ci/run provides both");

        var analysis = EmittedAnalyzer.Analyze(test, MappingScheme.DotNet, packed: false, listingTarget);

        Assert.That(analysis.Sections, Has.Count.EqualTo(test.Threads.Count));
        Assert.That(analysis.Unexplained, Is.Empty, string.Join("\n", analysis.Sections.Select(s => string.Join("\n", s.Lines))));
    }
}
