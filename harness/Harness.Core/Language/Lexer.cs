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
            else return;
        }
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
        if (IsIdentifierStart(first))
        {
            while (!AtEnd && IsIdentifierPart(Text[Position])) Position++;
            return new Token(TokenKind.Identifier, Text[start..Position], start, Position);
        }
        if (char.IsAsciiDigit(first))
        {
            // Take letters too ("0x1F", "12L"): the parser then says exactly what is wrong with the number.
            while (!AtEnd && IsIdentifierPart(Text[Position])) Position++;
            return new Token(TokenKind.Integer, Text[start..Position], start, Position);
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
        while (!AtEnd && !CanStartToken(Text[Position])) Position++;
        Diagnostics.Add(start, $"unexpected character {DescribeCharacter(first)}");
        return new Token(TokenKind.Invalid, Text[start..Position], start, Position);
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
