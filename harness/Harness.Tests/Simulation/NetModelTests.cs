using Harness.Programs;
using Harness.Simulation;
using Harness.Tests.Support;
using static Harness.Tests.Support.CSharpPrograms;

namespace Harness.Tests.Simulation;

/// <summary>
/// The .NET model's answers on the classic shapes, derived by hand from the runtime's document
/// (dotnet/runtime docs/design/specs/Memory-model.md, quoted as "D: ..."), each test written in C#
/// with the primitives it names. Every condition asks for a state sequential consistency forbids;
/// "Ok" means the model allows it, "No" that it forbids it. The second verdict is net-weak's, the
/// weakest reading of the document's ambiguous sentences (docs/net-memory-model.md): it differs
/// exactly on multi-copy atomicity (IRIW, 2+2W and the shapes with a coherence edge between
/// release-ordered writes: R, Z6.3) and on coalescing across an acquire or a release.
/// </summary>
public class NetModelTests
{
    /// <param name="Verdicts">"net net-weak", each Ok or No.</param>
    public sealed record Row(string Verdicts, string Why, LitmusTest Test)
    {
        public override string ToString() => Test.Name;
    }

    private const string ReadsReorder = "D: 'The effects of ordinary reads and writes can be reordered as long as that preserves single-thread consistency'";
    private const string Acquire = "D: volatile reads: 'no read or write that is later in the program order may be speculatively executed ahead of a volatile read'";
    private const string Release = "D: volatile writes: 'the effects of a volatile write will not be observable before effects of all previous, in program order, reads and writes become observable'";
    private const string FullFence = "D: full-fence operations (Thread.MemoryBarrier, every Interlocked method): 'effects of reads and writes must be observable no later or no earlier than a full-fence operation according to their relative program order'";
    private const string Mca = "D: 'writes to a single location will be seen by all cores in the same order (multicopy atomic)', read as multi-copy atomicity by net and as coherence only by net-weak";

    private static string Sb(string between0, string between1, string store0 = "x = 1", string store1 = "y = 1", string load0 = "r0 = y", string load1 = "r0 = x") =>
        string.Join(";", new[] { store0, between0, load0 }.Where(s => s.Length > 0)) + "|" + string.Join(";", new[] { store1, between1, load1 }.Where(s => s.Length > 0));

    private static LitmusTest T(string name, string condition, string threads) => Test(name, condition, threads.Split('|'));

