using Harness.Programs;
using Harness.Simulation.Relations;

namespace Harness.Simulation.Executions;

/// <summary>
/// Enumerates the candidate executions of a program, as herd7 does: one path per thread, a
/// write of the same location for every read to read from, values solved by propagation from
/// the constants (a candidate whose values cannot all be determined, or that contradicts a
/// branch its paths took, is no execution), and a coherence order per location with the
/// initial write first. Each candidate is handed to a visitor with its final state.
/// </summary>
public sealed class CandidateEnumerator(EventProgram program, int loopBound, long maxCandidates)
{
    /// <summary>Called for every candidate; <paramref name="cut"/> marks one that a loop bound abandoned.</summary>
    public delegate void Visitor(Execution execution, FinalState? state, bool cut);

    public long Candidates { get; private set; }

    public void Enumerate(Visitor visit)
    {
        var traces = new ThreadTraceEnumerator(program, loopBound).Enumerate();
        if (traces.Any(t => t.Count == 0)) return;
        var choice = new int[traces.Count];
        var options = traces.Select(t => new int[t.Count]).ToList();
        do
        {
            VisitCombination(traces.Select((t, i) => t[choice[i]]).ToArray(), visit);
        } while (Advance(choice, options));
    }

    private void VisitCombination(ThreadTrace[] paths, Visitor visit)
    {
        var locations = program.Locations.Count;
        var events = new List<GlobalEvent>();
        for (var l = 0; l < locations; l++)
        {
            var initial = new TraceEvent(EventKind.Write, EventTag.None, new ConstExpr(EventProgram.AddressOf(l)),
                new ConstExpr(program.InitialValues[l]), ReadDependencies.None, ReadDependencies.None, ReadDependencies.None, -1)
            { StaticLocation = l };
            events.Add(new GlobalEvent(-1, 0, initial));
        }
        for (var t = 0; t < paths.Length; t++)
        {
            var first = events.Count;
            foreach (var e in paths[t].Events) events.Add(new GlobalEvent(program.Threads[t].Id, first, e));
        }
        if (events.Count > EventSet.Capacity)
            throw new SimulationException(
                $"an execution of {program.Name} has {events.Count} events; the simulator handles at most {EventSet.Capacity} (lower the loop bound)");

        var cut = paths.Any(p => p.Cut);
        var solver = new ValueSolver(events, paths, program.Threads.Count);

        // Each read may read from any other write that can be to its location.
        var reads = new List<int>();
        var sources = new List<int[]>();
        for (var r = 0; r < events.Count; r++)
        {
            var read = events[r].Trace;
            if (!read.IsRead) continue;
            var candidates = new List<int>();
            for (var w = 0; w < events.Count; w++)
            {
                var write = events[w].Trace;
                if (w != r && write.IsWrite
                    && (read.StaticLocation < 0 || write.StaticLocation < 0 || read.StaticLocation == write.StaticLocation))
                    candidates.Add(w);
            }
            if (candidates.Count == 0) return;
            reads.Add(r);
            sources.Add([.. candidates]);
        }

        // A read-modify-write's read of the same write as another one's can never be consistent:
        // both would have to follow that write immediately in coherence.
        var rmwReads = reads.Select((r, i) => (r, i)).Where(p => IsRmwRead(events, p.r)).Select(p => p.i).ToArray();

        EventStructure? sharedStructure = events.All(e => e.Trace.Kind == EventKind.Fence || e.Trace.StaticLocation >= 0)
            ? new EventStructure(events, locations, solver.StaticLocations)
            : null;
        var rfChoice = new int[reads.Count];
        var source = new int[events.Count];
        Array.Fill(source, -1);
        do
        {
            if (!DistinctSources(rmwReads, sources, rfChoice)) continue;
            for (var i = 0; i < reads.Count; i++) source[reads[i]] = sources[i][rfChoice[i]];
            if (!solver.Solve(source)) continue;
            var structure = sharedStructure ?? new EventStructure(events, locations, solver.Locations);

            var rfRows = new ulong[events.Count];
            for (var i = 0; i < reads.Count; i++) rfRows[source[reads[i]]] |= 1UL << reads[i];
            var rf = Relation.FromRows(rfRows);
            // Every model requires coherence per location; reads-from that already contradicts program order cannot pass.
            if (!(structure.PoLoc | rf).IsAcyclic) continue;
            var finalRegisters = cut ? null : solver.FinalRegisters();
            new CoherenceOrders(structure, rf, source, locations).ForEach(co =>
            {
                if (++Candidates > maxCandidates)
                    throw new SimulationException(
                        $"{program.Name} has more than {maxCandidates} candidate executions (raise --max-executions or lower the loop bound)");
                var execution = new Execution(structure, rf, co);
                visit(execution, cut ? null : FinalStateOf(finalRegisters!, solver, co, locations), cut);
            });
        } while (Advance(rfChoice, sources));
    }

