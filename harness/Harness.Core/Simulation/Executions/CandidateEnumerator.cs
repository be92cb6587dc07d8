using Harness.Language;
using Harness.Simulation.Programs;
using Harness.Simulation.Relations;

namespace Harness.Simulation.Executions;

/// <summary>
/// Enumerates the candidate executions of a program, as herd7 does: one path per thread,
/// a write for every read to read from (of the value the path assumed), and a coherence
/// order per location with the initial write first. Each candidate is handed to a visitor
/// with its final state.
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
        while (true)
        {
            VisitCombination(traces.Select((t, i) => t[choice[i]]).ToArray(), visit);
            var thread = 0;
            while (thread < choice.Length && ++choice[thread] == traces[thread].Count) choice[thread++] = 0;
            if (thread == choice.Length) return;
        }
    }

    private void VisitCombination(ThreadTrace[] paths, Visitor visit)
    {
        var locations = program.Locations.Count;
        var events = new List<GlobalEvent>();
        for (var l = 0; l < locations; l++)
            events.Add(new GlobalEvent(-1, 0, new TraceEvent(EventKind.Write, EventTag.None, l, 0, program.InitialValues[l], 0, 0, 0, -1)));
        for (var t = 0; t < paths.Length; t++)
        {
            var first = events.Count;
            foreach (var e in paths[t].Events) events.Add(new GlobalEvent(program.Threads[t].Id, first, e));
        }
        if (events.Count > EventSet.Capacity)
            throw new SimulationException(
                $"an execution of {program.Name} has {events.Count} events; the simulator handles at most {EventSet.Capacity} (lower the loop bound)");

        var structure = new EventStructure(events, locations);
        var n = events.Count;
        var cut = paths.Any(p => p.Cut);

        // Each read may read from any other write of its location that wrote the value it returned.
        var reads = new List<int>();
        var sources = new List<int[]>();
        for (var r = 0; r < n; r++)
        {
            var read = events[r].Trace;
            if (!read.IsRead) continue;
            var candidates = new List<int>();
            for (var w = 0; w < n; w++)
            {
                var write = events[w].Trace;
                if (w != r && write.IsWrite && write.Location == read.Location && write.WrittenValue == read.ReadValue)
                    candidates.Add(w);
            }
            if (candidates.Count == 0) return;
            reads.Add(r);
            sources.Add([.. candidates]);
        }

        // Coherence: every permutation of each location's non-initial writes.
        var writesByLocation = new List<int[]>();
        for (var l = 0; l < locations; l++)
        {
            var writes = Enumerable.Range(locations, n - locations)
                .Where(e => events[e].Trace.IsWrite && events[e].Trace.Location == l).ToArray();
            writesByLocation.Add(writes);
        }
        var coOrders = writesByLocation.Select(w => Permutations(w).ToList()).ToList();

        var rfChoice = new int[reads.Count];
        while (true)
        {
            var rfRows = new ulong[n];
            for (var i = 0; i < reads.Count; i++) rfRows[sources[i][rfChoice[i]]] |= 1UL << reads[i];
            var rf = Relation.FromRows(rfRows);
            if (!ValuesAreDetermined(events, reads, sources, rfChoice))
            {
                if (!Advance(rfChoice, sources)) return;
                continue;
            }
            ForEachCoherenceOrder(coOrders, n, locations, co =>
            {
                if (++Candidates > maxCandidates)
                    throw new SimulationException(
                        $"{program.Name} has more than {maxCandidates} candidate executions (raise --max-executions or lower the loop bound)");
                var execution = new Execution(structure, rf, co);
                visit(execution, cut ? null : FinalStateOf(paths, events, co, locations), cut);
            });
            if (!Advance(rfChoice, sources)) return;
        }
    }

    /// <summary>Steps an odometer of choices; false once every combination was visited.</summary>
    private static bool Advance(int[] choice, List<int[]> options)
    {
        var k = 0;
        while (k < choice.Length && ++choice[k] == options[k].Length) choice[k++] = 0;
        return k < choice.Length;
    }

    /// <summary>
    /// herd7 solves for the values of an execution by propagation from the constants: a read's
    /// value is known once the write it reads from is, a write's once the reads it is computed
    /// from are. Values that only justify themselves (a reads-from cycle through data or address
    /// dependencies) are never determined, and herd rejects such candidates; so do we.
    /// </summary>
    private static bool ValuesAreDetermined(List<GlobalEvent> events, List<int> reads, List<int[]> sources, int[] rfChoice)
    {
        var n = events.Count;
        var source = new int[n];
        for (var i = 0; i < reads.Count; i++) source[reads[i]] = sources[i][rfChoice[i]];
        ulong readKnown = 0, writeKnown = 0;
        for (var e = 0; e < n; e++)
        {
            if (events[e].Thread < 0) writeKnown |= 1UL << e;
            if (!events[e].Trace.IsRead) readKnown |= 1UL << e;
            if (!events[e].Trace.IsWrite) writeKnown |= 1UL << e;
        }
        var all = n == 64 ? ulong.MaxValue : (1UL << n) - 1;
        bool progress;
        do
        {
            progress = false;
            for (var e = 0; e < n; e++)
            {
                var trace = events[e].Trace;
                var dependencies = Globalise(trace.ValueDependencies, events[e].FirstOfThread);
                if ((dependencies & readKnown) != dependencies) continue;
                var bit = 1UL << e;
                if ((readKnown & bit) == 0 && (writeKnown >> source[e] & 1) != 0)
                {
                    readKnown |= bit;
                    progress = true;
                }
                if ((writeKnown & bit) == 0 && (!trace.WriteUsesOwnRead || (readKnown & bit) != 0))
                {
                    writeKnown |= bit;
                    progress = true;
                }
            }
        } while (progress);
        return readKnown == all && writeKnown == all;
    }

    private static ulong Globalise(ulong localMask, int firstOfThread)
    {
        ulong global = 0;
        for (var bits = localMask; bits != 0; bits &= bits - 1)
            global |= 1UL << (firstOfThread + System.Numerics.BitOperations.TrailingZeroCount(bits));
        return global;
    }

    private static void ForEachCoherenceOrder(List<List<int[]>> coOrders, int n, int locations, Action<Relation> onOrder)
    {
        var choice = new int[coOrders.Count];
        while (true)
        {
            var rows = new ulong[n];
            for (var l = 0; l < coOrders.Count; l++)
            {
                var order = coOrders[l][choice[l]];
                // The initial write precedes every other write of its location.
                for (var i = 0; i < order.Length; i++)
                {
                    rows[l] |= 1UL << order[i];
                    for (var j = i + 1; j < order.Length; j++) rows[order[i]] |= 1UL << order[j];
                }
            }
            onOrder(Relation.FromRows(rows));
            var k = 0;
            while (k < choice.Length && ++choice[k] == coOrders[k].Count) choice[k++] = 0;
            if (k == choice.Length) return;
        }
    }

    private FinalState FinalStateOf(ThreadTrace[] paths, List<GlobalEvent> events, Relation co, int locations)
    {
        var values = new long[program.Observed.Count];
        for (var i = 0; i < values.Length; i++)
        {
            var key = program.Observed[i];
            if (key.Thread is int thread)
            {
                var index = program.Threads.ToList().FindIndex(t => t.Id == thread);
                var register = index < 0 ? -1 : program.Threads[index].RegisterIndex(key.Name);
                values[i] = register < 0 ? 0 : paths[index].FinalRegisters[register];
            }
            else
            {
                var location = program.Locations.ToList().IndexOf(key.Name);
                values[i] = LastWriteValue(events, co, location, locations);
            }
        }
        return new FinalState(program.Observed, values);
    }

    /// <summary>The value of the coherence-last write to a location: the one with no co successor.</summary>
    private static long LastWriteValue(List<GlobalEvent> events, Relation co, int location, int locations)
    {
        var last = location;
        for (var e = locations; e < events.Count; e++)
        {
            var trace = events[e].Trace;
            if (trace.IsWrite && trace.Location == location && co.Successors(e).IsEmpty) last = e;
        }
        return events[last].Trace.WrittenValue;
    }

    private static IEnumerable<int[]> Permutations(int[] items)
    {
        if (items.Length <= 1)
        {
            yield return items;
            yield break;
        }
        for (var i = 0; i < items.Length; i++)
        {
            var rest = items.Where((_, j) => j != i).ToArray();
            foreach (var tail in Permutations(rest)) yield return [items[i], .. tail];
        }
    }
}