    public static IReadOnlyList<Row> Table { get; } =
    [
        // SB: a write then a read of another location. Only a full fence keeps the write first.
        new("Ok Ok", ReadsReorder, T("SB+plain", @"exists (0:r0=0 /\ 1:r0=0)", Sb("", ""))),
        new("Ok Ok", "release then acquire orders nothing: the release waits for what precedes it, the acquire holds back what follows it; neither sentence orders the write before the read",
            T("SB+Volatile", @"exists (0:r0=0 /\ 1:r0=0)", Sb("", "", "Volatile.Write(x, 1)", "Volatile.Write(y, 1)", "r0 = Volatile.Read(y)", "r0 = Volatile.Read(x)"))),
        new("No No", FullFence, T("SB+MemoryBarrier", @"exists (0:r0=0 /\ 1:r0=0)", Sb("Interlocked.MemoryBarrier()", "Interlocked.MemoryBarrier()"))),
        new("No No", FullFence + ": the exchange is the write",
            T("SB+Exchange", @"exists (0:r0=0 /\ 1:r0=0)", Sb("", "", "r9 = Interlocked.Exchange(x, 1)", "r9 = Interlocked.Exchange(y, 1)"))),
        new("No No", FullFence + ": Interlocked.Add on a third location between write and read",
            T("SB+Add", @"exists (0:r0=0 /\ 1:r0=0)", Sb("r9 = Interlocked.Add(z, 1)", "r9 = Interlocked.Add(z, 1)"))),
        new("No No", FullFence + ", 'whether a compare-exchange succeeds or fails': this one always fails",
            T("SB+FailedCompareExchange", @"exists (0:r0=0 /\ 1:r0=0)", Sb("r9 = Interlocked.CompareExchange(z, 2, 1)", "r9 = Interlocked.CompareExchange(z, 2, 1)"))),
        new("Ok Ok", "Volatile.WriteBarrier orders earlier accesses before later writes (its API documentation); the later access here is a read",
            T("SB+WriteBarrier", @"exists (0:r0=0 /\ 1:r0=0)", Sb("Volatile.WriteBarrier()", "Volatile.WriteBarrier()"))),
        new("Ok Ok", "Volatile.ReadBarrier orders earlier reads before later accesses (its API documentation); the earlier access here is a write",
            T("SB+ReadBarrier", @"exists (0:r0=0 /\ 1:r0=0)", Sb("Volatile.ReadBarrier()", "Volatile.ReadBarrier()"))),

        // MP: the writer must publish in order and the reader read in order.
        new("Ok Ok", ReadsReorder, T("MP+plain", @"exists (1:r0=1 /\ 1:r1=0)", "x = 1; y = 1|r0 = y; r1 = x")),
        new("No No", Release + "; " + Acquire, T("MP+Volatile", @"exists (1:r0=1 /\ 1:r1=0)", "x = 1; Volatile.Write(y, 1)|r0 = Volatile.Read(y); r1 = x")),
        new("Ok Ok", "the writer releases, but the reader's ordinary reads may be reordered", T("MP+Volatile+plain", @"exists (1:r0=1 /\ 1:r1=0)", "x = 1; Volatile.Write(y, 1)|r0 = y; r1 = x")),
        new("Ok Ok", "the reader acquires, but the writer's ordinary writes may be reordered", T("MP+plain+Volatile", @"exists (1:r0=1 /\ 1:r1=0)", "x = 1; y = 1|r0 = Volatile.Read(y); r1 = x")),
        new("No No", "D: 'Data-dependent reads are ordered ... reading of the data will not happen ahead of obtaining the reference'",
            T("MP+Volatile+addr", @"exists (1:r0=1 /\ 1:r1=0)", "x = 1; Volatile.Write(y, 1)|r0 = y; r1 = x[r0]")),
        new("Ok Ok", "a control dependency orders no read: only speculative writes are ruled out, and reads may be executed early",
            T("MP+Volatile+ctrl", @"exists (1:r0=1 /\ 1:r1=0)", "x = 1; Volatile.Write(y, 1)|r1 = 0; r0 = y; if (r0 == 1) r1 = x")),
        new("No No", "Volatile.WriteBarrier: earlier writes before later writes; Volatile.ReadBarrier: earlier reads before later accesses",
            T("MP+WriteBarrier+ReadBarrier", @"exists (1:r0=1 /\ 1:r1=0)", "x = 1; Volatile.WriteBarrier(); y = 1|r0 = y; Volatile.ReadBarrier(); r1 = x")),
        new("No No", FullFence, T("MP+MemoryBarrier", @"exists (1:r0=1 /\ 1:r1=0)", "x = 1; Interlocked.MemoryBarrier(); y = 1|r0 = y; Interlocked.MemoryBarrier(); r1 = x")),
        new("No No", FullFence + " (the exchange publishes); " + Acquire,
            T("MP+Exchange+Volatile", @"exists (1:r0=1 /\ 1:r1=0)", "x = 1; r9 = Interlocked.Exchange(y, 1)|r0 = Volatile.Read(y); r1 = x")),
        new("No No", Release + "; " + FullFence + " (a compare-exchange that reads the flag, succeeding or not)",
            T("MP+Volatile+CompareExchange", @"exists (1:r0=1 /\ 1:r1=0)", "x = 1; Volatile.Write(y, 1)|r0 = Interlocked.CompareExchange(y, 2, 1); r1 = x")),

        // LB: a read then a write; any ordering of read before write forbids it.
        new("Ok Ok", ReadsReorder + ": a read may complete after a later write", T("LB+plain", @"exists (0:r0=1 /\ 1:r0=1)", "r0 = x; y = 1|r0 = y; x = 1")),
        new("No No", "D: 'Speculative writes are not allowed': a write whose value depends on a read waits for it (no out-of-thin-air)",
            T("LB+data", @"exists (0:r0=1 /\ 1:r0=1)", "r0 = x; y = r0 * 0 + 1|r0 = y; x = r0 * 0 + 1")),
        new("No No", "D: 'Speculative writes are not allowed': a write under a branch on a read waits for it",
            T("LB+ctrl", @"exists (0:r0=1 /\ 1:r0=1)", "r0 = x; if (r0 == 1) y = 1|r0 = y; if (r0 == 1) x = 1")),
        new("No No", Acquire, T("LB+Volatile.Read", @"exists (0:r0=1 /\ 1:r0=1)", "r0 = Volatile.Read(x); y = 1|r0 = Volatile.Read(y); x = 1")),
        new("No No", Release, T("LB+Volatile.Write", @"exists (0:r0=1 /\ 1:r0=1)", "r0 = x; Volatile.Write(y, 1)|r0 = y; Volatile.Write(x, 1)")),
        new("No No", FullFence, T("LB+Exchange", @"exists (0:r0=1 /\ 1:r0=1)", "r0 = x; r9 = Interlocked.Exchange(y, 1)|r0 = y; r9 = Interlocked.Exchange(x, 1)")),
        new("No No", "Volatile.ReadBarrier: earlier reads before later accesses", T("LB+ReadBarrier", @"exists (0:r0=1 /\ 1:r0=1)", "r0 = x; Volatile.ReadBarrier(); y = 1|r0 = y; Volatile.ReadBarrier(); x = 1")),
        new("No No", "Volatile.WriteBarrier: earlier reads and writes before later writes", T("LB+WriteBarrier", @"exists (0:r0=1 /\ 1:r0=1)", "r0 = x; Volatile.WriteBarrier(); y = 1|r0 = y; Volatile.WriteBarrier(); x = 1")),

        // S and R: one coherence edge closes the cycle.
        new("Ok Ok", ReadsReorder, T("S+plain", @"exists (x=2 /\ 1:r0=1)", "x = 2; y = 1|r0 = y; x = 1")),
        new("No No", Release + "; " + Acquire + "; D: 'The memory is cache-coherent'", T("S+Volatile", @"exists (x=2 /\ 1:r0=1)", "x = 2; Volatile.Write(y, 1)|r0 = Volatile.Read(y); x = 1")),
        new("No No", Release + "; no speculative write: the write under the branch waits for the read", T("S+Volatile+ctrl", @"exists (x=2 /\ 1:r0=1)", "x = 2; Volatile.Write(y, 1)|r0 = y; if (r0 == 1) x = 1")),
        new("Ok Ok", ReadsReorder, T("R+plain", @"exists (y=2 /\ 1:r0=0)", "x = 1; y = 1|y = 2; r0 = x")),
        new("Ok Ok", "P1 writes with release and reads with acquire: nothing orders them", T("R+Volatile", @"exists (y=2 /\ 1:r0=0)", "x = 1; Volatile.Write(y, 1)|Volatile.Write(y, 2); r0 = Volatile.Read(x)")),
        new("No No", FullFence, T("R+MemoryBarrier", @"exists (y=2 /\ 1:r0=0)", "x = 1; Interlocked.MemoryBarrier(); y = 1|y = 2; Interlocked.MemoryBarrier(); r0 = x")),
        new("No Ok", Release + "; " + FullFence + "; " + Mca + ": the cycle passes a coherence edge into a write, as in 2+2W",
            T("R+Volatile+MemoryBarrier", @"exists (y=2 /\ 1:r0=0)", "x = 1; Volatile.Write(y, 1)|y = 2; Interlocked.MemoryBarrier(); r0 = x")),
        new("No No", Release + "; " + FullFence + ": to be coherence-last the exchange must read y = 1, so it acquires what the release published, whatever the reading",
            T("R+Volatile+Exchange", @"exists (y=2 /\ 1:r0=0)", "x = 1; Volatile.Write(y, 1)|r9 = Interlocked.Exchange(y, 2); r0 = x")),

        // 2+2W: two coherence edges.
        new("Ok Ok", ReadsReorder, T("2+2W+plain", @"exists (x=2 /\ y=2)", "x = 2; y = 1|y = 2; x = 1")),
        new("No Ok", Release + "; " + Mca, T("2+2W+Volatile", @"exists (x=2 /\ y=2)", "x = 2; Volatile.Write(y, 1)|y = 2; Volatile.Write(x, 1)")),
        new("No No", FullFence, T("2+2W+MemoryBarrier", @"exists (x=2 /\ y=2)", "x = 2; Interlocked.MemoryBarrier(); y = 1|y = 2; Interlocked.MemoryBarrier(); x = 1")),
        new("No No", FullFence + ": full fences are totally ordered, whatever the reading", T("2+2W+Exchange", @"exists (x=2 /\ y=2)", "x = 2; r9 = Interlocked.Exchange(y, 1)|y = 2; r9 = Interlocked.Exchange(x, 1)")),

        // WRC and ISA2: causality across three threads.
        new("Ok Ok", ReadsReorder, T("WRC+plain", @"exists (1:r0=1 /\ 2:r0=1 /\ 2:r1=0)", "x = 1|r0 = x; y = 1|r0 = y; r1 = x")),
        new("No No", Release + " (P1's read of x is before its release); " + Acquire, T("WRC+Volatile", @"exists (1:r0=1 /\ 2:r0=1 /\ 2:r1=0)", "x = 1|r0 = x; Volatile.Write(y, 1)|r0 = Volatile.Read(y); r1 = x")),
        new("No No", "no speculative write (P1's write depends on its read); " + Acquire + "; what P1 saw, P2 sees once it sees P1's write",
            T("WRC+data+Volatile", @"exists (1:r0=1 /\ 2:r0=1 /\ 2:r1=0)", "x = 1|r0 = x; y = r0|r0 = Volatile.Read(y); r1 = x")),
        new("Ok Ok", ReadsReorder, T("ISA2+plain", @"exists (1:r0=1 /\ 2:r0=1 /\ 2:r1=0)", "x = 1; y = 1|r0 = y; z = 1|r0 = z; r1 = x")),
        new("No No", Release + "; " + Acquire + ", transitively", T("ISA2+Volatile", @"exists (1:r0=1 /\ 2:r0=1 /\ 2:r1=0)",
            "x = 1; Volatile.Write(y, 1)|r0 = Volatile.Read(y); Volatile.Write(z, 1)|r0 = Volatile.Read(z); r1 = x")),
        new("No No", "the barriers of Volatile, transitively", T("ISA2+WriteBarrier+ReadBarrier", @"exists (1:r0=1 /\ 2:r0=1 /\ 2:r1=0)",
            "x = 1; Volatile.WriteBarrier(); y = 1|r0 = y; Volatile.ReadBarrier(); z = 1|r0 = z; Volatile.ReadBarrier(); r1 = x")),

        // IRIW: do two readers agree on the order of two independent writes?
        new("Ok Ok", ReadsReorder, T("IRIW+plain", @"exists (2:r0=1 /\ 2:r1=0 /\ 3:r0=1 /\ 3:r1=0)", "x = 1|y = 1|r0 = x; r1 = y|r0 = y; r1 = x")),
        new("No Ok", Acquire + "; " + Mca, T("IRIW+Volatile", @"exists (2:r0=1 /\ 2:r1=0 /\ 3:r0=1 /\ 3:r1=0)",
            "x = 1|y = 1|r0 = Volatile.Read(x); r1 = y|r0 = Volatile.Read(y); r1 = x")),
        new("No Ok", "D: 'Data-dependent reads are ordered'; " + Mca, T("IRIW+addr", @"exists (2:r0=1 /\ 2:r1=0 /\ 3:r0=1 /\ 3:r1=0)",
            "x = 1|y = 1|r0 = x; r1 = y[r0]|r0 = y; r1 = x[r0]")),
        new("No Ok", "Volatile.ReadBarrier orders each reader's reads; " + Mca, T("IRIW+ReadBarrier", @"exists (2:r0=1 /\ 2:r1=0 /\ 3:r0=1 /\ 3:r1=0)",
            "x = 1|y = 1|r0 = x; Volatile.ReadBarrier(); r1 = y|r0 = y; Volatile.ReadBarrier(); r1 = x")),
        new("No No", FullFence + ": full fences are totally ordered, whatever the reading", T("IRIW+MemoryBarrier", @"exists (2:r0=1 /\ 2:r1=0 /\ 3:r0=1 /\ 3:r1=0)",
            "x = 1|y = 1|r0 = x; Interlocked.MemoryBarrier(); r1 = y|r0 = y; Interlocked.MemoryBarrier(); r1 = x")),

        // Coherence: one location, plain accesses, whatever the compiler coalesces.
        new("No No", "D: 'The memory is cache-coherent ... no observer will see a descending sequence'; coalescing two reads gives both the first one's value",
            T("CoRR+plain", @"exists (1:r0=1 /\ 1:r1=0)", "x = 1|r0 = x; r1 = x")),
        new("No No", "coherence holds for volatile reads as for any: " + Acquire, T("CoRR+Volatile", @"exists (1:r0=1 /\ 1:r1=0)", "x = 1|r0 = Volatile.Read(x); r1 = Volatile.Read(x)")),
        new("No No", "single-thread consistency: a read after a write of the same location sees it or a later write",
            T("CoWR+plain", @"exists (x=1 /\ 0:r0=2)", "x = 1; r0 = x|x = 2")),
        new("No No", "single-thread consistency: a read does not see the thread's own later write, so that write is coherence-after what was read",
            T("CoRW+plain", @"exists (x=2 /\ 0:r0=2)", "r0 = x; x = 1|x = 2")),
        new("No No", "single-thread consistency; coalescing the two writes leaves only the last", T("CoWW+plain", "exists (x=1)", "x = 1; x = 2")),

        // RWC: a read, then a write followed by a read.
        new("Ok Ok", ReadsReorder, T("RWC+plain", @"exists (1:r0=1 /\ 1:r1=0 /\ 2:r0=0)", "x = 1|r0 = x; r1 = y|y = 1; r0 = x")),
        new("Ok Ok", "P2's release write and acquire read are not ordered", T("RWC+Volatile", @"exists (1:r0=1 /\ 1:r1=0 /\ 2:r0=0)",
            "x = 1|r0 = Volatile.Read(x); r1 = y|Volatile.Write(y, 1); r0 = Volatile.Read(x)")),
        new("No Ok", Acquire + "; " + FullFence + "; " + Mca + ": only one full fence, so the weak reading lets the readers disagree",
            T("RWC+Volatile+MemoryBarrier", @"exists (1:r0=1 /\ 1:r1=0 /\ 2:r0=0)", "x = 1|r0 = Volatile.Read(x); r1 = y|y = 1; Interlocked.MemoryBarrier(); r0 = x")),
        new("No No", FullFence + ", on both observers", T("RWC+MemoryBarrier", @"exists (1:r0=1 /\ 1:r1=0 /\ 2:r0=0)",
            "x = 1|r0 = x; Interlocked.MemoryBarrier(); r1 = y|y = 1; Interlocked.MemoryBarrier(); r0 = x")),

        // Z6.3: W;W | W;W | R;R with one coherence edge between the writers.
        new("Ok Ok", ReadsReorder, T("Z6.3+plain", @"exists (y=2 /\ 2:r0=1 /\ 2:r1=0)", "x = 1; y = 1|y = 2; z = 1|r0 = z; r1 = x")),
        new("No Ok", Release + "; " + Acquire + "; " + Mca, T("Z6.3+Volatile", @"exists (y=2 /\ 2:r0=1 /\ 2:r1=0)",
            "x = 1; Volatile.Write(y, 1)|y = 2; Volatile.Write(z, 1)|r0 = Volatile.Read(z); r1 = x")),
        new("No No", FullFence + " on both writers; " + Acquire, T("Z6.3+MemoryBarrier+Volatile", @"exists (y=2 /\ 2:r0=1 /\ 2:r1=0)",
            "x = 1; Interlocked.MemoryBarrier(); y = 1|y = 2; Interlocked.MemoryBarrier(); z = 1|r0 = Volatile.Read(z); r1 = x")),

        // Coalescing (D: 'Adjacent nonvolatile reads from the same location can be coalesced', and writes).
        new("No Ok", Acquire + "; net: only reads with nothing between them are 'adjacent'; net-weak: a read may be merged with the previous read of its location across a volatile read",
            T("MP+coalesce-read", @"exists (1:r0=0 /\ 1:r1=1 /\ 1:r2=0)", "x = 1; Volatile.Write(y, 1)|r0 = x; r1 = Volatile.Read(y); r2 = x")),
        new("No Ok", Release + "; net-weak: a write may be merged into the next write of its location across a volatile write, so x = 1 never happens",
            T("MP+coalesce-write", @"exists (1:r0=1 /\ 1:r1=0)", "x = 1; Volatile.Write(y, 1); x = 2|r0 = Volatile.Read(y); r1 = x")),
        new("No No", "no speculative write: x = r0 waits for the read of y, and it precedes x = 3 in coherence, which the full fence publishes before y = 1",
            T("LB+data+MemoryBarrier", @"exists (0:r0=1 /\ x=3)", "r0 = y; x = r0|x = 3; Interlocked.MemoryBarrier(); y = 1")),
        new("Ok Ok", "the same, but x = r0 is followed at once by x = 2, so the two writes may be coalesced and x = r0, with its dependency, never happen",
            T("LB+data+overwritten", @"exists (0:r0=1 /\ x=3)", "r0 = y; x = r0; x = 2|x = 3; Interlocked.MemoryBarrier(); y = 1")),
    ];

