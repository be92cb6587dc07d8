using Harness.Catalogue;
using Harness.Tests.Support;
using static Harness.Tests.Shapes.ShapeSimulations;

namespace Harness.Tests.Shapes;

/// <summary>
/// herd7's answer ("Ok": the weak outcome is allowed, "No": forbidden) for generated variants the
/// oracle does not cover, on sc, tso, arm64 lse-rcpc, arm64 v8.0, rc11 and cpp20 (dotnet scheme).
/// Every entry is derived by hand from the literature — RC11/C++20 (Lahav et al., PLDI 2017),
/// x86-TSO (only W→R pairs of different locations reorder; xchg and lock/mfence are full
/// barriers), Arm's aarch64.cat (other-multi-copy atomic; [A|Q];po, po;[L], [L];po;[A] for
/// LDAR only, DMB) — and from DESIGN.md's mapping: a seq_cst store is STLR + DMB ISH (mov + lock
/// or), an acquire/seq_cst load LDAPR on lse-rcpc and LDAR on v8.0 (mov on x64), an exchange
/// SWPAL / LDAXR-STLXR + DMB ISH (xchg), an acquire fence DMB ISHLD, a release fence DMB ISH.
/// </summary>
public class WellKnownVerdictTests
{
    /// <summary>One row: the test, the verdicts on sc tso lse-rcpc v8.0 rc11 cpp20, and why.</summary>
    public sealed record Row(string Test, string Verdicts, string Why);

    private const string AllNo = "No No No No No No";

