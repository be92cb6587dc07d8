using Harness.Emitted;
using Harness.Kernels;
using Harness.Language;
using Harness.Mapping;
using Harness.Tests.Support;
using Harness.Programs;

namespace Harness.Tests.Emitted;

/// <summary>
/// The emitted-code prediction on listings the JIT really printed (recorded with
/// <c>harness asm --save</c>, arm64 under qemu), so that these run on any machine.
/// </summary>
public class EmittedAnalysisTests
{
    private static readonly string Listings = Path.Combine(RepositoryPaths.Root, "harness", "Harness.Tests", "Emitted", "Listings");
    private static readonly string AdjacentMessagePassing = Path.Combine(RepositoryPaths.Root, "tests-litmus", "dotnet", "MP+MemoryBarrier+adjacent.litmus");

    private static EmittedAnalysis JudgeRecorded(string listing, ListingTarget target)
    {
        var test = LitmusParser.ParseFile(AdjacentMessagePassing);
        var plan = KernelGenerator.Generate(test, MappingScheme.DotNet, new KernelOptions(Packed: true));
        return EmittedAnalyzer.Judge(plan, target, File.ReadAllText(Path.Combine(Listings, listing)));
    }

    [Test]
    public void Arm64LoadsPairedAcrossTheBarrierAllowWhatTheTableForbids()
    {
        var analysis = JudgeRecorded("MP+MemoryBarrier+adjacent.arm64-lse-rcpc.packed.listing.txt", ListingTarget.QemuArm64LseRcpc);

        Assert.That(analysis.Emitted, Is.Not.Null, analysis.NotConverted);
        Assert.Multiple(() =>
        {
            Assert.That(analysis.Sections[1].Instructions.Select(i => i.Mnemonic), Is.EqualTo(new[] { "ldr", "ldp", "dmb" }));
            Assert.That(analysis.TableStates.Select(s => s.ToString()), Does.Not.Contain("1:r0=1; 1:r1=0;"));
            Assert.That(analysis.OnlyEmitted.Select(s => s.ToString()), Is.EqualTo(new[] { "1:r0=1; 1:r1=0;" }));
            Assert.That(analysis.JitWeakerThanTable, Is.True);
            Assert.That(analysis.Emitted!.MovedAccesses, Has.Count.EqualTo(1));
            Assert.That(analysis.Emitted.MovedAccesses[0], Is.EqualTo("P1: 'ldp      w1, w0, [x23]' reads x with no barrier after the read of y, where the mapping puts 1 barrier between them"));
        });
    }

    [Test]
    public void TheEmittedCodeBecomesAHerdTestThatReadsBack()
    {
        var analysis = JudgeRecorded("MP+MemoryBarrier+adjacent.arm64-lse-rcpc.packed.listing.txt", ListingTarget.QemuArm64LseRcpc);

        var text = analysis.Emitted!.HerdText;
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.StartWith("AArch64 MP+MemoryBarrier+adjacent+emitted"));
            Assert.That(text, Does.Contain("DMB ISH"));
            Assert.That(text, Does.Contain("locations [1:X0; 1:X1;]"));
            Assert.That(HardwareText.Parse(text).Name, Is.EqualTo("MP+MemoryBarrier+adjacent+emitted"));
        });
    }

    [Test]
    public void X64KeepsTheLoadsApartAndAgreesWithTheTable()
    {
        var analysis = JudgeRecorded("MP+MemoryBarrier+adjacent.x64-x64.packed.listing.txt", ListingTarget.Host(InstructionProfile.X64) with { Architecture = "x64" });

        Assert.That(analysis.Emitted, Is.Not.Null, analysis.NotConverted);
        Assert.Multiple(() =>
        {
            Assert.That(analysis.Sections[1].Instructions.Select(i => i.Mnemonic), Does.Contain("lock or"));
            Assert.That(analysis.EmittedStates, Is.EqualTo(analysis.TableStates));
            Assert.That(analysis.JitWeakerThanTable, Is.False);
            Assert.That(analysis.Emitted!.HerdText, Does.Contain("MFENCE"));
        });
    }

    [Test]
    public void AStoreExclusiveRetryLoopCountsOnlyItsSuccessEvenWhenTheJitReusesTheStatusRegister()
    {
        // v8.0 fetch_add: ldaxr/add/stlxr w0/cbnz w0 retry loop, then `ldr w0, [x21]` reuses w0 for r0.
        var test = LitmusParser.ParseFile(Path.Combine(RepositoryPaths.Root, "tests-litmus", "dotnet", "SB+Add+seq_cst.litmus"));
        var plan = KernelGenerator.Generate(test, MappingScheme.DotNet, KernelOptions.Default);
        var analysis = EmittedAnalyzer.Judge(plan, ListingTarget.QemuArm64V80,
            File.ReadAllText(Path.Combine(Listings, "SB+Add+seq_cst.arm64-v8.0.padded.listing.txt")));

        Assert.That(analysis.Emitted, Is.Not.Null, analysis.NotConverted);
        Assert.Multiple(() =>
        {
            Assert.That(analysis.Sections[0].Instructions.Select(i => i.Mnemonic), Does.Contain("stlxr").And.Contain("cbnz"));
            Assert.That(analysis.EmittedStates, Is.EqualTo(analysis.TableStates));
            // The status has a register of its own, one the section does not name (not the JIT's w0).
            Assert.That(analysis.Emitted!.MustBeZero.Select(k => k.Name), Is.All.Not.EqualTo("X0"));
            Assert.That(analysis.Emitted.HerdText, Does.Contain($"STLXR W{analysis.Emitted.MustBeZero[0].Name[1..]},"));
        });
    }

    [Test]
    public void AListingWithoutBothMarkersIsRefusedByName()
    {
        const string listing = "; Assembly listing for method Harness.Generated.Kernel_T:P0(Harness.Kernels.Abi.RoundContext) (FullOpts)\n       yield\n       str w0, [x1]\n";
        var error = Assert.Throws<ListingFormatException>(() => JitListingReader.Read(listing, "yield"));
        Assert.That(error!.Message, Does.Contain("P0").And.Contain("1 single 'yield' marks"));
    }

    [Test]
    public void PairsSplitIntoTwoAccessesFourBytesApart()
    {
        const string listing = """
            ; Assembly listing for method Harness.Generated.Kernel_T:P0(Harness.Kernels.Abi.RoundContext) (FullOpts)
                        yield
                        ldr     x23, [fp, #0x20]
                        stp     w0, w0, [x23, #0x08]
                        yield
            """;
        var section = JitListingReader.Read(listing, "yield").Single();
        var translator = new Arm64Translator();
        Assert.Throws<UnsupportedEmittedCodeException>(() => translator.Translate(section), "w0 is set before the racing code");

        var withValue = JitListingReader.Read(listing.Replace("ldr     x23", "mov     w0, #1\n            ldr     x23"), "yield").Single();
        var paired = new Arm64Translator();
        paired.Translate(withValue);
        Assert.That(paired.Accesses.Select(a => (a.Base, a.Offset, a.Kind)),
            Is.EqualTo(new[] { ("fp+32", 8L, AccessKind.Write), ("fp+32", 12L, AccessKind.Write) }));
    }
}

/// <summary>Parses herd assembly text the way <c>harness simulate</c> reads a hardware test file.</summary>
internal static class HardwareText
{
    public static LitmusTest Parse(string text) => LitmusParser.Parse(text, "emitted.litmus");
}