/// <summary>
/// A final state projected on the keys a test observes (herd7's convention: registers and
/// locations named in the condition and the locations clause).
/// </summary>
public sealed class FinalState : IEquatable<FinalState>, IComparable<FinalState>
{
    public FinalState(IReadOnlyList<StateKey> keys, long[] values)
    {
        Keys = keys;
        Values = values;
    }

    public IReadOnlyList<StateKey> Keys { get; }
    public IReadOnlyList<long> Values { get; }

    public long this[StateKey key]
    {
        get
        {
            for (var i = 0; i < Keys.Count; i++) if (Keys[i] == key) return Values[i];
            throw new KeyNotFoundException($"{key} is not observed");
        }
    }

    public bool TryGet(StateKey key, out long value)
    {
        for (var i = 0; i < Keys.Count; i++)
            if (Keys[i] == key)
            {
                value = Values[i];
                return true;
            }
        value = 0;
        return false;
    }

    public bool Equals(FinalState? other) => other is not null && Values.SequenceEqual(other.Values) && Keys.SequenceEqual(other.Keys);
    public override bool Equals(object? obj) => Equals(obj as FinalState);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var v in Values) hash.Add(v);
        return hash.ToHashCode();
    }

    public int CompareTo(FinalState? other)
    {
        if (other is null) return 1;
        for (var i = 0; i < Math.Min(Values.Count, other.Values.Count); i++)
        {
            var c = Values[i].CompareTo(other.Values[i]);
            if (c != 0) return c;
        }
        return Values.Count.CompareTo(other.Values.Count);
    }

    /// <summary>herd7's printing: <c>0:r0=1; 1:r0=0; x=2;</c></summary>
    public override string ToString() => string.Concat(Keys.Select((k, i) => $"{k}={Values[i]}; ")).TrimEnd();
}
