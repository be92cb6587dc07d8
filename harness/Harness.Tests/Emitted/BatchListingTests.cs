using Harness.Emitted;
using Harness.Tests.Support;

namespace Harness.Tests.Emitted;

/// <summary>
/// The batched listing of <c>harness asm</c>: one child lists many kernels, its one listing is cut
/// into each kernel's, and each is cached under a key that names everything the code depends on.
/// </summary>
public class BatchListingTests
{
    private static readonly string Listings = Path.Combine(RepositoryPaths.Root, "harness", "Harness.Tests", "Emitted", "Listings");

    private static string Recorded(string name) => File.ReadAllText(Path.Combine(Listings, name));

    private const string MessagePassingType = "Harness.Generated.Kernel_MP_MemoryBarrier_adjacent";
    private const string StoreBufferingType = "Harness.Generated.Kernel_SB_Add_seq_cst";

    [Test]
    public void A_crashed_childs_stack_trace_is_left_out_of_the_error()
    {
        // What crossgen2 printed when a build was rewriting Harness.Core's pdb as it compiled a kernel.
        const string crossgen2 = """
            Error: The process cannot access the file '/work/Harness.Core.pdb' because it is being used by another process.
            System.IO.IOException: The process cannot access the file '/work/Harness.Core.pdb' because it is being used by another process.
               at Microsoft.Win32.SafeHandle.Init(String, FileMode, FileAccess, FileShare, FileOptions, Int64) + 0x1e5
               at ILCompiler.Program.Run() + 0xdc9

            """;

        Assert.That(JitListing.WithoutStackTrace(crossgen2), Is.EqualTo(
            "Error: The process cannot access the file '/work/Harness.Core.pdb' because it is being used by another process. " +
            "System.IO.IOException: The process cannot access the file '/work/Harness.Core.pdb' because it is being used by another process."));
    }

    [Test]
    public void OneListingOfTwoKernelsIsCutIntoEachKernelsOwn()
    {
        var messagePassing = Recorded("MP+MemoryBarrier+adjacent.arm64-lse-rcpc.packed.listing.txt");
        var storeBuffering = Recorded("SB+Add+seq_cst.arm64-v8.0.padded.listing.txt");

        var split = ListingSplitter.Split(messagePassing + storeBuffering);

        Assert.That(split.Keys, Is.EquivalentTo(new[] { MessagePassingType, StoreBufferingType }));
        Assert.Multiple(() =>
        {
            Assert.That(split[MessagePassingType], Is.EqualTo(messagePassing));
            Assert.That(split[StoreBufferingType], Is.EqualTo(storeBuffering));
        });
        var sections = JitListingReader.Read(split[MessagePassingType], Harness.Kernels.Abi.RacingSection.Arm64Marker);
        Assert.That(sections.Select(s => s.Thread), Is.EqualTo(new[] { 0, 1 }));
    }

    /// <summary>Tiering compiles a method again (Tier0, then Tier1 or OSR): the last body is the one that runs in the end.</summary>
    [Test]
    public void AMethodCompiledTwiceKeepsItsLastBody()
    {
        var messagePassing = Recorded("MP+MemoryBarrier+adjacent.arm64-lse-rcpc.packed.listing.txt");
        var tier0 = $"; Assembly listing for method {MessagePassingType}:P0(Harness.Running.RoundContext) (Tier0)\n; Tier0 code\n            nop\n";

        var split = ListingSplitter.Split(tier0 + messagePassing);

        Assert.That(split[MessagePassingType], Is.EqualTo(messagePassing));
        Assert.That(split[MessagePassingType], Does.Not.Contain("(Tier0)"));
    }

    [Test]
    public void TheManifestReadsBackWhatWasWritten()
    {
        ListingManifestEntry[] entries =
        [
            new("/tmp/harness-asm-1/kernel-0.dll", MessagePassingType),
            new("/tmp/a folder with spaces/kernel-1.dll", StoreBufferingType),
        ];

        Assert.That(ListingManifest.Parse(ListingManifest.Write(entries)), Is.EqualTo(entries));
        Assert.That(() => ListingManifest.Parse("kernel.dll\n"), Throws.TypeOf<FormatException>().With.Message.Contains("line 1"));
    }