    private static bool IsRmwRead(List<GlobalEvent> events, int read) =>
        events[read].Trace.IsWrite || events.Any(e => e.Trace.RmwReadIndex >= 0 && e.FirstOfThread + e.Trace.RmwReadIndex == read);

    private static bool DistinctSources(int[] rmwReads, List<int[]> sources, int[] choice)
    {
        for (var a = 0; a < rmwReads.Length; a++)
            for (var b = a + 1; b < rmwReads.Length; b++)
                if (sources[rmwReads[a]][choice[rmwReads[a]]] == sources[rmwReads[b]][choice[rmwReads[b]]]) return false;
        return true;
    }

    /// <summary>Steps an odometer of choices; false once every combination was visited.</summary>
    private static bool Advance(int[] choice, IReadOnlyList<int[]> options)
    {
        var k = 0;
        while (k < choice.Length && ++choice[k] == options[k].Length) choice[k++] = 0;
        return k < choice.Length;
    }

    private FinalState FinalStateOf(long[][] finalRegisters, ValueSolver solver, Relation co, int locations)
    {
        var values = new long[program.Observed.Count];
        for (var i = 0; i < values.Length; i++)
        {
            var key = program.Observed[i];
            if (key.Thread is int thread)
            {
                var index = IndexOfThread(thread);
                var register = index < 0 ? -1 : program.Threads[index].RegisterIndex(key.Name);
                values[i] = register < 0 ? 0 : finalRegisters[index][register];
            }
            else
            {
                values[i] = solver.LastWrittenValue(IndexOfLocation(key.Name), co, locations);
            }
        }
        return new FinalState(program.Observed, values);
    }

    private int IndexOfThread(int id)
    {
        for (var i = 0; i < program.Threads.Count; i++) if (program.Threads[i].Id == id) return i;
        return -1;
    }

    private int IndexOfLocation(string name)
    {
        for (var i = 0; i < program.Locations.Count; i++) if (program.Locations[i] == name) return i;
        return -1;
    }

}

/// <summary>
/// The coherence orders worth checking for one reads-from: per location, the orders of its
/// writes (the initial write first) that respect what every model demands anyway: a write
/// before another in program order, or read before it, comes first, and a read-modify-write
/// follows the write it read immediately. Models still judge every order produced.
/// </summary>
internal sealed class CoherenceOrders(EventStructure structure, Relation rf, int[] source, int locations)
{
    public void ForEach(Action<Relation> onOrder)
    {
        var mustPrecede = (structure.PoLoc | rf).Plus();
        var perLocation = new List<List<int[]>>();
        for (var l = 0; l < locations; l++)
        {
            var writes = new List<int>();
            for (var e = locations; e < structure.Size; e++)
                if (structure.W.Contains(e) && structure.LocationOf(e) == l) writes.Add(e);
            var orders = new List<int[]>();
            Extend(l, writes, [], mustPrecede, orders);
            if (orders.Count == 0) return;
            perLocation.Add(orders);
        }
        var choice = new int[perLocation.Count];
        do
        {
            var rows = new ulong[structure.Size];
            for (var l = 0; l < perLocation.Count; l++)
            {
                var order = perLocation[l][choice[l]];
                for (var i = 0; i < order.Length; i++)
                {
                    rows[l] |= 1UL << order[i];
                    for (var j = i + 1; j < order.Length; j++) rows[order[i]] |= 1UL << order[j];
                }
            }
            onOrder(Relation.FromRows(rows));
        } while (Advance(choice, perLocation));
    }

    /// <summary>Depth-first: places one write at a time among those no remaining write must precede.</summary>
    private void Extend(int initial, List<int> remaining, List<int> placed, Relation mustPrecede, List<int[]> orders)
    {
        if (remaining.Count == 0)
        {
            orders.Add([.. placed]);
            return;
        }
        var last = placed.Count == 0 ? initial : placed[^1];
        foreach (var w in remaining.ToArray())
        {
            if (remaining.Any(other => other != w && mustPrecede.Contains(other, w))) continue;
            // A read-modify-write sits right after the write it read; nothing else may take that place.
            if (IsRmwWrite(w) && RmwSource(w) != last) continue;
            if (remaining.Any(other => other != w && IsRmwWrite(other) && RmwSource(other) == last)) continue;
            remaining.Remove(w);
            placed.Add(w);
            Extend(initial, remaining, placed, mustPrecede, orders);
            placed.RemoveAt(placed.Count - 1);
            remaining.Add(w);
        }
    }

    private bool IsRmwWrite(int write) => structure.R.Contains(write) || structure.Rmw.Range().Contains(write);

