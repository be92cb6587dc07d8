using System.Globalization;

namespace Harness.Language.Source;

/// <summary>
/// The lexer core every litmus dialect shares: the test's frame (name line, quoted comment,
/// header lines) is read raw, the rest is cut into <see cref="Token"/>s by one loop. A dialect
/// says only what differs: its punctuators, its comments, whether a dot may join a word, and
/// which foreign constructs deserve an explanation.
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

    /// <summary>
    /// A name or number longer than this is surely not meant (a run of garbage, a broken
    /// file): it is reported once, by length, rather than quoted whole in every later message.
    /// </summary>
    public const int MaxTokenLength = 255;

    /// <summary>The dialect's punctuators, longest first so that "&lt;&lt;" wins over "&lt;".</summary>
    protected abstract IReadOnlyList<string> Punctuators { get; }

    /// <summary>Skips white space and comments before the next token.</summary>
    protected abstract void SkipTokenTrivia();

    /// <summary>Whether the character at <paramref name="position"/> continues the word being read.</summary>
    protected virtual bool ContinuesWord(int position) => IsIdentifierPart(text[position]);

    /// <summary>
    /// Constructs of other languages that start with a character the dialect does not use: the
    /// whole construct is skipped, so that it gives one report, and explained; null for others.
    /// </summary>
    protected virtual string? TrySkipUnsupportedConstruct(char first) => null;

    /// <summary>Called with every token as it is cut, for dialects whose trivia depend on context.</summary>
    protected virtual void Saw(Token token) { }

    /// <summary>Cuts the text from <see cref="Position"/> to the end into tokens, ending with an end-of-file token.</summary>
    public List<Token> Tokenize()
    {
        var tokens = new List<Token>();
        while (true)
        {
            SkipTokenTrivia();
            if (AtEnd)
            {
                tokens.Add(new Token(TokenKind.EndOfFile, "", text.Length, text.Length));
                return tokens;
            }
            var token = NextToken();
            Saw(token);
            tokens.Add(token);
        }
    }

    private Token NextToken()
    {
        var start = Position;
        var first = text[Position];
        if (IsIdentifierStart(first)) return WordToken(TokenKind.Identifier, start);
        // Take letters too ("0x1F", "12L"): the parser then says exactly what is wrong with the number.
        if (char.IsAsciiDigit(first)) return WordToken(TokenKind.Integer, start);
        foreach (var punctuator in Punctuators)
        {
            if (!LooksAt(punctuator)) continue;
            Position += punctuator.Length;
            return new Token(TokenKind.Punctuator, punctuator, start, Position);
        }
        if (TrySkipUnsupportedConstruct(first) is string explanation)
        {
            diagnostics.Add(start, $"unexpected character {DescribeCharacter(first)}: {explanation}");
            return new Token(TokenKind.Invalid, text[start..Position], start, Position);
        }
        // One report for a whole run of stray characters, not one per character.
        var description = DescribeCharacterAt(text, start);
        var hint = char.IsLetter(text, start) ? ": names are made of ASCII letters, digits and '_'" : "";
        Position++;
        while (!AtEnd && !CanStartToken(text[Position])) Position++;
        diagnostics.Add(start, $"unexpected character {description}{hint}");
        return new Token(TokenKind.Invalid, text[start..Position], start, Position);
    }

    /// <summary>A name or a number: the run of word characters from <paramref name="start"/>.</summary>
    private Token WordToken(TokenKind kind, int start)
    {
        Position++;
        while (!AtEnd && ContinuesWord(Position)) Position++;
        var length = Position - start;
        if (length <= MaxTokenLength) return new Token(kind, text[start..Position], start, Position);
        var what = kind == TokenKind.Integer ? "number" : "name";
        diagnostics.Add(start, $"{what} of {length} characters is too long: at most {MaxTokenLength} are accepted");
        return new Token(TokenKind.Invalid, text[start..Position], start, Position);
    }

    private bool CanStartToken(char c)
    {
        if (c is ' ' or '\t' or '\r' or '\n' or '\f' or '\v' || IsIdentifierPart(c)) return true;
        foreach (var punctuator in Punctuators)
            if (punctuator[0] == c) return true;
        return false;
    }

    /// <summary>Decimal or 0x-hexadecimal digits, as herd writes numbers.</summary>
    public static bool TryParseNumber(string digits, out long value)
    {
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            return long.TryParse(digits.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>
    /// Names a character so that the user can find it: printable ASCII as itself, anything
    /// invisible or misleading (controls, spaces, bidirectional marks, a stray byte-order mark)
    /// by code point only, since quoting it would show nothing or reorder the message.
    /// </summary>
    public static string DescribeCharacter(char c)
    {
        var code = $"U+{((int)c).ToString("X4", CultureInfo.InvariantCulture)}";
        if (c == '\'') return "\"'\"";
        if (c is > ' ' and < '\x7f') return $"'{c}'";
        return c switch
        {
            '\uFEFF' => $"{code} (a byte-order mark, allowed only at the start of the file)",
            // What a decoder puts where the bytes were not UTF-8: the file itself is broken there.
            '\uFFFD' => $"{code} (bytes that are not valid UTF-8)",
            _ when char.IsControl(c) || char.IsSurrogate(c) || c <= '\x7f' => code,
            _ when char.IsWhiteSpace(c) => $"{code} (a non-ASCII space)",
            _ when CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format => $"{code} (an invisible formatting character)",
            _ => $"'{c}' ({code})",
        };
    }

    /// <summary><see cref="DescribeCharacter"/> for the character at <paramref name="offset"/>, which may be a surrogate pair.</summary>
    public static string DescribeCharacterAt(string text, int offset)
    {
        if (!char.IsSurrogatePair(text, offset)) return DescribeCharacter(text[offset]);
        var code = char.ConvertToUtf32(text, offset).ToString("X4", CultureInfo.InvariantCulture);
        return $"'{text.Substring(offset, 2)}' (U+{code})";
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
