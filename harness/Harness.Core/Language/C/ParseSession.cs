using System.Diagnostics.CodeAnalysis;
using Harness.Programs;
using Harness.Language.Source;

namespace Harness.Language.C;

/// <summary>
/// One parse of one litmus file. The work is split over partial files by section of the test:
/// prologue and frame here, then the initial state, threads, expressions and final condition.
/// </summary>
/// <remarks>
/// <para>
/// Error handling has two levels. A problem that leaves the token stream understandable (an
/// unknown memory order, a location that is not a parameter) is only reported, and parsing goes
/// on. A syntax error is reported and then thrown as <see cref="SyntaxErrorException"/>, caught
/// where the parser can resynchronise (the next statement, initial value or thread).
/// </para>
/// <para>
/// Independent problems should all be reported, but one problem only once. Hence: at most one
/// diagnostic per position; complaints of meaning about a statement are withdrawn when the
/// statement turns out to be garbled; a ';' missing at the end of a line is assumed; names lost
/// to an error (a broken parameter list, a skipped declaration) are not then reported as unknown.
/// </para>
/// </remarks>
internal sealed partial class ParseSession
{
    /// <summary>Deepest nesting of blocks, parentheses and operators accepted; more is surely not a litmus test.</summary>
    private const int MaxNesting = 64;

    private readonly string text;
    private readonly SourceMap map;
    private readonly DiagnosticBag diagnostics;
    private readonly Lexer lexer;

    private List<Token> tokens = [];
    private int index;
    private int nesting;

    /// <summary>Every shared location, in first-mention order.</summary>
    private readonly List<string> locations = [];

    /// <summary>Threads by the number in their header, for the checks of register names made after them.</summary>
    private readonly Dictionary<int, ThreadScope> threadsByNumber = [];

    private readonly List<(StateKey Key, Token At)> registerInitialisations = [];

    /// <summary>
    /// Set when an error already explains why the text ends where it does (an unterminated
    /// comment, skipped junk): "found end of file" would then be a second report of one problem.
    /// </summary>
    private bool endOfFileExplained;

    /// <summary>
    /// Set when threads or parameters are missing or misnumbered because of an error: references
    /// to them (from the condition, or register initial values) are then not checked, as they
    /// would fail for that same reason.
    /// </summary>
    private bool threadsIncomplete;

    /// <summary>The thread whose body is being parsed; set for the whole of each body.</summary>
    private ThreadScope? currentThread;

    public ParseSession(string text, string fileName)
    {
        // A byte-order mark is not part of the test (File.ReadAllText drops it, but callers of Parse may not).
        var withoutMark = text.StartsWith('\uFEFF') ? text[1..] : text;
        // Old Mac files end lines with a bare CR. Read as LF (same length, so offsets stay), their
        // lines are counted as an editor shows them, and the line-oriented prologue still works.
        this.text = LoneCarriageReturnsAsLineFeeds(withoutMark);
        map = new SourceMap(fileName, this.text);
        diagnostics = new DiagnosticBag(map);
        lexer = new Lexer(this.text, diagnostics);
    }

    public LitmusTest Parse()
    {
        try
        {
            var test = ParseTest();
            if (test is not null) return test;
        }
        catch (ParseAbortedException)
        {
            // The reason is among the diagnostics.
        }
        throw new LitmusException(diagnostics.InSourceOrder());
    }

    /// <summary>Returns null only when a diagnostic explains why there is no test.</summary>
    private LitmusTest? ParseTest()
    {
        RejectBinaryContent();
        var prologue = ParsePrologue();
        tokens = lexer.Tokenize();
        endOfFileExplained |= lexer.EndsInsideComment;
        IReadOnlyList<InitialValue> initial = Current.Is("{") ? ParseInitialState() : [];
        var threads = ParseThreads();
        CheckRegisterInitialisations();
        var (extraLocations, condition) = ParseConditionSection();
        if (condition is null || !diagnostics.IsEmpty) return null;
        return new LitmusTest(
            prologue.Architecture, prologue.Name, prologue.Comment, prologue.Headers,
            initial, threads, condition, extraLocations, map.FileName)
        {
            Locations = locations,
        };
    }

    // ------------------------------------------------------------------ prologue

    private sealed record Prologue(
        string Architecture, string Name, string? Comment, IReadOnlyList<KeyValuePair<string, string>> Headers);

