namespace Harness.Language;

/// <summary>
/// Character-level reading shared by the C and the hardware litmus lexers: the test's frame
/// (name line, quoted comment, header lines) is read raw, and both dialects know herd's
/// comments. Subclasses cut the rest into their own tokens.
/// </summary>
internal abstract class TextScanner(string text, DiagnosticBag diagnostics)
{
    protected string Text => text;
    protected DiagnosticBag Diagnostics => diagnostics;

    public int Position { get; set; }

    public bool AtEnd => Position >= text.Length;

    public char? Current => AtEnd ? null : text[Position];

    /// <summary>True when an unterminated comment ran to the end of the text (already reported).</summary>
    public bool EndsInsideComment { get; protected set; }

    public static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c == '_';

    public static bool IsIdentifierPart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    public void SkipSpacesOnLine()
    {
        while (!AtEnd && text[Position] is ' ' or '\t') Position++;
    }

    /// <summary>A plain identifier (no dots), for the architecture name and header keys.</summary>
    public string? TryReadIdentifier()
    {
        if (AtEnd || !IsIdentifierStart(text[Position])) return null;
        var start = Position;
        while (!AtEnd && IsIdentifierPart(text[Position])) Position++;
        return text[start..Position];
    }

    /// <summary>Returns the rest of the current line (without its line break) and moves past it.</summary>
    public string ReadRestOfLine()
    {
        var start = Position;
        var end = text.IndexOf('\n', Position);
        if (end < 0) end = text.Length;
        Position = Math.Min(end + 1, text.Length);
        return text[start..end].TrimEnd('\r');
    }

    /// <summary>Reads a <c>"..."</c> string (which may span lines) at the current position.</summary>
    public bool TryReadQuoted(out string content)
    {
        var closing = text.IndexOf('"', Position + 1);
        if (closing < 0)
        {
            content = "";
            return false;
        }
        content = text[(Position + 1)..closing];
        Position = closing + 1;
        return true;
    }

    protected bool LooksAt(string expected) => text.AsSpan(Position).StartsWith(expected, StringComparison.Ordinal);

    protected void SkipLineComment()
    {
        var end = text.IndexOf('\n', Position);
        Position = end < 0 ? text.Length : end;
    }

    /// <summary>OCaml comments nest, as they do for herd7.</summary>
    protected void SkipOcamlComment()
    {
        var start = Position;
        var depth = 0;
        while (!AtEnd)
        {
            if (LooksAt("(*"))
            {
                depth++;
                Position += 2;
            }
            else if (LooksAt("*)"))
            {
                Position += 2;
                if (--depth == 0) return;
            }
            else Position++;
        }
        diagnostics.Add(start, "unterminated comment: '(*' has no matching '*)'");
        EndsInsideComment = true;
    }
}
