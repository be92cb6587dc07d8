using System.Globalization;

namespace Harness.Language.Hardware;

internal enum AsmTokenKind
{
    /// <summary>A name: mnemonic, register, location, label, keyword. May contain dots inside (<c>B.EQ</c>).</summary>
    Word,
    /// <summary>A run of digits and letters starting with a digit; <see cref="AsmLexer.TryParseNumber"/> checks its form.</summary>
    Number,
    Punctuator,
    EndOfFile,
}

/// <summary>A token of a hardware litmus file and where it lies in the text, as offsets [Start, End).</summary>
internal readonly record struct AsmToken(AsmTokenKind Kind, string Text, int Start, int End)
{
    public bool Is(string punctuator) => Kind == AsmTokenKind.Punctuator && Text == punctuator;

    public bool IsWord(string word) => Kind == AsmTokenKind.Word && Text == word;

    public string Describe() => Kind == AsmTokenKind.EndOfFile ? "end of file" : $"'{Text}'";
}

/// <summary>
/// Cuts the frame and code of an X86 / AArch64 litmus file into tokens. herd7 reads these files
/// with an OCaml-style lexer: <c>(* ... *)</c> comments nest; <c>#</c> and <c>$</c> introduce
/// immediates, so they are tokens here, not comments.
/// </summary>
internal sealed class AsmLexer(string text, DiagnosticBag diagnostics)
{
    // Longest first.
    private static readonly string[] Punctuators =
    [
        "/\\", "\\/", "=>", "==",
        "{", "}", "[", "]", "(", ")", ";", ",", ":", "|", "=", "$", "#", "!", "~", "+", "-", "*", "&", "%",
    ];

    public int Position { get; set; }

    public bool AtEnd => Position >= text.Length;

    public char? Current => AtEnd ? null : text[Position];

    /// <summary>True when an unterminated comment ran to the end of the text (already reported).</summary>
    public bool EndsInsideComment { get; private set; }

    public static bool IsWordStart(char c) => char.IsAsciiLetter(c) || c == '_';

    public static bool IsWordPart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    // ------------------------------------------------------------------ raw reading (prologue)

    public void SkipTrivia()
    {
        while (!AtEnd)
        {
            var c = text[Position];
            if (char.IsWhiteSpace(c)) Position++;
            else if (LooksAt("(*")) SkipComment();
            else if (LooksAt("//")) SkipLine();
            else return;
        }
    }

    public void SkipSpacesOnLine()
    {
        while (!AtEnd && text[Position] is ' ' or '\t') Position++;
    }

    /// <summary>A plain identifier (no dots), for the architecture name and header keys.</summary>
    public string? TryReadIdentifier()
    {
        if (AtEnd || !IsWordStart(text[Position])) return null;
        var start = Position;
        while (!AtEnd && IsWordPart(text[Position])) Position++;
        return text[start..Position];
    }

    public string ReadRestOfLine()
    {
        var start = Position;
        var end = text.IndexOf('\n', Position);
        if (end < 0) end = text.Length;
        Position = Math.Min(end + 1, text.Length);
        return text[start..end].TrimEnd('\r');
    }

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

    // ------------------------------------------------------------------ tokens

    public List<AsmToken> Tokenize()
    {
        var tokens = new List<AsmToken>();
        while (true)
        {
            SkipTrivia();
            if (AtEnd)
            {
                tokens.Add(new AsmToken(AsmTokenKind.EndOfFile, "", text.Length, text.Length));
                return tokens;
            }
            if (NextToken() is { } token) tokens.Add(token);
        }
    }

    private AsmToken? NextToken()
    {
        var start = Position;
        var first = text[Position];
        if (IsWordStart(first))
        {
            Position++;
            while (!AtEnd && (IsWordPart(text[Position])
                   || (text[Position] == '.' && Position + 1 < text.Length && IsWordPart(text[Position + 1]))))
                Position++;
            return new AsmToken(AsmTokenKind.Word, text[start..Position], start, Position);
        }
        if (char.IsAsciiDigit(first))
        {
            while (!AtEnd && IsWordPart(text[Position])) Position++;
            return new AsmToken(AsmTokenKind.Number, text[start..Position], start, Position);
        }
        foreach (var punctuator in Punctuators)
        {
            if (!LooksAt(punctuator)) continue;
            Position += punctuator.Length;
            return new AsmToken(AsmTokenKind.Punctuator, punctuator, start, Position);
        }
        Position++;
        while (!AtEnd && !CanStartToken(text[Position])) Position++;
        diagnostics.Add(start, $"unexpected character {Lexer.DescribeCharacter(first)}");
        return null;
    }

    /// <summary>Decimal or 0x-hexadecimal digits.</summary>
    public static bool TryParseNumber(string digits, out long value)
    {
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            return long.TryParse(digits.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private static bool CanStartToken(char c) =>
        char.IsWhiteSpace(c) || IsWordPart(c) || Array.Exists(Punctuators, p => p[0] == c);

    private bool LooksAt(string expected) => text.AsSpan(Position).StartsWith(expected, StringComparison.Ordinal);

    private void SkipLine()
    {
        var end = text.IndexOf('\n', Position);
        Position = end < 0 ? text.Length : end;
    }

    /// <summary>OCaml comments nest, as they do for herd7.</summary>
    private void SkipComment()
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
