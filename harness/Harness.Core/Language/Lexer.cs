using System.Globalization;

namespace Harness.Language;

/// <summary>
/// Reads a litmus file character by character. The prologue (architecture, name, comment and
/// header lines) is line-oriented, so the parser reads it through the raw helpers here; everything
/// from the initial state on is cut into tokens by <see cref="Tokenize"/>.
/// </summary>
/// <remarks>
/// herd7 reads the litmus frame (initial state, condition) with an OCaml-style lexer, where
/// <c>(* ... *)</c> is a comment, but thread bodies with its C lexer, where <c>(*x)</c> is a
/// parenthesised load. <see cref="Tokenize"/> therefore tracks whether it is inside a thread body.
/// </remarks>
internal sealed class Lexer(string text, DiagnosticBag diagnostics) : TextScanner(text, diagnostics)
{
    // Longest first, so that "<<" wins over "<" and "/\" over "/".
    private static readonly string[] Punctuators =
    [
        "/\\", "\\/", "=>", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||",
        "{", "}", "(", ")", "[", "]", ";", ",", ":", "*", "+", "-", "/", "%", "&", "|", "^", "~", "!", "=", "<", ">",
    ];

    /// <summary>
    /// A name or number longer than this is surely not meant (a run of garbage, a broken
    /// file): it is reported once, by length, rather than quoted whole in every later message.
    /// </summary>
    public const int MaxTokenLength = 255;

    private int frameBraceDepth;
    private bool threadHeaderSeen;
    private int threadBodyDepth;

    public static bool IsThreadName(string identifier) =>
        identifier.Length > 1 && identifier[0] == 'P' && identifier.AsSpan(1).IndexOfAnyExceptInRange('0', '9') < 0;

    /// <summary>Words that start a part of the frame after the threads; they never occur in thread code.</summary>
    public static bool IsConditionKeyword(string identifier) => identifier is "exists" or "forall" or "locations" or "filter";

    // ------------------------------------------------------------------ raw reading (prologue)

    /// <summary>Skips white space and comments; OCaml comments only when <paramref name="ocamlComments"/>.</summary>
    public void SkipTrivia(bool ocamlComments)
    {
        while (!AtEnd)
        {
            if (IsWhiteSpace(Text[Position])) Position++;
            else if (LooksAt("//")) SkipLineComment();
            else if (LooksAt("/*")) SkipBlockComment();
            else if (ocamlComments && LooksAt("(*")) SkipOcamlComment();
            else if (IsInvisible(Text[Position])) SkipInvisibleCharacters();
            else return;
        }
    }

