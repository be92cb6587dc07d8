namespace Harness.Programs;

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