    public static IReadOnlyList<Row> Table { get; } =
    [
        // SB: only hardware ordering of a store before a later load of another location, or SC order in C++, forbids it.
        new("SB+sc+acq", "No No No No Ok Ok", "hw: the barrier after each seq_cst store; C++: acquire loads are not in the SC order"),
        new("SB+rel+sc", "No Ok Ok No Ok Ok", "x64 mov;mov; stlr;ldapr unordered; stlr;ldar ordered ([L];po;[A]); C++: the stores are not SC"),
        new("SB+rlx+xchg", "No No No No Ok Ok", "xchg / swpal / exclusives+dmb order the store before the load; relaxed RMWs order nothing in C++"),
        new("SB+sc+xchg", AllNo, "all seq_cst"),
        new("3.SB+rlx", "No Ok Ok Ok Ok Ok", "every store can wait in its store buffer"),
        new("3.SB+ra", "No Ok Ok No Ok Ok", "x64 mov;mov; stlr;ldapr unordered; stlr;ldar ordered"),
        new("3.SB+sc", AllNo, "all seq_cst"),
        new("3.SB+rlx+fsc", AllNo, "SC fences between each store and load"),
        new("3.SB+sc+acq", "No No No No Ok Ok", "as SB+sc+acq"),
        new("3.SB+rel+sc", "No Ok Ok No Ok Ok", "as SB+rel+sc"),

        // MP, WRC, ISA2, S, LB: message passing / causality; release-acquire (or fences) is enough.
        new("MP+sc+acq", AllNo, "seq_cst store releases, acquire load synchronises"),
        new("MP+rel+sc", AllNo, "seq_cst load acquires"),
        new("MP+rlx+xchg", "No No Ok Ok Ok Ok", "the reader's plain loads are unordered on arm64; TSO keeps loads in order; relaxed RMWs do not synchronise"),
        new("MP+rel+acq+xchg", AllNo, "a release RMW synchronises with an acquire load"),
        new("WRC+frel+facq", AllNo, "fence synchronisation P1→P2 makes P1's read of x happen before P2's; arm64 is multi-copy atomic"),
        new("WRC+sc+acq", AllNo, "acquire/release chain"),
        new("WRC+rel+sc", AllNo, "acquire/release chain"),
        new("WRC+rlx+xchg", "No No Ok Ok Ok Ok", "P2's plain loads are unordered on arm64; relaxed in C++"),
        new("ISA2+rlx", "No No Ok Ok Ok Ok", "nothing orders anything on arm64 or in C++; TSO keeps W→W and R→R, R→W"),
        new("ISA2+rel+acq", AllNo, "happens-before is transitive (C++); po;[L] and [Q];po on arm64"),
        new("ISA2+ra", AllNo, "as ISA2+rel+acq"),
        new("ISA2+sc", AllNo, "all seq_cst"),
        new("ISA2+rlx+fsc", AllNo, "SC fences are also release/acquire fences"),
        new("ISA2+frel+facq", AllNo, "fence synchronisation, transitively; dmb ish / dmb ishld on arm64"),
        new("S+frel+facq", AllNo, "fence synchronisation makes x=2 happen before x=1"),
        new("S+rlx+xchg", "No No No No No Ok", "the exchange on x must read x=1, so P0 and P1 form a po∪rf cycle: only C++20 (no no-thin-air axiom) allows it; the hardware orders it"),
        new("LB+frel+facq", AllNo, "fence synchronisation both ways would be an hb cycle"),
        new("LB+sc+acq", AllNo, "stronger than LB+ra"),
        new("LB+rel+sc", AllNo, "stronger than LB+ra"),
        new("LB+rlx+xchg", "No No No No No Ok", "load buffering: only C++20 allows it; the exchanges order the load before the store on every target"),
        new("2+2W+rlx+xchg", "No No No No No Ok", "each exchange reads the other thread's last write: a po∪rf cycle, as LB"),
        new("2+2W+sc+xchg", AllNo, "all seq_cst"),

        // IRIW: multi-copy atomicity on the hardware; in C++ only SC accesses/fences forbid it.
        new("IRIW+rel+acq", "No No No No Ok Ok", "the acquire loads order the readers on hw (TSO and arm64 are multi-copy atomic); not SC in C++"),
        new("IRIW+frel+facq", "No No No No Ok Ok", "dmb ishld orders the readers; acquire fences give no SC order"),
        new("IRIW+sc+acq", "No No No No Ok Ok", "the readers are not seq_cst"),
        // rc11.cat's scb has rb and hb|loc but not their composition: P2's read of y (rb to the release
        // store) and P3's read of it (sw from it) get no psc edge, so herd's rc11/cpp20 allow the
        // outcome. (ISO C++20's coherence-ordered-before is transitive through any modification,
        // [atomics.order]/3.4; if the initial value counts as a modification it forbids this.)
        new("IRIW+rel+sc", "No No No No Ok Ok", "seq_cst loads of release stores: no psc edge between the readers"),
        new("IRIW+rlx+xchg", "No No Ok Ok Ok Ok", "the readers' plain loads are unordered on arm64"),

        // RWC and R: a store followed by a load (or a write-write coherence edge) in the cycle.
        new("RWC+rel+acq", "No Ok Ok Ok Ok Ok", "P2's relaxed store and load are unordered everywhere but SC"),
        new("RWC+frel+facq", "No Ok Ok Ok Ok Ok", "the acquire fence only orders P1; P2 is still store-then-load"),
        new("RWC+sc+acq", "No No No No Ok Ok", "hw: barrier after the seq_cst store; C++: the loads are not SC"),
        new("RWC+rel+sc", "No Ok Ok No Ok Ok", "P2: x64 mov;mov, stlr;ldapr unordered, stlr;ldar ordered; C++: the stores are not SC"),
        new("R+sc+acq", "No No No No Ok Ok", "hw: barrier after P1's seq_cst store; C++: P1's load is not SC"),
        new("R+rel+sc", "No Ok Ok No Ok Ok", "P1: x64 mov;mov, stlr;ldapr unordered, stlr;ldar ordered"),

        // Z6.x, W+RWC, WWC, 3.LB: the three-thread shapes with three locations (diy7's families).
        new("Z6.0+rlx", "No Ok Ok Ok Ok Ok", "P2's store and load of different locations reorder everywhere but SC"),
        new("Z6.0+ra", "No Ok Ok No Ok Ok", "as R+ra: P2 is x64 mov;mov, stlr;ldapr unordered, stlr;ldar ordered; C++: the coherence edge on z gives no hb"),
        new("Z6.0+sc", AllNo, "all seq_cst"),
        new("Z6.0+rlx+fsc", AllNo, "SC fences in every thread: a psc cycle through po;rf;po, po;mo;po and po;rb;po"),
        new("Z6.1+rlx", "No No Ok Ok Ok Ok", "no store-then-load pair: TSO keeps the order; nothing orders the plain accesses on arm64"),
        new("Z6.1+ra", "No No No No Ok Ok", "as 2+2W+ra: stlr;stlr and ldapr;stlr are ordered on arm64; C++: hb;mo;hb;mo is no coherence cycle"),
        new("Z6.1+rlx+fsc", AllNo, "SC fences in every thread"),
        new("Z6.2+rlx", "No No Ok Ok Ok Ok", "no store-then-load pair: TSO keeps the order; nothing orders the plain accesses on arm64"),
        new("Z6.2+rel+acq", AllNo, "two release/acquire hand-offs make x=2 happen before x=1: coherence"),
        new("Z6.2+frel+facq", AllNo, "fence synchronisation, twice, as Z6.2+rel+acq"),
        new("Z6.3+rlx", "No No Ok Ok Ok Ok", "TSO keeps W→W and R→R; nothing orders the plain accesses on arm64"),
        new("Z6.3+rel+acq", "No No Ok Ok Ok Ok", "P0's two relaxed stores are unordered on arm64 and in C++"),
        new("Z6.3+ra", "No No No No Ok Ok", "every pair is ordered on arm64 (po;[L], [Q];po); C++: the hand-off on z orders y=2 before P2's read of x, but y's coherence edge gives no hb"),
        new("W+RWC+rlx", "No Ok Ok Ok Ok Ok", "P2's store and load reorder everywhere but SC"),
        new("W+RWC+rlx+fsc", AllNo, "SC fences in every thread"),
        new("WWC+rlx", "No No Ok Ok Ok Ok", "TSO keeps R→W; nothing orders the plain accesses on arm64"),
        new("WWC+rel+acq", AllNo, "P1's read of x=2 happens before P2's write of x=1, which coherence then puts after x=2"),
        new("3.LB+rlx", "No No Ok Ok No Ok", "load buffering: arm64 allows it for plain accesses, RC11 forbids the po∪rf cycle, C++20 allows it"),
        new("3.LB+ra", AllNo, "each reads-from is a synchronisation: an hb cycle"),
    ];