    private void RejectBinaryContent()
    {
        var nul = text.IndexOf('\0');
        if (nul >= 0) Abort(nul, "the file contains a NUL character: is it a binary file?");
    }

    /// <summary>
    /// Reads <c>C name</c>, the optional <c>"comment"</c> and diy7's <c>Key=Value</c> lines, up to the
    /// initial state. These parts are line-oriented (a name may contain almost anything), so they are
    /// read as raw text rather than tokens.
    /// </summary>
    private Prologue ParsePrologue()
    {
        lexer.SkipTrivia(ocamlComments: true);
        if (lexer.AtEnd) Abort(0, "expected a litmus test starting with 'C <test name>', found end of file");

        var architectureStart = lexer.Position;
        var architecture = lexer.TryReadIdentifier();
        if (architecture is null)
        {
            Abort(architectureStart,
                $"expected an architecture name such as 'C' at the start of the test, found {DescribeTextAt(architectureStart)}");
        }
        if (architecture != "C") Abort(architectureStart, $"architecture '{architecture}' is not supported by the C parser");

        lexer.SkipSpacesOnLine();
        var nameStart = lexer.Position;
        var name = lexer.ReadRestOfLine().Trim();
        if (name.Length == 0) diagnostics.Add(nameStart, "expected a test name after 'C' on the first line");

        string? comment = null;
        var headers = new List<KeyValuePair<string, string>>();
        var reportedUnexpectedLine = false;
        while (true)
        {
            lexer.SkipTrivia(ocamlComments: true);
            var lineStart = lexer.Position;
            if (lexer.Current is null or '{' or '~') break;
            if (lexer.Current == '"')
            {
                if (!lexer.TryReadQuoted(out var quoted)) Abort(lineStart, "unterminated comment string: '\"' has no matching '\"'");
                if (comment is null) comment = quoted;
                else diagnostics.Add(lineStart, "a test has at most one comment string");
                continue;
            }

            var key = lexer.TryReadIdentifier();
            if (key is not null && StartsFrameSection(key))
            {
                // No initial state: the frame starts right away.
                lexer.Position = lineStart;
                break;
            }
            lexer.SkipSpacesOnLine();
            if (key is not null && lexer.Current == '=')
            {
                lexer.Position++;
                headers.Add(new(key, lexer.ReadRestOfLine().Trim()));
                continue;
            }

            // Only the first odd line is reported: the following ones are most likely the same mistake.
            if (!reportedUnexpectedLine)
            {
                diagnostics.Add(lineStart,
                    $"expected a 'Key=Value' header line or the initial state '{{', found {DescribeTextAt(lineStart)}");
                reportedUnexpectedLine = true;
            }
            lexer.Position = lineStart;
            lexer.ReadRestOfLine();
            // The odd lines ran to the end: "found end of file" would only repeat that report.
            if (lexer.AtEnd) endOfFileExplained = true;
        }
        return new Prologue(architecture, name, comment, headers);
    }

    private static bool StartsFrameSection(string identifier) =>
        Lexer.IsThreadName(identifier) || Lexer.IsConditionKeyword(identifier);

    private string DescribeTextAt(int offset)
    {
        if (offset >= text.Length) return "end of file";
        var end = offset;
        while (end < text.Length && Lexer.IsIdentifierPart(text[end])) end++;
        if (end - offset > TextScanner.MaxTokenLength) return $"a word of {end - offset} characters";
        return end > offset ? $"'{text[offset..end]}'" : TextScanner.DescribeCharacterAt(text, offset);
    }

    // ------------------------------------------------------------------ tokens

    private Token Current => tokens[index];

    private Token Previous => tokens[Math.Max(0, index - 1)];

    /// <summary>The token <paramref name="ahead"/> places after the current one (the end of file past the end).</summary>
    private Token Peek(int ahead) => tokens[Math.Min(index + ahead, tokens.Count - 1)];

    private Token Advance()
    {
        var token = tokens[index];
        if (token.Kind != TokenKind.EndOfFile) index++;
        return token;
    }

    private bool Accept(string punctuator)
    {
        if (!Current.Is(punctuator)) return false;
        Advance();
        return true;
    }

    private Token Expect(string punctuator, string context)
    {
        if (Current.Is(punctuator)) return Advance();
        throw Fail(Current, $"expected '{punctuator}' {context}, found {Current.Describe()}");
    }

