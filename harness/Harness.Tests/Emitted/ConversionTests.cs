using Harness.Emitted;
using Harness.Kernels;
using Harness.Language;
using Harness.Mapping;
using Harness.Tests.Support;

namespace Harness.Tests.Emitted;

/// <summary>
/// The hard cases of turning emitted code into a hardware test, on listings the JIT really printed
/// (recorded with <c>harness asm --save</c>): branches on a compare-exchange's result, spin loops,
/// values spilled to the stack, and what the converter must judge rather than leave "not converted".
/// </summary>
public class ConversionTests
{
    private static readonly string Listings = Path.Combine(RepositoryPaths.Root, "harness", "Harness.Tests", "Emitted", "Listings");

    private static readonly ListingTarget X64 = ListingTarget.Host(InstructionProfile.X64) with { Architecture = "x64" };

    internal static EmittedAnalysis JudgeRecorded(string folder, string test, ListingTarget target, bool packed = false)
    {
        var source = LitmusParser.ParseFile(Path.Combine(RepositoryPaths.Root, "tests-litmus", folder, test + ".litmus"));
        var plan = KernelGenerator.Generate(source, MappingScheme.DotNet, new KernelOptions(Packed: packed));
        var listing = $"{test}.{target.Architecture}-{target.Profile.Name}.{(packed ? "packed" : "padded")}.listing.txt";
        return EmittedAnalyzer.Judge(plan, target, File.ReadAllText(Path.Combine(Listings, listing)));
    }

    [Test]
    public void ACompareExchangeResultBranchedOnIsJudgedThroughTheRegisterTheKernelStores()
    {
        // lock cmpxchg; cmp eax, ecx; sete cl; test ecx, ecx; je: r0 is the success flag, computed, never read.
        var analysis = JudgeRecorded("atomics-chapter", "spinlock+rlx", X64);

        Assert.That(analysis.Emitted, Is.Not.Null, analysis.NotConverted);
        Assert.Multiple(() =>
        {
            Assert.That(analysis.Emitted!.HerdText, Does.Contain("SETE ECX").And.Contain("JE LIG35"));
            Assert.That(analysis.EmittedStates, Is.EqualTo(analysis.TableStates));
            Assert.That(analysis.EmittedStates.Select(s => s.ToString()), Does.Contain("0:r0=1; 1:r0=1; n=2;").And.Not.Contain("0:r0=1; 1:r0=1; n=1;"));
        });
    }

    [Test]
    public void AValueSpilledToTheStackKeepsItsValueWhenItsRegisterChanges()
    {
        // The expected value is parked at [rbp-0x48] from eax, eax then receives cmpxchg's old value,
        // and the reload compares the two: reading eax again would make the compare-exchange "succeed".
        var analysis = JudgeRecorded("dotnet", "SB+FailedCompareExchange+MemoryBarrier", X64);

        Assert.That(analysis.Emitted, Is.Not.Null, analysis.NotConverted);
        Assert.Multiple(() =>
        {
            Assert.That(analysis.EmittedStates, Is.EqualTo(analysis.TableStates));
            Assert.That(analysis.JitWeakerThanTable, Is.False);
        });
    }

    [Test]
    public void ASpinLoopWithACountIsJudgedUpToTheLoopBound()
    {
        var analysis = JudgeRecorded("dotnet", "MP+spin-count+Volatile", X64);

        Assert.That(analysis.Emitted, Is.Not.Null, analysis.NotConverted);
        Assert.Multiple(() =>
        {
            Assert.That(analysis.Emitted!.HerdText, Does.Contain("INC "));
            Assert.That(analysis.EmittedStates, Is.EqualTo(analysis.TableStates));
            Assert.That(analysis.EmittedStates.Select(s => s.ToString()), Does.Contain("1:r0=2; 1:r1=1;"));
        });
    }

    [Test]
    public void AnArrayElementIndexedByAValueReadIsAnAddressDependency()
    {
        // lea ecx, [rax+2]; imul ecx, stride; add ecx, at; cmp/jae (range check); mov [r12+4*rcx+0x10], 1
        var analysis = JudgeRecorded("csharp/generated/LB", "LB+addr", X64);

        Assert.That(analysis.Emitted, Is.Not.Null, analysis.NotConverted);
        Assert.Multiple(() =>
        {
            Assert.That(analysis.Emitted!.HerdText, Does.Contain("SHL EDX,$40").And.Contain("MOV [x_0+EDX],$1"));
            Assert.That(analysis.EmittedStates, Is.EqualTo(analysis.TableStates));
        });
    }

    [Test]
    public void LeaOnAValueIsArithmetic()
    {
        // lea ecx, [rax-0x01]: a data dependency computed from the value read, stored.
        var analysis = JudgeRecorded("csharp/generated/WWC", "WWC+data", X64);

        Assert.That(analysis.Emitted, Is.Not.Null, analysis.NotConverted);
        Assert.Multiple(() =>
        {
            Assert.That(analysis.Emitted!.HerdText, Does.Contain("ADD ECX,$-1"));
            Assert.That(analysis.EmittedStates, Is.EqualTo(analysis.TableStates));
        });
    }
}