    [Test]
    public void TheCacheKeyDiffersWithTheTargetAndTheConfiguration()
    {
        var kernel = new ListingRequest([1, 2, 3], MessagePassingType);
        var other = JitConfiguration.FullOpts with { Name = "other", Environment = new Dictionary<string, string> { ["DOTNET_TieredPGO"] = "1" } };
        var sameNameOtherSwitches = JitConfiguration.FullOpts with { Environment = new Dictionary<string, string> { ["DOTNET_TieredPGO"] = "1" } };
        string[] keys =
        [
            JitListing.CacheKey(ListingTarget.QemuArm64LseRcpc, kernel),
            JitListing.CacheKey(ListingTarget.QemuArm64V80, kernel),
            JitListing.CacheKey(ListingTarget.QemuArm64LseRcpc with { Configuration = other }, kernel),
            JitListing.CacheKey(ListingTarget.QemuArm64LseRcpc with { Configuration = sameNameOtherSwitches }, kernel),
            JitListing.CacheKey(ListingTarget.QemuArm64LseRcpc, kernel with { Image = [1, 2, 4] }),
        ];

        Assert.That(keys, Is.Unique);
        Assert.That(JitListing.CacheKey(ListingTarget.QemuArm64LseRcpc, kernel), Is.EqualTo(keys[0]));
    }
}

/// <summary>The arm64 targets of <c>asm --profiles</c>, each the profile it names.</summary>
public class Arm64ProfileTargetTests
{
    [Test]
    public void TheDefaultCpuIsLseRcpcOnlyWithRcpc2SwitchedOff()
    {
        Assert.That(ListingTarget.QemuArm64LseRcpc.Profile.Name, Is.EqualTo("lse-rcpc"));
        Assert.That(ListingTarget.QemuArm64LseRcpc.Switches, Is.EqualTo(new Dictionary<string, string> { ["DOTNET_EnableArm64Rcpc2"] = "0" }));
        Assert.That(ListingTarget.QemuArm64(allProfiles: false), Is.EqualTo(new[] { ListingTarget.QemuArm64LseRcpc, ListingTarget.QemuArm64V80 }));
    }

    [Test]
    public void AllProfilesAreEveryCombinationOnTheDefaultCpuAndTheCortexA57()
    {
        var targets = ListingTarget.QemuArm64(allProfiles: true);

        Assert.That(targets.Select(t => t.Profile.Name), Is.EqualTo(new[]
        {
            "lse-rcpc", "lse-rcpc+rcpc2", "lse", "lse+rcpc2", "rcpc", "rcpc+rcpc2", "v8.0", "v8.0+rcpc2", "v8.0",
        }));
        Assert.That(targets.Select(t => t.Name), Is.Unique);
        Assert.That(targets[^1].QemuCpu, Is.EqualTo("cortex-a57"));
        var kernel = new ListingRequest([1], "Harness.Generated.Kernel_X");
        Assert.That(targets.Select(t => JitListing.CacheKey(t, kernel)), Is.Unique);
    }
}

/// <summary>Racing code the JIT lays out of line (a PGO-cold block after the end mark) keeps its control flow.</summary>
public class OutOfLineRacingCodeTests
{
    [Test]
    public void APathThatEndsAtTheMarkDoesNotRunIntoTheBlockAfterIt()
    {
        const string listing = """
            ; Assembly listing for method Harness.Generated.Kernel_LB_ctrl:P0(Harness.Kernels.Abi.RoundContext) (Tier1)
            G_M000_IG05:
                   pause
                   mov      eax, dword ptr [rax]
                   cmp      eax, 1
                   je       G_M000_IG14
            G_M000_IG06:
                   pause
                   ret
            G_M000_IG14:
                   mov      dword ptr [rsi], 1
                   jmp      G_M000_IG06
            """;

        var section = JitListingReader.Read(listing, Harness.Kernels.Abi.RacingSection.X64Marker).Single();

        Assert.That(section.Lines.Select(l => l.ToString().Trim()), Is.EqualTo(new[]
        {
            "mov      eax, dword ptr [rax]", "cmp      eax, 1", "je       G_M000_IG14", "jmp      RACING_SECTION_END",
            "G_M000_IG14:", "mov      dword ptr [rsi], 1", "jmp      G_M000_IG06",
        }));
    }
}