    public static IEnumerable<TestCaseData> Cases() =>
        from row in Table
        from pair in Targets.Zip(row.Verdicts.Split(' '))
        select new TestCaseData(row, IndexOf(pair.First), pair.Second)
            .SetArgDisplayNames(row.Test, Name(pair.First), pair.Second);

    [TestCaseSource(nameof(Cases))]
    public void Herd_verdict_of_the_weak_outcome(Row row, int target, string expected)
    {
        var test = ShapeCatalogue.Find(row.Test);
        var result = Of(test)[Targets[target]];
        Assert.That(result.ConditionHolds ? "Ok" : "No", Is.EqualTo(expected),
            $"{row.Test} on {Name(Targets[target])}: {row.Why}\nstates: {string.Join(" | ", result.States.Select(Show))}\n{test.Text}");
    }

    /// <summary>The table is well formed: each row names a generated test and gives a verdict per target.</summary>
    [Test]
    public void Verdict_table_rows_name_generated_tests()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Table.Select(r => r.Test), Is.Unique);
            foreach (var row in Table)
            {
                Assert.That(ShapeCatalogue.All.Select(t => t.Name), Does.Contain(row.Test));
                Assert.That(row.Verdicts.Split(' '), Has.Length.EqualTo(Targets.Count).And.All.Matches<string>(v => v is "Ok" or "No"), row.Test);
                // A weak outcome SC allows would make the row meaningless.
                Assert.That(row.Verdicts, Does.StartWith("No "), row.Test);
            }
        });
    }

    /// <summary>None of the table's tests is already one of the oracle's (skipped or failed without the oracle, see SharedOracle).</summary>
    [Test]
    public void Verdict_table_rows_are_beyond_the_oracle()
    {
        SharedOracle.Require();
        var oracle = Path.Combine(RepositoryPaths.Oracle, "c");
        Assert.That(Directory.GetFiles(oracle, "*.litmus"), Has.Length.EqualTo(SharedOracle.CTests), "the oracle's C tests");
        Assert.That(Table.Select(r => r.Test).Where(t => File.Exists(Path.Combine(oracle, t + ".litmus"))), Is.Empty, "table rows in the oracle");
    }
}