    public static IEnumerable<TestCaseData> Rows() => Table.Select(r => new TestCaseData(r).SetArgDisplayNames(r.Test.Name));

    private static readonly ModelTarget Net = ModelCatalog.Target(ModelCatalog.Net);
    private static readonly ModelTarget NetWeak = ModelCatalog.Target(ModelCatalog.NetWeak);
    private static readonly ModelTarget Sc = ModelCatalog.Target(ModelCatalog.Sc);

    [TestCaseSource(nameof(Rows))]
    public void Net_answers_as_the_document_says(Row row)
    {
        var results = Simulator.Simulate(row.Test, [Sc, Net, NetWeak]);
        var expected = row.Verdicts.Split(' ');
        Assert.Multiple(() =>
        {
            Assert.That(results[0].ConditionHolds, Is.False, "sequential consistency forbids every state these tests ask about");
            Assert.That(Herd(results[1]), Is.EqualTo(expected[0]), $"net: {row.Why}");
            Assert.That(Herd(results[2]), Is.EqualTo(expected[1]), $"net-weak: {row.Why}");
            Assert.That(results[1].States.Except(results[2].States), Is.Empty, "net-weak allows whatever net allows");
        });
    }

    /// <summary>The table covers every shape the issue names, each with plain accesses and with some .NET primitive.</summary>
    [Test]
    public void Table_covers_the_classic_shapes()
    {
        var shapes = new[] { "SB", "MP", "LB", "S", "R", "2+2W", "WRC", "ISA2", "IRIW", "CoRR", "CoWR", "CoRW", "CoWW", "RWC", "Z6.3" };
        Assert.Multiple(() =>
        {
            foreach (var shape in shapes)
            {
                var rows = Table.Where(r => r.Test.Name.StartsWith(shape + "+", StringComparison.Ordinal)).ToList();
                Assert.That(rows.Any(r => r.Test.Name.EndsWith("+plain", StringComparison.Ordinal)), $"{shape} with plain accesses");
                if (!shape.StartsWith("Co", StringComparison.Ordinal)) Assert.That(rows, Has.Count.GreaterThan(1), $"{shape} with some .NET primitive");
            }
            Assert.That(Table.Select(r => r.Test.Name), Is.Unique);
            foreach (var name in new[] { "Volatile", "Exchange", "MemoryBarrier", "ReadBarrier", "WriteBarrier", "CompareExchange", "Add" })
                Assert.That(Table.Any(r => r.Test.Name.Contains(name, StringComparison.Ordinal)), name);
        });
    }