    /// <summary>Non-ASCII spaces and invisible formatting characters (zero-width space, bidirectional marks, a stray byte-order mark).</summary>
    private static bool IsInvisible(char c) =>
        c > '\x7f' && (char.IsWhiteSpace(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format);

    /// <summary>
    /// Invisible characters are errors, as in C, but cannot have been meant as tokens (they come
    /// from copying text off a web page, or from an attempt to make code read other than it
    /// parses): a run of them is reported once and otherwise read as white space, so that the
    /// tokens around it parse as if it were not there and nothing else is reported.
    /// </summary>
    private void SkipInvisibleCharacters()
    {
        var start = Position;
        while (!AtEnd && IsInvisible(Text[Position])) Position++;
        Diagnostics.Add(start, $"unexpected character {DescribeCharacter(Text[start])}");
    }

    // ------------------------------------------------------------------ tokens

    /// <summary>Cuts the Text from <see cref="Position"/> to the end into tokens, ending with an end-of-file token.</summary>
    public List<Token> Tokenize()
    {
        var tokens = new List<Token>();
        while (true)
        {
            SkipTrivia(ocamlComments: threadBodyDepth == 0);
            if (AtEnd)
            {
                tokens.Add(new Token(TokenKind.EndOfFile, "", Text.Length, Text.Length));
                return tokens;
            }
            var token = NextToken();
            TrackThreadBodies(token);
            tokens.Add(token);
        }
    }

    private Token NextToken()
    {
        var start = Position;
        var first = Text[Position];
        if (IsIdentifierStart(first)) return WordToken(TokenKind.Identifier, start);
        // Take letters too ("0x1F", "12L"): the parser then says exactly what is wrong with the number.
        if (char.IsAsciiDigit(first)) return WordToken(TokenKind.Integer, start);
        foreach (var punctuator in Punctuators)
        {
            if (LooksAt(punctuator))
            {
                Position += punctuator.Length;
                return new Token(TokenKind.Punctuator, punctuator, start, Position);
            }
        }
        if (TrySkipUnsupportedConstruct(first) is string explanation)
        {
            Diagnostics.Add(start, $"unexpected character {DescribeCharacter(first)}: {explanation}");
            return new Token(TokenKind.Invalid, Text[start..Position], start, Position);
        }
        // One report for a whole run of stray characters, not one per character.
        var description = DescribeCharacterAt(Text, start);
        var hint = char.IsLetter(Text, start) ? ": names are made of ASCII letters, digits and '_'" : "";
        Position++;
        while (!AtEnd && !CanStartToken(Text[Position])) Position++;
        Diagnostics.Add(start, $"unexpected character {description}{hint}");
        return new Token(TokenKind.Invalid, Text[start..Position], start, Position);
    }

    /// <summary>A name or a number: the run of letters, digits and '_' from <paramref name="start"/>.</summary>
    private Token WordToken(TokenKind kind, int start)
    {
        while (!AtEnd && IsIdentifierPart(Text[Position])) Position++;
        var length = Position - start;
        if (length <= MaxTokenLength) return new Token(kind, Text[start..Position], start, Position);
        var what = kind == TokenKind.Integer ? "number" : "name";
        Diagnostics.Add(start, $"{what} of {length} characters is too long: at most {MaxTokenLength} are accepted");
        return new Token(TokenKind.Invalid, Text[start..Position], start, Position);
    }

    /// <summary>
    /// C constructs that start with a character the dialect does not use. Whole constructs are
    /// skipped (a directive to the end of its line, a quoted constant to its closing quote), so
    /// that one construct gives one report; null for other characters.
    /// </summary>
    private string? TrySkipUnsupportedConstruct(char first)
    {
        switch (first)
        {
            case '#':
                SkipLineComment();
                return "preprocessor directives such as '#include' are not supported";
            case '\'' or '"':
                var closing = Text.IndexOfAny([first, '\n'], Position + 1);
                Position = closing >= 0 && Text[closing] == first ? closing + 1 : Position + 1;
                return first == '"' ? "strings are not supported" : "character constants are not supported: write the number";
            case '?':
                Position++;
                return "the conditional operator '?:' is not supported: use 'if'";
            case '.':
                Position++;
                return "structure members and floating-point numbers are not supported";
            default:
                return null;
        }
    }

    /// <summary>Follows the braces well enough to know whether the next token is C code or litmus frame.</summary>
    private void TrackThreadBodies(Token token)
    {
        if (token.Kind == TokenKind.Identifier && (IsThreadName(token.Text) || IsConditionKeyword(token.Text)))
        {
            // These words only occur in the frame: seeing one means any block left open was never
            // closed (the parser reports that), and the frame goes on from here.
            threadBodyDepth = 0;
            frameBraceDepth = 0;
            threadHeaderSeen = IsThreadName(token.Text);
        }
        else if (threadBodyDepth > 0)
        {
            if (token.Is("{")) threadBodyDepth++;
            else if (token.Is("}")) threadBodyDepth--;
        }
        else if (token.Is("{"))
        {
            if (threadHeaderSeen && frameBraceDepth == 0)
            {
                threadBodyDepth = 1;
                threadHeaderSeen = false;
            }
            else
            {
                frameBraceDepth++;
            }
        }
        else if (token.Is("}"))
        {
            frameBraceDepth = Math.Max(0, frameBraceDepth - 1);
        }
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

    private static bool IsWhiteSpace(char c) => c is ' ' or '\t' or '\r' or '\n' or '\f' or '\v';

    private static bool CanStartToken(char c) =>
        IsWhiteSpace(c) || IsIdentifierPart(c) || Array.Exists(Punctuators, punctuator => punctuator[0] == c);

    private void SkipBlockComment()
    {
        var start = Position;
        var end = Text.IndexOf("*/", Position + 2, StringComparison.Ordinal);
        if (end < 0)
        {
            Diagnostics.Add(start, "unterminated comment: '/*' has no matching '*/'");
            EndsInsideComment = true;
            Position = Text.Length;
            return;
        }
        Position = end + 2;
    }
}
