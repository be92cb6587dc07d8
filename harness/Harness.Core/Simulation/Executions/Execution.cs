using Harness.Programs;
using Harness.Simulation.Relations;

namespace Harness.Simulation.Executions;

/// <summary>
/// The static part of a candidate execution: the events of one choice of thread paths, with
/// the relations that do not depend on which write each read reads from.
/// Events 0..L-1 are the initial writes, one per location.
/// </summary>
public sealed class EventStructure
{
    public EventStructure(IReadOnlyList<GlobalEvent> events, int initialWrites, int[] locations)
    {
        Events = events;
        _locations = (int[])locations.Clone();
        Size = events.Count;
        ulong reads = 0, writes = 0, fences = 0;
        var po = new ulong[Size];
        var loc = new ulong[Size];
        var ext = new ulong[Size];
        var rmw = new ulong[Size];
        var (addr, pickAddr) = (new ulong[Size], new ulong[Size]);
        var (data, pickData) = (new ulong[Size], new ulong[Size]);
        var (ctrl, pickCtrl) = (new ulong[Size], new ulong[Size]);
        for (var i = 0; i < Size; i++)
        {
            var e = events[i];
            if (e.Trace.IsRead) reads |= 1UL << i;
            if (e.Trace.IsWrite) writes |= 1UL << i;
            if ((e.Trace.Kind & EventKind.Fence) != 0) fences |= 1UL << i;
            if (e.Trace.RmwReadIndex >= 0) rmw[e.FirstOfThread + e.Trace.RmwReadIndex] |= 1UL << i;
            for (var j = 0; j < Size; j++)
            {
                var other = events[j];
                if (i != j && e.Thread != other.Thread) ext[i] |= 1UL << j;
                if (_locations[i] >= 0 && _locations[i] == _locations[j]) loc[i] |= 1UL << j;
                if (e.Thread >= 0 && e.Thread == other.Thread && i < j) po[i] |= 1UL << j;
            }
            AddDependencies(addr, pickAddr, e.Trace.AddressDependencies, e, i);
            AddDependencies(data, pickData, e.Trace.DataDependencies, e, i);
            AddDependencies(ctrl, pickCtrl, e.Trace.ControlDependencies, e, i);
        }
        R = new EventSet(reads);
        W = new EventSet(writes);
        F = new EventSet(fences);
        IW = EventSet.Range(0, initialWrites);
        M = R | W;
        All = EventSet.Range(0, Size);
        Po = Relation.FromRows(po);
        Loc = Relation.FromRows(loc);
        Ext = Relation.FromRows(ext);
        Int = Relation.Cross(Size, All, All) - Ext;
        Rmw = Relation.FromRows(rmw);
        Addr = Relation.FromRows(addr);
        Data = Relation.FromRows(data);
        Ctrl = Relation.FromRows(ctrl);
        PickAddr = Relation.FromRows(pickAddr);
        PickData = Relation.FromRows(pickData);
        PickCtrl = Relation.FromRows(pickCtrl);
        PoLoc = Po & Loc;
        var tagged = new Dictionary<EventTag, EventSet>();
        _tagged = tagged;
    }

    private static void AddDependencies(ulong[] basic, ulong[] pick, ReadDependencies sources, GlobalEvent target, int targetIndex)
    {
        AddDependencies(basic, sources.Basic, target, targetIndex);
        AddDependencies(pick, sources.Pick, target, targetIndex);
    }

    private static void AddDependencies(ulong[] relation, ulong localSources, GlobalEvent target, int targetIndex)
    {
        for (var bits = localSources; bits != 0; bits &= bits - 1)
            relation[target.FirstOfThread + System.Numerics.BitOperations.TrailingZeroCount(bits)] |= 1UL << targetIndex;
    }

    private readonly Dictionary<EventTag, EventSet> _tagged;
    private readonly int[] _locations;

    /// <summary>The location an access is to (-1 for fences).</summary>
    public int LocationOf(int e) => _locations[e];