    /// <summary>C++'s models judge C++ orders: a test written in C# is answered n/a by them, with the reason, and sc judges its .NET program.</summary>
    [Test]
    public void Cpp_models_do_not_apply_to_a_test_written_in_CSharp()
    {
        var test = Table.Single(r => r.Test.Name == "SB+Volatile").Test;
        var results = Simulator.Simulate(test, [Sc, ModelCatalog.Target(ModelCatalog.Rc11), ModelCatalog.Target(ModelCatalog.Cpp20), Net]);
        Assert.Multiple(() =>
        {
            Assert.That(results[0].NotApplicable, Is.Null);
            Assert.That(results[0].States.Select(s => s.ToString()), Is.EquivalentTo(new[] { "0:r0=0; 1:r0=1;", "0:r0=1; 1:r0=0;", "0:r0=1; 1:r0=1;" }));
            foreach (var cpp in results.Skip(1).Take(2))
            {
                Assert.That(cpp.Verdict, Is.EqualTo("n/a"), cpp.Target.ToString());
                Assert.That(cpp.NotApplicable, Does.Contain("C#"));
                Assert.That(cpp.States, Is.Empty);
            }
            Assert.That(results[3].Verdict, Is.EqualTo("allowed"));
            Assert.That(Simulator.ApplicableModels(test), Does.Not.Contain(ModelCatalog.Rc11).And.Not.Contain(ModelCatalog.Cpp20));
        });
    }

    /// <summary>The reports say n/a where C++'s models do not apply, with the reason, instead of failing.</summary>
    [Test]
    public void Reports_say_n_a_for_cpp_models_on_a_CSharp_test()
    {
        var test = Table.Single(r => r.Test.Name == "MP+Volatile").Test;
        var results = Simulator.Simulate(test, [Sc, ModelCatalog.Target(ModelCatalog.Cpp20), Net]);
        var table = Harness.Reports.SimulationTable.Render(results);
        var json = Harness.Reports.SimulationJson.ToJsonLine(results[1], "dotnet");
        Assert.Multiple(() =>
        {
            Assert.That(table, Does.Contain("verdict          No         n/a        No"));
            Assert.That(table, Does.Contain("cpp20: n/a: cpp20 judges C++ orders"));
            Assert.That(json, Does.Contain("\"verdict\":\"n/a\"").And.Contain("\"not_applicable\":"));
        });
    }

    private static string Herd(ModelResult result) => result.ConditionHolds ? "Ok" : "No";
}
