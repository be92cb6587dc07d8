using Harness.Kernels;
using Harness.Simulation.Executions;
using Harness.Programs;
using Harness.Kernels.Abi;

namespace Harness.Running;

/// <summary>
/// Counts final states without allocating: each observed component's value is looked up among
/// the values the simulator expects for it, and the indices form a mixed-radix key into a flat
/// array of counters. A value nobody predicted takes a slower path that keeps the exact state,
/// because such a state is exactly what the harness exists to report.
/// </summary>
internal sealed class OutcomeCounter
{
    private const int MaxDenseKeys = 1 << 22;

    private readonly KernelPlan _plan;
    private readonly int[][] _values;
    private readonly long[] _weights;
    private readonly long[] _dense;
    private readonly Dictionary<long, long> _sparse = [];
    private readonly Dictionary<FinalState, long> _unexpected = [];
    private readonly (int Thread, int Register, int Location)[] _sources;
    private readonly int[] _scratch;

    public OutcomeCounter(KernelPlan plan, IEnumerable<FinalState> expected)
    {
        _plan = plan;
        var observed = plan.Observed;
        var expectedStates = expected.ToList();
        _values = observed.Select(key => expectedStates
            .Select(s => s.TryGet(key, out var v) ? (int)v : 0).Distinct().Order().ToArray()).ToArray();
        _weights = new long[observed.Count];
        long space = 1;
        for (var k = observed.Count - 1; k >= 0; k--)
        {
            _weights[k] = space;
            space = space > long.MaxValue / 64 ? long.MaxValue / 2 : space * (_values[k].Length + 1);
        }
        _dense = space <= MaxDenseKeys ? new long[space] : [];
        _sources = observed.Select(key => key.Thread is int t
            ? (t, plan.ObservedRegisters[t].ToList().IndexOf(key.Name), -1)
            : (-1, -1, plan.Locations.ToList().IndexOf(key.Name))).ToArray();
        _scratch = new int[observed.Count];
    }

    /// <summary>Counts every instance of the round; returns how many were abandoned by a spin bound.</summary>
    public long Count(RoundContext context, int locations)
    {
        long abandoned = 0;
        for (var i = 0; i < context.Instances; i++)
        {
            if (AnyStuck(context, i))
            {
                abandoned++;
                continue;
            }
            long key = 0;
            var expected = true;
            for (var k = 0; k < _sources.Length; k++)
            {
                var value = Read(context, i, k);
                _scratch[k] = value;
                var index = Array.IndexOf(_values[k], value);
                if (index < 0)
                {
                    expected = false;
                    index = _values[k].Length;
                }
                key += index * _weights[k];
            }
            if (!expected) CountUnexpected();
            else if (_dense.Length > 0) _dense[key]++;
            else _sparse[key] = _sparse.GetValueOrDefault(key) + 1;
        }
        return abandoned;
    }

    private static bool AnyStuck(RoundContext context, int instance)
    {
        foreach (var stuck in context.Stuck)
            if (stuck[instance] != 0) return true;
        return false;
    }

    private int Read(RoundContext context, int instance, int component)
    {
        var (thread, register, location) = _sources[component];
        if (thread >= 0)
        {
            var count = _plan.ObservedRegisters[thread].Count;
            return context.Registers[thread][context.RegisterBases[thread] + instance * count + register];
        }
        return context.Memory[context.MemoryBase + instance * context.InstanceStride + location * context.LocationStride];
    }

    private void CountUnexpected()
    {
        var state = new FinalState(_plan.Observed, _scratch.Select(v => (long)v).ToArray());
        _unexpected[state] = _unexpected.GetValueOrDefault(state) + 1;
    }

    /// <summary>The counts so far, as final states.</summary>
    public Dictionary<FinalState, long> Snapshot()
    {
        var result = new Dictionary<FinalState, long>(_unexpected);
        if (_dense.Length > 0)
        {
            for (long key = 0; key < _dense.Length; key++)
                if (_dense[key] > 0) result[Decode(key)] = _dense[key];
        }
        else
        {
            foreach (var (key, count) in _sparse) result[Decode(key)] = count;
        }
        return result;
    }

    private FinalState Decode(long key)
    {
        var values = new long[_values.Length];
        for (var k = 0; k < values.Length; k++)
        {
            var index = (int)(key / _weights[k]);
            key %= _weights[k];
            values[k] = _values[k][index];
        }
        return new FinalState(_plan.Observed, values);
    }
}