    public IReadOnlyList<GlobalEvent> Events { get; }
    public int Size { get; }

    public EventSet All { get; }
    public EventSet R { get; }
    public EventSet W { get; }
    public EventSet F { get; }
    /// <summary>herd's IW: the initial writes.</summary>
    public EventSet IW { get; }
    /// <summary>Memory accesses.</summary>
    public EventSet M { get; }

    public Relation Po { get; }
    public Relation Loc { get; }
    public Relation Ext { get; }
    public Relation Int { get; }
    public Relation PoLoc { get; }
    /// <summary>Links the read and the write of a two-event read-modify-write.</summary>
    public Relation Rmw { get; }
    public Relation Addr { get; }
    public Relation Data { get; }
    public Relation Ctrl { get; }
    /// <summary>Addr, Data and Ctrl also through a CAS's comparison: herd's pick dependencies, as far as registers carry them.</summary>
    public Relation PickAddr { get; }
    public Relation PickData { get; }
    public Relation PickCtrl { get; }

    /// <summary>The events carrying any of the given tags.</summary>
    public EventSet Tagged(EventTag tags)
    {
        if (_tagged.TryGetValue(tags, out var set)) return set;
        ulong bits = 0;
        for (var i = 0; i < Size; i++)
            if ((Events[i].Trace.Tags & tags) != 0) bits |= 1UL << i;
        set = new EventSet(bits);
        _tagged[tags] = set;
        return set;
    }
}

/// <summary>An event placed in an execution: its thread (-1 for initial writes) and where its thread starts.</summary>
public sealed record GlobalEvent(int Thread, int FirstOfThread, TraceEvent Trace);

/// <summary>
/// A candidate execution: an event structure with a choice of reads-from and coherence order.
/// Models read their base relations from here; derived relations are computed once on demand.
/// </summary>
public sealed class Execution(EventStructure structure, Relation rf, Relation co)
{
    private Relation? _fr;

    public EventStructure Structure => structure;
    public int Size => structure.Size;

    public EventSet All => structure.All;
    public EventSet R => structure.R;
    public EventSet W => structure.W;
    public EventSet F => structure.F;
    public EventSet IW => structure.IW;
    public EventSet M => structure.M;
    /// <summary>herd's RMW set: single events that both read and write (C read-modify-writes).</summary>
    public EventSet SingleRmw => structure.R & structure.W;
    public EventSet Tagged(EventTag tags) => structure.Tagged(tags);

    public Relation Po => structure.Po;
    public Relation Loc => structure.Loc;
    public Relation Ext => structure.Ext;
    public Relation Int => structure.Int;
    public Relation PoLoc => structure.PoLoc;
    public Relation Rmw => structure.Rmw;
    public Relation Addr => structure.Addr;
    public Relation Data => structure.Data;
    public Relation Ctrl => structure.Ctrl;
    public Relation PickAddr => structure.PickAddr;
    public Relation PickData => structure.PickData;
    public Relation PickCtrl => structure.PickCtrl;

    public Relation Rf => rf;
    public Relation Co => co;
    /// <summary>cos.cat: fr = (rf^-1; co) \ id.</summary>
    public Relation Fr => _fr ??= rf.Inverse().Then(co).WithoutIdentity();

    // Several axioms of one model use these; each is computed once per candidate.
    private Relation? _rfe, _rfi, _coe, _coi, _fre, _fri;

    public Relation Rfe => _rfe ??= Rf & Ext;
    public Relation Rfi => _rfi ??= Rf & Int;
    public Relation Coe => _coe ??= Co & Ext;
    public Relation Coi => _coi ??= Co & Int;
    public Relation Fre => _fre ??= Fr & Ext;
    public Relation Fri => _fri ??= Fr & Int;

    /// <summary>Relation.Id over this execution's events.</summary>
    public Relation Id(EventSet set) => Relation.Id(Size, set);
    public Relation Cross(EventSet from, EventSet to) => Relation.Cross(Size, from, to);
}
