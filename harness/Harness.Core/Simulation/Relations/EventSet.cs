using System.Numerics;

namespace Harness.Simulation.Relations;

/// <summary>
/// A set of events of one candidate execution, as a bit mask: event i is bit i. A litmus
/// execution rarely has more than a few dozen events, and 64 is the limit the enumerator enforces.
/// </summary>
public readonly record struct EventSet(ulong Bits)
{
    public const int Capacity = 64;

    public static readonly EventSet Empty = new(0);

    public static EventSet Of(int e) => new(1UL << e);

    public static EventSet Range(int from, int toExclusive) =>
        toExclusive <= from ? Empty : new((toExclusive - from == 64 ? ulong.MaxValue : (1UL << (toExclusive - from)) - 1) << from);

    public bool IsEmpty => Bits == 0;
    public int Count => BitOperations.PopCount(Bits);
    public bool Contains(int e) => (Bits >> e & 1) != 0;

    public static EventSet operator |(EventSet a, EventSet b) => new(a.Bits | b.Bits);
    public static EventSet operator &(EventSet a, EventSet b) => new(a.Bits & b.Bits);
    public static EventSet operator -(EventSet a, EventSet b) => new(a.Bits & ~b.Bits);

    public EventSet With(int e) => new(Bits | 1UL << e);

    public Enumerator GetEnumerator() => new(Bits);

    /// <summary>Walks the members in increasing order without allocating.</summary>
    public struct Enumerator(ulong bits)
    {
        private ulong _remaining = bits;
        public int Current { get; private set; }

        public bool MoveNext()
        {
            if (_remaining == 0) return false;
            Current = BitOperations.TrailingZeroCount(_remaining);
            _remaining &= _remaining - 1;
            return true;
        }
    }

    public override string ToString() => "{" + string.Join(",", ToList()) + "}";

    private List<int> ToList()
    {
        var list = new List<int>();
        foreach (var e in this) list.Add(e);
        return list;
    }
}
