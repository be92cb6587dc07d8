namespace Harness.Language.Source;

/// <summary>
/// Collects the problems found in one file. It keeps at most one problem per source position,
/// because a second complaint about the same token is almost always a consequence of the first,
/// and it gives up after <see cref="Limit"/> problems so that a binary or badly broken file
/// cannot flood the user.
/// </summary>
internal sealed class DiagnosticBag(SourceMap map)
{
    public const int Limit = 100;

    private readonly List<(int Offset, Diagnostic Diagnostic, bool Retractable)> entries = [];
    private readonly HashSet<int> reportedOffsets = [];

    public bool IsEmpty => entries.Count == 0;

    public int Count => entries.Count;

    /// <param name="retractable">
    /// Whether <see cref="RetractSince"/> may withdraw the problem: true for problems of meaning
    /// (an unknown name), which a later syntax error in the same statement makes doubtful.
    /// </param>
    /// <exception cref="ParseAbortedException">when the limit is reached.</exception>
    public void Add(int offset, string message, bool retractable = false)
    {
        if (!reportedOffsets.Add(offset)) return;
        entries.Add((offset, new Diagnostic(map.SpanAt(offset), message), retractable));
        if (entries.Count >= Limit) throw new ParseAbortedException();
    }

    /// <summary>Withdraws the retractable problems among those recorded after the first <paramref name="count"/>.</summary>
    public void RetractSince(int count)
    {
        for (var position = entries.Count - 1; position >= count; position--)
        {
            if (!entries[position].Retractable) continue;
            reportedOffsets.Remove(entries[position].Offset);
            entries.RemoveAt(position);
        }
    }

    /// <summary>The problems in source order (the lexer reports before the parser runs).</summary>
    public IReadOnlyList<Diagnostic> InSourceOrder() =>
        entries.OrderBy(entry => entry.Offset).Select(entry => entry.Diagnostic).ToList();
}

/// <summary>Stops a parse that cannot usefully go on; its diagnostics are already recorded.</summary>
internal sealed class ParseAbortedException : Exception;
