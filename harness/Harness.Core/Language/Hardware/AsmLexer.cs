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
internal sealed class AsmLexer(string text, DiagnosticBag diagnostics) : TextScanner(text, diagnostics)
{
    // Longest first.
    private static readonly string[] Punctuators =
    [
        "/\\", "\\/", "=>", "==",
        "{", "}", "[", "]", "(", ")", ";", ",", ":", "|", "=", "$", "#", "!", "~", "+", "-", "*", "&", "%",
    ];





    public static bool IsWordStart(char c) => IsIdentifierStart(c);

    public static bool IsWordPart(char c) => IsIdentifierPart(c);

    // ------------------------------------------------------------------ raw reading (prologue)

    public void SkipTrivia()
    {
        while (!AtEnd)
        {
            var c = Text[Position];
            if (char.IsWhiteSpace(c)) Position++;
            else if (LooksAt("(*")) SkipOcamlComment();
            else if (LooksAt("//")) SkipLineComment();
            else return;
        }
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
                tokens.Add(new AsmToken(AsmTokenKind.EndOfFile, "", Text.Length, Text.Length));
                return tokens;
            }
            if (NextToken() is { } token) tokens.Add(token);
        }
    }

    private AsmToken? NextToken()
    {
        var start = Position;
        var first = Text[Position];
        if (IsWordStart(first))
        {
            Position++;
            while (!AtEnd && (IsWordPart(Text[Position])
                   || (Text[Position] == '.' && Position + 1 < Text.Length && IsWordPart(Text[Position + 1]))))
                Position++;
            return new AsmToken(AsmTokenKind.Word, Text[start..Position], start, Position);
        }
        if (char.IsAsciiDigit(first))
        {
            while (!AtEnd && IsWordPart(Text[Position])) Position++;
            return new AsmToken(AsmTokenKind.Number, Text[start..Position], start, Position);
        }
        foreach (var punctuator in Punctuators)
        {
            if (!LooksAt(punctuator)) continue;
            Position += punctuator.Length;
            return new AsmToken(AsmTokenKind.Punctuator, punctuator, start, Position);
        }
        Position++;
        while (!AtEnd && !CanStartToken(Text[Position])) Position++;
        Diagnostics.Add(start, $"unexpected character {Lexer.DescribeCharacter(first)}");
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



}
