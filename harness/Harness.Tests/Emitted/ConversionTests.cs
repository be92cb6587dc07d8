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

    private static EmittedAnalysis JudgeRecorded(string folder, string test, ListingTarget target, string? listingName = null) =>
        Judge(Path.Combine(RepositoryPaths.Root, "tests-litmus", folder, test + ".litmus"), listingName ?? test, target);

    private static EmittedAnalysis Judge(string litmusFile, string listingName, ListingTarget target, Func<string, string>? edit = null)
    {
        var plan = KernelGenerator.Generate(LitmusParser.ParseFile(litmusFile), MappingScheme.DotNet, KernelOptions.Default);
        return EmittedAnalyzer.Judge(plan, target, (edit ?? (text => text))(File.ReadAllText(Path.Combine(Listings, RecordedName(listingName, target)))));
    }

    /// <summary>How <c>asm --save</c> names a listing: <c>spinlock+rlx.x64-x64.padded.listing.txt</c>, with the configuration when it is not fullopts.</summary>
    private static string RecordedName(string test, ListingTarget target) =>
        $"{test}.{target.Architecture}-{target.Profile.Name}.padded{(target.Configuration == JitConfiguration.FullOpts ? "" : "." + target.Configuration.Name)}.listing.txt";

    private static readonly ListingTarget X64Tier0 = X64 with { Configuration = JitConfiguration.Tier0 };

    /// <summary>
    /// Tier0 inlines nothing: 'call [RacingSection:Start()]' is the mark, 'call [Interlocked:Add(byref,int):int]' runs the
    /// Tier0 body listed with the kernel (its arguments parked on its own stack, then lock xadd). On arm64 the call is
    /// movz/movk x2, cell; ldr x2, [x2]; blr x2: the child printed each candidate's cell (decoded from its precode), so the
    /// call is named, and the body (stp fp, lr; str x0/w1 to its stack; ldaddal) is spliced in the same way.
    /// </summary>
    [TestCase("x64", "LOCK XADD")]
    [TestCase("arm64", "LDADDAL")]
    public void Tier0CallsInterlockedAddAndItsBodyIsReadWhereTheCallIs(string architecture, string atomic)
    {
        var target = architecture == "x64" ? X64Tier0 : ListingTarget.QemuArm64LseRcpc with { Configuration = JitConfiguration.Tier0 };
        var analysis = Judge(Path.Combine(RepositoryPaths.Root, "tests-litmus", "dotnet", "SB+Add+shared.litmus"), "SB+Add+shared", target);

        Assert.That(analysis.Emitted, Is.Not.Null, analysis.NotConverted);
        Assert.Multiple(() =>
        {
            Assert.That(analysis.Emitted!.HerdText, Does.Contain(atomic));
            Assert.That(analysis.EmittedStates, Is.EqualTo(analysis.TableStates));
            Assert.That(analysis.Unexplained, Is.Empty);
        });
    }

    [Test]
    public void ACallWhoseBodyTheListingLacksStaysACallAndIsNotConverted()
    {
        var litmus = Path.Combine(RepositoryPaths.Root, "tests-litmus", "dotnet", "SB+Add+shared.litmus");
        var analysis = Judge(litmus, "SB+Add+shared", X64Tier0, text => text[..text.IndexOf("; Assembly listing for method System.Threading", StringComparison.Ordinal)]);

        Assert.That(analysis.NotConverted, Does.Contain("call").And.Contain("Interlocked:Add"));
    }

    [Test]
    public void Tier0KeepsEveryLocalOnTheStackAndOnlyTheLiveOnesTakeAHerdRegister()
    {
        // A dozen stack slots in one thread (the compare-exchange's expected value, its result, the flag, the
        // counter): herd's X86 has eight registers, so a slot no later line reads gives its register back.
        var analysis = Judge(Path.Combine(RepositoryPaths.Root, "tests-litmus", "atomics-chapter", "spinlock+acq+rel.litmus"), "spinlock+acq+rel", X64Tier0);

        Assert.That(analysis.Emitted, Is.Not.Null, analysis.NotConverted);
        Assert.That(analysis.EmittedStates, Is.EqualTo(analysis.TableStates));
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

    [Test]
    public void Arm64CasalResultComparedAndBranchedOn()
    {
        // casal w2, w1, [x22]; cmp w2, w0; cset x0, eq; cbz w0: the critical section runs only on success.
        var analysis = JudgeRecorded("atomics-chapter", "spinlock+rlx", ListingTarget.QemuArm64LseRcpc);

        Assert.That(analysis.Emitted, Is.Not.Null, analysis.NotConverted);
        Assert.Multiple(() =>
        {
            Assert.That(analysis.Emitted!.HerdText, Does.Contain("CSET W0,EQ").And.Contain("CBZ W0,"));
            Assert.That(analysis.EmittedStates, Is.EqualTo(analysis.TableStates));
            // Relaxed: the unlock may pass the store to n on arm64, and an update is lost.
            Assert.That(analysis.EmittedStates.Select(s => s.ToString()), Does.Contain("0:r0=1; 1:r0=1; n=1;"));
        });
    }

    [Test]
    public void Arm64LoadStoreExclusiveCompareExchangeWithItsRetryLoop()
    {
        // v8.0: ldaxr; cmp; bne (fail: no store); stlxr w2; cbnz w2 (retry); dmb ish; then the branch on the result.
        var analysis = JudgeRecorded("atomics-chapter", "spinlock+rlx", ListingTarget.QemuArm64V80);

        Assert.That(analysis.Emitted, Is.Not.Null, analysis.NotConverted);
        Assert.Multiple(() =>
        {
            Assert.That(analysis.Emitted!.HerdText, Does.Contain("LDAXR").And.Contain("STLXR").And.Contain("B.NE"));
            Assert.That(analysis.Emitted.MustBeZero, Is.Not.Empty);
            Assert.That(analysis.EmittedStates, Is.EqualTo(analysis.TableStates));
        });
    }

    [Test]
    public void Arm64InterlockedAndWithoutLseAtomicsIsItsCompareExchangeLoop()
    {
        // v8.0: ldr (the guess); and; ldaxr/cmp/bne/stlxr/cbnz (first attempt); dmb ish; cmp; beq (done);
        // then the retry the JIT lays out apart: the same pair again, dmb ish, and bne back for another guess.
        var analysis = JudgeRecorded("csharp/generated/MP", "MP+And-between", ListingTarget.QemuArm64V80);

        Assert.That(analysis.Emitted, Is.Not.Null, analysis.NotConverted);
        var herd = analysis.Emitted!.HerdText;
        Assert.Multiple(() =>
        {
            // The guess is a real read of f0, kept plain; both exclusive pairs are kept.
            Assert.That(herd, Does.Contain("LDR W0,[X10]"));
            Assert.That(herd.Split("LDAXR").Length - 1, Is.EqualTo(4), "two attempts in each thread");
            // Two store-exclusive statuses and the loop's last compare, per thread, must end at zero.
            Assert.That(analysis.Emitted.MustBeZero, Has.Count.EqualTo(6));
            Assert.That(analysis.EmittedStates, Is.EqualTo(analysis.TableStates));
        });
    }

    [Test]
    public void Arm64SpinLoopOnAnAcquireLoad()
    {
        var analysis = JudgeRecorded("dotnet", "MP+spin+Volatile", ListingTarget.QemuArm64LseRcpc);

        Assert.That(analysis.Emitted, Is.Not.Null, analysis.NotConverted);
        Assert.Multiple(() =>
        {
            Assert.That(analysis.Emitted!.HerdText, Does.Contain("LDAPR"));
            Assert.That(analysis.EmittedStates, Is.EqualTo(analysis.TableStates));
            Assert.That(analysis.EmittedStates.Select(s => s.ToString()), Is.EqualTo(new[] { "1:r0=1;" }));
        });
    }

    [Test]
    public void Arm64LdaddalIntoTheZeroRegisterIsNoAcquire()
    {
        // .NET 10 keeps Interlocked.Add's result in a register even when unused (ldaddal w0, w0);
        // this listing is that real one with the destination edited to wzr, what a JIT dropping the
        // result emits. herd reads ldaddal wzr as staddl: the read is no acquire, so the later load
        // may pass it and SB's both-zero state, which the table's ldaddal forbids, is allowed.
        var real = Judge(Path.Combine(Listings, "SB+FetchAddUnused.litmus"), "SB+FetchAddUnused", ListingTarget.QemuArm64LseRcpc);
        var zero = Judge(Path.Combine(Listings, "SB+FetchAddUnused.litmus"), "SB+FetchAddUnused+wzr", ListingTarget.QemuArm64LseRcpc);

        Assert.That(zero.Emitted, Is.Not.Null, zero.NotConverted);
        Assert.Multiple(() =>
        {
            Assert.That(real.EmittedStates, Is.EqualTo(real.TableStates));
            Assert.That(zero.Emitted!.HerdText, Does.Contain("LDADDAL W0,WZR,"));
            Assert.That(zero.OnlyEmitted.Select(s => s.ToString()), Is.EqualTo(new[] { "0:r0=0; 1:r0=0;" }));
        });
    }

    [Test]
    public void Arm64ArrayElementIndexedByAValueReadCountsFromTheFirstLocation()
    {
        // add w1, w0, #1; madd w1, w1, stride, at; cmp/bhs (range check); ldr w1, [x2, w1, UXTW #2].
        // P2's register names y[1] before y[0] is named: the locations are still numbered in the kernel's order.
        var analysis = JudgeRecorded("csharp/generated/RWC", "RWC+addr", ListingTarget.QemuArm64V80);

        Assert.That(analysis.Emitted, Is.Not.Null, analysis.NotConverted);
        Assert.Multiple(() =>
        {
            Assert.That(analysis.Emitted!.HerdText, Does.Contain("LDR W1,[X9,W1,LSL #40]"));
            Assert.That(analysis.EmittedStates, Is.EqualTo(analysis.TableStates));
        });
    }
    private static EmittedAnalysis JudgeGenerated(string test, ListingTarget target) =>
        Judge(Path.Combine(Listings, test + ".litmus"), test, target);

    [TestCase("lse-rcpc")]
    [TestCase("v8.0")]
    public void Arm64ElementAddressAddedUpForAnAtomicIsTheElementTheValueReadSelects(string profile)
    {
        // madd (the memory index), ubfiz x1, x1, #2, #32 (its byte offset), add x1, x2, x1 (the element's
        // address), then ldaddal/ldaxr-stlxr [x1]: herd's atomics take [Xn] only, so the element's
        // address is added up in a register of the thread's own, with the dependency on the value read.
        var target = profile == "v8.0" ? ListingTarget.QemuArm64V80 : ListingTarget.QemuArm64LseRcpc;
        var analysis = JudgeGenerated("R+po+W+Rfe+R+addr+Wadd+Rfe", target);

        Assert.That(analysis.Emitted, Is.Not.Null, analysis.NotConverted);
        Assert.Multiple(() =>
        {
            Assert.That(analysis.Emitted!.HerdText, Does.Match(@"ADD (X\d+),X10,W\d+,LSL #40 *;\s*\|? *(LDADDAL W\d+,W\d+|LDAXR W\d+),\[\1\]"));
            Assert.That(analysis.EmittedStates, Is.EqualTo(analysis.TableStates));
            Assert.That(analysis.Unexplained, Is.Empty);
        });
    }

    [Test]
    public void AnInterlockedAndAloneInItsThreadGuessesWithAPlainReadThatTheAuditExplains()
    {
        // Without LSE atomics, Interlocked.And whose result is used is ldr (the guess), then ldaxr/stlxr attempts:
        // the guess is the JIT's own way to do the test's And, not something the harness added.
        var analysis = JudgeGenerated("R+addr+W+Rfe+Rand+Fre+W+po+W+Rfe", ListingTarget.QemuArm64V80);

        Assert.That(analysis.Emitted, Is.Not.Null, analysis.NotConverted);
        Assert.Multiple(() =>
        {
            Assert.That(analysis.Unexplained, Is.Empty);
            Assert.That(analysis.EmittedStates, Is.EqualTo(analysis.TableStates));
        });
    }
    [Test]
    public void Arm64Tier0CallsThroughCellsNoCalleeIsKnownForStayCalls()
    {
        // Without the child's cell lines nothing names the calls: the marks cannot be found, and the code is not read.
        var target = ListingTarget.QemuArm64LseRcpc with { Configuration = JitConfiguration.Tier0 };
        Assert.That(() => Judge(Path.Combine(RepositoryPaths.Root, "tests-litmus", "dotnet", "SB+Add+shared.litmus"), "SB+Add+shared", target,
                text => string.Join('\n', text.Split('\n').Where(l => !l.StartsWith(JitListing.EntryComment, StringComparison.Ordinal)))),
            Throws.InstanceOf<ListingFormatException>().Or.Matches<EmittedAnalysis>(a => a.Emitted == null));
    }
    [Test]
    public void Arm64Tier0SlotWrittenOnOnePathKeepsItsRegisterOnEveryWayOut()
    {
        // r1's slot is zeroed, then written again only under the branch: both ways out must find r1 in one register
        // (a new one for the second write made the kernel's store read a register the racing code had reused: a false finding).
        var target = ListingTarget.QemuArm64LseRcpc with { Configuration = JitConfiguration.Tier0 };
        var analysis = JudgeGenerated("R+ctrl+R+Fre+W+po+W+Wse+W+Rfe", target);

        Assert.That(analysis.Emitted, Is.Not.Null, analysis.NotConverted);
        Assert.Multiple(() =>
        {
            Assert.That(analysis.JitWeakerThanTable, Is.False);
            Assert.That(analysis.EmittedStates, Is.EqualTo(analysis.TableStates));
        });
    }
}
