using System.Globalization;
using Harness.Language.Source;

namespace Harness.Language.C;

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
    private static readonly string[] CPunctuators =
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

    protected override IReadOnlyList<string> Punctuators => CPunctuators;

    protected override void SkipTokenTrivia() => SkipTrivia(ocamlComments: threadBodyDepth == 0);

    /// <summary>
    /// C constructs that start with a character the dialect does not use. Whole constructs are
    /// skipped (a directive to the end of its line, a quoted constant to its closing quote), so
    /// that one construct gives one report; null for other characters.
    /// </summary>
    protected override string? TrySkipUnsupportedConstruct(char first)
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
    protected override void Saw(Token token)
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

    private static bool IsWhiteSpace(char c) => c is ' ' or '\t' or '\r' or '\n' or '\f' or '\v';


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
