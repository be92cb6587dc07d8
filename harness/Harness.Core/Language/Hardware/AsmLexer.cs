using Harness.Language.Source;

namespace Harness.Language.Hardware;

/// <summary>
/// The hardware dialects' (X86, AArch64) view of the shared lexer core. herd7 reads these files
/// with an OCaml-style lexer: <c>(* ... *)</c> comments nest; <c>#</c> and <c>$</c> introduce
/// immediates, so they are tokens here, not comments; a dot may join two words (<c>B.EQ</c>).
/// </summary>
internal sealed class AsmLexer(string text, DiagnosticBag diagnostics) : TextScanner(text, diagnostics)
{
    private static readonly string[] AsmPunctuators =
    [
        "/\\", "\\/", "=>", "==",
        "{", "}", "[", "]", "(", ")", ";", ",", ":", "|", "=", "$", "#", "!", "~", "+", "-", "*", "&", "%",
    ];

    protected override IReadOnlyList<string> Punctuators => AsmPunctuators;

    protected override void SkipTokenTrivia() => SkipTrivia();

    protected override bool ContinuesWord(int position) =>
        IsIdentifierPart(Text[position])
        || (Text[position] == '.' && position + 1 < Text.Length && IsIdentifierPart(Text[position + 1]));

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
}
