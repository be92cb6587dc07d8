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
internal sealed class Lexer(string text, DiagnosticBag diagnostics)
{
    // Longest first, so that "<<" wins over "<" and "/\" over "/".
    private static readonly string[] Punctuators =
    [
        "/\\", "\\/", "=>", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||",
        "{", "}", "(", ")", "[", "]", ";", ",", ":", "*", "+", "-", "/", "%", "&", "|", "^", "~", "!", "=", "<", ">",
    ];

    private int frameBraceDepth;
    private bool threadHeaderSeen;
    private int threadBodyDepth;

    public int Position { get; set; }

    /// <summary>True when an unterminated comment ran to the end of the text (already reported).</summary>
    public bool EndsInsideComment { get; private set; }

    public bool AtEnd => Position >= text.Length;

    public char? Current => AtEnd ? null : text[Position];

    public static bool IsThreadName(string identifier) =>
        identifier.Length > 1 && identifier[0] == 'P' && identifier.AsSpan(1).IndexOfAnyExceptInRange('0', '9') < 0;

    /// <summary>Words that start a part of the frame after the threads; they never occur in thread code.</summary>
    public static bool IsConditionKeyword(string identifier) => identifier is "exists" or "forall" or "locations" or "filter";

    public static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c == '_';

    public static bool IsIdentifierPart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    // ------------------------------------------------------------------ raw reading (prologue)

    /// <summary>Skips white space and comments; OCaml comments only when <paramref name="ocamlComments"/>.</summary>
    public void SkipTrivia(bool ocamlComments)
    {
        while (!AtEnd)
        {
            if (IsWhiteSpace(text[Position])) Position++;
            else if (LooksAt("//")) SkipLineComment();
            else if (LooksAt("/*")) SkipBlockComment();
            else if (ocamlComments && LooksAt("(*")) SkipOcamlComment();
            else return;
        }
    }

    public void SkipSpacesOnLine()
    {
        while (!AtEnd && text[Position] is ' ' or '\t') Position++;
    }

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
        return text[start..end];
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

    // ------------------------------------------------------------------ tokens

    /// <summary>Cuts the text from <see cref="Position"/> to the end into tokens, ending with an end-of-file token.</summary>
    public List<Token> Tokenize()
    {
        var tokens = new List<Token>();
        while (true)
        {
            SkipTrivia(ocamlComments: threadBodyDepth == 0);
            if (AtEnd)
            {
                tokens.Add(new Token(TokenKind.EndOfFile, "", text.Length, text.Length));
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
        var first = text[Position];
        if (IsIdentifierStart(first))
        {
            while (!AtEnd && IsIdentifierPart(text[Position])) Position++;
            return new Token(TokenKind.Identifier, text[start..Position], start, Position);
        }
        if (char.IsAsciiDigit(first))
        {
            // Take letters too ("0x1F", "12L"): the parser then says exactly what is wrong with the number.
            while (!AtEnd && IsIdentifierPart(text[Position])) Position++;
            return new Token(TokenKind.Integer, text[start..Position], start, Position);
        }
        foreach (var punctuator in Punctuators)
        {
            if (LooksAt(punctuator))
            {
                Position += punctuator.Length;
                return new Token(TokenKind.Punctuator, punctuator, start, Position);
            }
        }
        // One report for a whole run of stray characters, not one per character.
        Position++;
        while (!AtEnd && !CanStartToken(text[Position])) Position++;
        diagnostics.Add(start, $"unexpected character {DescribeCharacter(first)}");
        return new Token(TokenKind.Invalid, text[start..Position], start, Position);
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

    public static string DescribeCharacter(char c)
    {
        var code = ((int)c).ToString("X4", CultureInfo.InvariantCulture);
        if (c is > ' ' and < '\x7f') return $"'{c}'";
        if (char.IsControl(c) || char.IsWhiteSpace(c) || char.IsSurrogate(c)) return $"U+{code}";
        return $"'{c}' (U+{code})";
    }

    private static bool IsWhiteSpace(char c) => c is ' ' or '\t' or '\r' or '\n' or '\f' or '\v';

    private static bool CanStartToken(char c) =>
        IsWhiteSpace(c) || IsIdentifierPart(c) || Array.Exists(Punctuators, punctuator => punctuator[0] == c);

    private bool LooksAt(string expected) => text.AsSpan(Position).StartsWith(expected, StringComparison.Ordinal);

    private void SkipLineComment()
    {
        var end = text.IndexOf('\n', Position);
        Position = end < 0 ? text.Length : end;
    }

    private void SkipBlockComment()
    {
        var start = Position;
        var end = text.IndexOf("*/", Position + 2, StringComparison.Ordinal);
        if (end < 0)
        {
            diagnostics.Add(start, "unterminated comment: '/*' has no matching '*/'");
            EndsInsideComment = true;
            Position = text.Length;
            return;
        }
        Position = end + 2;
    }

    /// <summary>OCaml comments nest, as they do for herd7.</summary>
    private void SkipOcamlComment()
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
                depth--;
                Position += 2;
                if (depth == 0) return;
            }
            else
            {
                Position++;
            }
        }
        diagnostics.Add(start, "unterminated comment: '(*' has no matching '*)'");
        EndsInsideComment = true;
    }
}
