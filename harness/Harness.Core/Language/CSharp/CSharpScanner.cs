using Harness.Language.Source;

namespace Harness.Language.CSharp;

/// <summary>
/// The frame of a C# litmus test, read with the shared lexer core: the name line, the quoted
/// comment and the herd condition. The C# inside the initial state and the thread blocks is
/// left to Roslyn; this scanner only skips the trivia between them.
/// </summary>
internal sealed class CSharpScanner(string text, DiagnosticBag diagnostics) : TextScanner(text, diagnostics)
{
    private static readonly string[] ConditionPunctuators =
    [
        "/\\", "\\/", "=>", "==", "{", "}", "(", ")", "[", "]", ";", ",", ":", "-", "~", "=",
    ];

    protected override IReadOnlyList<string> Punctuators => ConditionPunctuators;

    protected override void SkipTokenTrivia() => SkipTrivia();

    /// <summary>White space, C# comments, and herd's OCaml comments (a herd file may open with one).</summary>
    public void SkipTrivia()
    {
        while (!AtEnd)
        {
            if (char.IsWhiteSpace(Text[Position])) Position++;
            else if (LooksAt("//")) SkipLineComment();
            else if (LooksAt("/*")) SkipBlockComment();
            else if (LooksAt("(*")) SkipOcamlComment();
            else return;
        }
    }

    private void SkipBlockComment()
    {
        var start = Position;
        var end = Text.IndexOf("*/", Position + 2, StringComparison.Ordinal);
        if (end >= 0)
        {
            Position = end + 2;
            return;
        }
        Diagnostics.Add(start, "unterminated comment: '/*' has no matching '*/'");
        Position = Text.Length;
        EndsInsideComment = true;
    }
}
