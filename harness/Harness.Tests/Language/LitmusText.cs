using Harness.Language;
using NUnit.Framework;
using Harness.Programs;
using Harness.Language.Source;

namespace Harness.Tests.Language;

/// <summary>Builds litmus sources for the parser tests and runs the parser on them.</summary>
internal static class LitmusText
{
    public const string FileName = "test.litmus";

    /// <summary>The line of the first body line in <see cref="WithBody"/> sources.</summary>
    public const int FirstBodyLine = 4;

    /// <summary>
    /// A one-thread test whose body is <paramref name="body"/>, starting on line
    /// <see cref="FirstBodyLine"/>: line 1 is the name, 2 the initial state, 3 the thread header.
    /// </summary>
    public static string WithBody(string body, string parameters = "atomic_int* x, atomic_int* y", string condition = "exists (x=0)") =>
        $"C T\n{{ x=0; y=0; }}\nP0 ({parameters}) {{\n{body}\n}}\n{condition}\n";

    public static LitmusTest Parse(string text) => LitmusParser.Parse(text, FileName);

    /// <summary>The statements of the only thread of a <see cref="WithBody"/> test.</summary>
    public static IReadOnlyList<Statement> ParseBody(string body, string parameters = "atomic_int* x, atomic_int* y") =>
        Parse(WithBody(body, parameters)).Threads[0].Body;

    /// <summary>The value of <c>int r = ...;</c> for an expression over registers a, b, c and locations x, y.</summary>
    public static Expression ParseExpression(string expression)
    {
        var body = ParseBody($"int a = 1; int b = 2; int c = 3;\nint r = {expression};");
        return ((LocalDeclaration)body[^1]).Value!;
    }

    public static IReadOnlyList<Diagnostic> Errors(string text)
    {
        var exception = Assert.Throws<LitmusException>(() => LitmusParser.Parse(text, FileName))!;
        Assert.That(exception.Diagnostics, Is.Not.Empty);
        return exception.Diagnostics;
    }

    public static SourceSpan At(int line, int column) => new(FileName, line, column);

    /// <summary>Most diagnostics a parse reports before it gives up (the parser's DiagnosticBag.Limit).</summary>
    public const int DiagnosticLimit = 100;

    /// <summary>
    /// What is wrong with how the parser handled <paramref name="text"/>, or null when it either
    /// accepted the text or rejected it properly: a <see cref="LitmusException"/> with at least one
    /// and at most <see cref="DiagnosticLimit"/> diagnostics, each placed inside the text.
    /// </summary>
    public static string? ParseProblem(string text) => ParseOutcome(text).Problem;

    /// <summary>Whether the parser accepted <paramref name="text"/>, and the <see cref="ParseProblem"/> if any.</summary>
    public static (bool Accepted, string? Problem) ParseOutcome(string text)
    {
        try
        {
            LitmusParser.Parse(text, FileName);
            return (true, null);
        }
        catch (LitmusException exception)
        {
            var diagnostics = exception.Diagnostics;
            if (diagnostics.Count is 0 or > DiagnosticLimit) return (false, $"a LitmusException with {diagnostics.Count} diagnostics");
            var lines = LineCount(text);
            var misplaced = diagnostics.FirstOrDefault(diagnostic =>
                diagnostic.Span.File != FileName || diagnostic.Span.Line < 1 || diagnostic.Span.Line > lines
                || diagnostic.Span.Column < 1 || string.IsNullOrWhiteSpace(diagnostic.Message));
            return (false, misplaced is null ? null : $"a misplaced or empty diagnostic in a text of {lines} lines: {misplaced}");
        }
        catch (Exception exception)
        {
            return (false, exception.ToString());
        }
    }

    /// <summary>Lines as the parser counts them: ended by LF, CRLF or a lone CR.</summary>
    public static int LineCount(string text)
    {
        var lines = 1;
        for (var offset = 0; offset < text.Length; offset++)
        {
            var endsLine = text[offset] == '\n' || (text[offset] == '\r' && (offset + 1 == text.Length || text[offset + 1] != '\n'));
            if (endsLine) lines++;
        }
        return lines;
    }
}
