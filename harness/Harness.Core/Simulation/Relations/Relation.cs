using System.Numerics;

namespace Harness.Simulation.Relations;

/// <summary>
/// A binary relation over the events of one execution, as one bit-mask row per event
/// (row i holds the successors of event i). The operators are those of herd's cat language,
/// so a model reads like its definition:
/// <list type="table">
/// <item><c>r1 | r2</c>, <c>r1 &amp; r2</c>, <c>r1 - r2</c>: union, intersection, difference (cat: <c>|</c>, <c>&amp;</c>, <c>\</c>)</item>
/// <item><c>r1.Then(r2)</c>: sequence (cat: <c>r1; r2</c>)</item>
/// <item><c>r.Plus()</c>, <c>r.Star()</c>, <c>r.Opt()</c>, <c>r.Inverse()</c>: cat's <c>r+</c>, <c>r*</c>, <c>r?</c>, <c>r^-1</c></item>
/// <item><c>Relation.Id(n, A)</c>: cat's <c>[A]</c>; <c>r.From(A)</c> and <c>r.To(B)</c> are <c>[A];r</c> and <c>r;[B]</c></item>
/// </list>
/// Every operation is a handful of word operations per event, which keeps the enumeration of
/// candidate executions fast.
/// </summary>
public sealed class Relation
{
    private readonly ulong[] _rows;

    private Relation(ulong[] rows) => _rows = rows;

    /// <summary>The number of events this relation is over.</summary>
    public int Size => _rows.Length;

    public static Relation Empty(int size) => new(new ulong[size]);

    /// <summary>cat's <c>[A]</c>: the identity on the events of A.</summary>
    public static Relation Id(int size, EventSet set)
    {
        var rows = new ulong[size];
        foreach (var e in set) rows[e] = 1UL << e;
        return new Relation(rows);
    }

    /// <summary>cat's <c>A * B</c>: every pair of an event of A and an event of B.</summary>
    public static Relation Cross(int size, EventSet from, EventSet to)
    {
        var rows = new ulong[size];
        foreach (var e in from) rows[e] = to.Bits;
        return new Relation(rows);
    }

    public static Relation FromPairs(int size, IEnumerable<(int From, int To)> pairs)
    {
        var rows = new ulong[size];
        foreach (var (from, to) in pairs) rows[from] |= 1UL << to;
        return new Relation(rows);
    }

    /// <summary>Builds a relation row by row; used by the execution builder, not by models.</summary>
    public static Relation FromRows(ulong[] rows) => new((ulong[])rows.Clone());

    public bool Contains(int from, int to) => (_rows[from] >> to & 1) != 0;

    public EventSet Successors(int e) => new(_rows[e]);

    public bool IsEmpty
    {
        get
        {
            foreach (var row in _rows) if (row != 0) return false;
            return true;
        }
    }

    public static Relation operator |(Relation a, Relation b) => Zip(a, b, static (x, y) => x | y);
    public static Relation operator &(Relation a, Relation b) => Zip(a, b, static (x, y) => x & y);
    public static Relation operator -(Relation a, Relation b) => Zip(a, b, static (x, y) => x & ~y);

    /// <summary>cat's <c>r1; r2</c>.</summary>
    public Relation Then(Relation next)
    {
        var rows = new ulong[Size];
        for (var i = 0; i < rows.Length; i++)
        {
            ulong acc = 0;
            for (var bits = _rows[i]; bits != 0; bits &= bits - 1)
                acc |= next._rows[BitOperations.TrailingZeroCount(bits)];
            rows[i] = acc;
        }
        return new Relation(rows);
    }

    /// <summary>cat's <c>[A]; r</c>: keeps the pairs that start in A.</summary>
    public Relation From(EventSet set)
    {
        var rows = new ulong[Size];
        foreach (var e in set) rows[e] = _rows[e];
        return new Relation(rows);
    }