    private int RmwSource(int write)
    {
        if (structure.R.Contains(write)) return source[write];
        foreach (var read in structure.Rmw.Inverse().Successors(write)) return source[read];
        return -1;
    }

    private static bool Advance(int[] choice, List<List<int[]>> options)
    {
        var k = 0;
        while (k < choice.Length && ++choice[k] == options[k].Count) choice[k++] = 0;
        return k < choice.Length;
    }
}

/// <summary>
/// herd7's equation solving for one choice of reads-from: a read's value is known once the
/// write it reads from has a known value, a write's value and an address once the reads they
/// are computed from are known. Values that only justify themselves (a cycle of reads-from
/// through dependencies) stay unknown, and herd rejects such candidates; so do we.
/// </summary>
internal sealed class ValueSolver
{
    private readonly List<GlobalEvent> _events;
    private readonly ThreadTrace[] _paths;
    private readonly long?[] _readValues;
    private readonly int[] _locations;
    private readonly long[] _writtenValues;
    private readonly int[] _threadOfPath;
    private readonly int _locationCount;

    public ValueSolver(List<GlobalEvent> events, ThreadTrace[] paths, int threads)
    {
        _events = events;
        _paths = paths;
        _readValues = new long?[events.Count];
        _writtenValues = new long[events.Count];
        _locations = events.Select(e => e.Trace.StaticLocation).ToArray();
        StaticLocations = (int[])_locations.Clone();
        _threadOfPath = new int[threads];
        var first = _locationCount = events.Count(e => e.Thread < 0);
        for (var t = 0; t < paths.Length; t++)
        {
            _threadOfPath[t] = first;
            first += paths[t].Events.Count;
        }
    }

    /// <summary>Each event's location where no value decides it (-1 otherwise).</summary>
    public int[] StaticLocations { get; }

    /// <summary>Each event's location in the last solved candidate.</summary>
    public int[] Locations => _locations;

    public bool Solve(int[] source)
    {
        var n = _events.Count;
        Array.Clear(_readValues);
        Array.Copy(StaticLocations, _locations, n);
        bool progress;
        do
        {
            progress = false;
            for (var e = 0; e < n; e++)
            {
                var trace = _events[e].Trace;
                if (_locations[e] < 0 && trace.Kind != EventKind.Fence
                    && Symbolic.Evaluate(trace.Address, ReadOf(e)) is long address)
                {
                    var location = EventProgram.LocationOf(address);
                    if (!IsLocation(location)) return false;
                    _locations[e] = location;
                    progress = true;
                }
                if (trace.IsRead && _readValues[e] is null
                    && Symbolic.Evaluate(_events[source[e]].Trace.WrittenValue, ReadOf(source[e])) is long value)
                {
                    _readValues[e] = value;
                    progress = true;
                }
            }
        } while (progress);

        for (var e = 0; e < n; e++)
        {
            var trace = _events[e].Trace;
            if (trace.Kind == EventKind.Fence) continue;
            if (_locations[e] < 0 || !IsLocation(_locations[e])) return false;
            if (trace.IsRead && (_readValues[e] is null || _locations[source[e]] != _locations[e])) return false;
            if (trace.IsWrite) _writtenValues[e] = Symbolic.Evaluate(trace.WrittenValue, ReadOf(e)) ?? throw new InvalidOperationException("unsolved write");
        }
        for (var t = 0; t < _paths.Length; t++)
        {
            var read = ReadsFrom(_threadOfPath[t]);
            foreach (var constraint in _paths[t].Constraints)
                if ((Symbolic.Evaluate(constraint.Condition, read) != 0) != constraint.MustBeNonZero) return false;
        }
        return true;
    }

    public long[][] FinalRegisters() =>
        _paths.Select((path, t) => path.FinalRegisters
            .Select(r => Symbolic.Evaluate(r, ReadsFrom(_threadOfPath[t])) ?? 0).ToArray()).ToArray();

    /// <summary>The value of the coherence-last write to a location: the one with no co successor.</summary>
    public long LastWrittenValue(int location, Relation co, int locationCount)
    {
        var last = location;
        for (var e = locationCount; e < _events.Count; e++)
            if (_events[e].Trace.IsWrite && _locations[e] == location && co.Successors(e).IsEmpty) last = e;
        return _writtenValues[last];
    }

    private bool IsLocation(int location) => location >= 0 && location < _locationCount;

    /// <summary>The values of an event's thread's reads, by thread-local index.</summary>
    private Func<int, long?> ReadOf(int @event) => ReadsFrom(_events[@event].FirstOfThread);

    private Func<int, long?> ReadsFrom(int firstOfThread) => local => _readValues[firstOfThread + local];
}