    private Token ExpectIdentifier(string what)
    {
        if (Current.Kind == TokenKind.Identifier) return Advance();
        throw Fail(Current, $"expected {what}, found {Current.Describe()}");
    }

    private SourceSpan SpanOf(Token token) => map.SpanAt(token.Start);

    private int LineOf(Token token) => map.SpanAt(token.Start).Line;

    /// <summary>
    /// True at the start of a part of the litmus frame (a thread header, the locations or filter
    /// clause, the final condition) or at the end of file: where recovery inside a part stops.
    /// </summary>
    private bool AtFrameSection()
    {
        var token = Current;
        if (token.Kind == TokenKind.EndOfFile) return true;
        if (token.Is("~")) return Peek(1).IsIdentifier("exists");
        if (token.Kind != TokenKind.Identifier) return false;
        if (Lexer.IsThreadName(token.Text)) return Peek(1).Is("(");
        return Lexer.IsConditionKeyword(token.Text);
    }

    private void SkipToNextFrameSection()
    {
        do Advance();
        while (!AtFrameSection() && !(Current.Kind == TokenKind.Identifier && Lexer.IsThreadName(Current.Text)));
    }

    // ------------------------------------------------------------------ diagnostics and nesting

    /// <summary>
    /// Reports a problem of meaning, such as an unknown name. In thread code it is withdrawn if
    /// its statement then turns out to be syntactically broken: in the garbled <c>i_int* y) {</c>,
    /// "unknown register 'i_int'" is only a symptom of the ')' that cannot be there.
    /// </summary>
    private void Report(Token at, string message) => Record(at.Start, at, message, retractable: true);

    /// <summary>Reports a problem of form, which is never withdrawn.</summary>
    private void ReportSyntax(Token at, string message) => Record(at.Start, at, message, retractable: false);

    /// <summary>Records a problem noticed at token <paramref name="found"/> and located at <paramref name="offset"/>.</summary>
    private void Record(int offset, Token found, string message, bool retractable)
    {
        // The lexer has already explained an invalid token; "found '@'" would only repeat it.
        if (found.Kind == TokenKind.Invalid) return;
        if (found.Kind == TokenKind.EndOfFile && endOfFileExplained) return;
        diagnostics.Add(offset, message, retractable);
    }

    /// <summary>Reports a syntax error and returns the exception that unwinds to the next recovery point.</summary>
    private SyntaxErrorException Fail(Token at, string message)
    {
        ReportSyntax(at, message);
        return new SyntaxErrorException();
    }

    [DoesNotReturn]
    private void Abort(int offset, string message)
    {
        diagnostics.Add(offset, message);
        throw new ParseAbortedException();
    }

    /// <summary>Guards every recursive descent, so that hostile input cannot overflow the stack.</summary>
    private void EnterNesting(Token at)
    {
        if (nesting >= MaxNesting) throw Fail(at, $"nesting is deeper than {MaxNesting} levels");
        nesting++;
    }

    private void LeaveNesting() => nesting--;

    // Plain loops rather than regular expressions: a one-file simulate is mostly start-up, and the first
    // regular expression costs it the System.Text.RegularExpressions assembly and its JIT warm-up.

    /// <summary>Every CR not followed by LF (regular expressions' <c>\r(?!\n)</c>) as LF; CRLF stays.</summary>
    internal static string LoneCarriageReturnsAsLineFeeds(string text)
    {
        if (!text.Contains('\r')) return text;
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
            if (chars[i] == '\r' && (i + 1 == chars.Length || chars[i + 1] != '\n')) chars[i] = '\n';
        return new string(chars);
    }

    private sealed class SyntaxErrorException : Exception;

    /// <summary>What is known about a thread while its body is parsed and after.</summary>
    private sealed class ThreadScope(string name, IReadOnlyList<Parameter> parameters)
    {
        public string Name { get; } = name;

        public IReadOnlyDictionary<string, Parameter> Parameters { get; } =
            parameters.DistinctBy(parameter => parameter.Name).ToDictionary(parameter => parameter.Name);

        /// <summary>Registers declared, assigned or initialised so far: those that may be read.</summary>
        public HashSet<string> KnownRegisters { get; } = [];

        public HashSet<string> DeclaredRegisters { get; } = [];

        public HashSet<string> ReportedUnknownLocations { get; } = [];

        /// <summary>Set when the parameter list was broken: locations are then not checked against it.</summary>
        public bool ParametersIncomplete { get; init; }
    }
}