    /// <summary>cat's <c>r; [B]</c>: keeps the pairs that end in B.</summary>
    public Relation To(EventSet set)
    {
        var rows = new ulong[Size];
        for (var i = 0; i < rows.Length; i++) rows[i] = _rows[i] & set.Bits;
        return new Relation(rows);
    }

    /// <summary>cat's <c>[A]; r; [B]</c>.</summary>
    public Relation Between(EventSet from, EventSet to) => From(from).To(to);

    public Relation Inverse()
    {
        var rows = new ulong[Size];
        for (var i = 0; i < rows.Length; i++)
            for (var bits = _rows[i]; bits != 0; bits &= bits - 1)
                rows[BitOperations.TrailingZeroCount(bits)] |= 1UL << i;
        return new Relation(rows);
    }

    /// <summary>cat's <c>r+</c> (Warshall's algorithm on bit rows).</summary>
    public Relation Plus()
    {
        var rows = (ulong[])_rows.Clone();
        for (var k = 0; k < rows.Length; k++)
        {
            var viaK = rows[k];
            if (viaK == 0) continue;
            var bit = 1UL << k;
            for (var i = 0; i < rows.Length; i++)
                if ((rows[i] & bit) != 0) rows[i] |= viaK;
        }
        return new Relation(rows);
    }

    /// <summary>cat's <c>r*</c>: the reflexive-transitive closure over all events.</summary>
    public Relation Star() => Plus().Opt();

    /// <summary>cat's <c>r?</c>: r or identity.</summary>
    public Relation Opt()
    {
        var rows = (ulong[])_rows.Clone();
        for (var i = 0; i < rows.Length; i++) rows[i] |= 1UL << i;
        return new Relation(rows);
    }

    /// <summary>cat's <c>r \ id</c>.</summary>
    public Relation WithoutIdentity()
    {
        var rows = (ulong[])_rows.Clone();
        for (var i = 0; i < rows.Length; i++) rows[i] &= ~(1UL << i);
        return new Relation(rows);
    }

    public EventSet Domain()
    {
        ulong bits = 0;
        for (var i = 0; i < _rows.Length; i++) if (_rows[i] != 0) bits |= 1UL << i;
        return new EventSet(bits);
    }

    public EventSet Range()
    {
        ulong bits = 0;
        foreach (var row in _rows) bits |= row;
        return new EventSet(bits);
    }

    public bool IsIrreflexive
    {
        get
        {
            for (var i = 0; i < _rows.Length; i++) if ((_rows[i] >> i & 1) != 0) return false;
            return true;
        }
    }

    /// <summary>
    /// True when the relation has no cycle. Peels off events without predecessors (Kahn),
    /// which avoids building the closure for the common acyclic case.
    /// </summary>
    public bool IsAcyclic
    {
        get
        {
            ulong remaining = _rows.Length == 64 ? ulong.MaxValue : (1UL << _rows.Length) - 1;
            while (remaining != 0)
            {
                ulong hasPredecessor = 0;
                for (var bits = remaining; bits != 0; bits &= bits - 1)
                    hasPredecessor |= _rows[BitOperations.TrailingZeroCount(bits)];
                var sources = remaining & ~hasPredecessor;
                if (sources == 0) return false;
                remaining &= ~sources;
            }
            return true;
        }
    }

    public IEnumerable<(int From, int To)> Pairs()
    {
        for (var i = 0; i < _rows.Length; i++)
            for (var bits = _rows[i]; bits != 0; bits &= bits - 1)
                yield return (i, BitOperations.TrailingZeroCount(bits));
    }

    public override string ToString() => "{" + string.Join(", ", Pairs().Select(p => $"{p.From}->{p.To}")) + "}";

    private static Relation Zip(Relation a, Relation b, Func<ulong, ulong, ulong> combine)
    {
        if (a.Size != b.Size) throw new ArgumentException("relations over executions of different sizes");
        var rows = new ulong[a.Size];
        for (var i = 0; i < rows.Length; i++) rows[i] = combine(a._rows[i], b._rows[i]);
        return new Relation(rows);
    }
}
