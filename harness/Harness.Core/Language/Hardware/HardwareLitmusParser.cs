using System.Text;
using Harness.Programs;
using Harness.Language.Source;
using Harness.Formatting;

namespace Harness.Language.Hardware;

/// <summary>
/// Reads hardware litmus tests in herd7's X86 (also X86_64) and AArch64 dialects: the frame
/// (header, initial state, thread table, <c>locations</c>, final condition) is shared, each
/// dialect translates its instructions. The result is a <see cref="LitmusTest"/> with no C
/// threads and its <see cref="LitmusTest.HardwareProgram"/> set.
/// </summary>
public static class HardwareLitmusParser
{
    /// <summary>The architecture words this parser reads.</summary>
    public static IReadOnlyList<string> Architectures { get; } = ["X86", "X86_64", "AArch64"];

    /// <summary>True when the first word of <paramref name="text"/> names an architecture this parser reads.</summary>
    public static bool Handles(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lexer = new AsmLexer(text.StartsWith('\uFEFF') ? text[1..] : text, new DiagnosticBag(new SourceMap("", "")));
        lexer.SkipTrivia();
        var word = lexer.TryReadIdentifier();
        return word is not null && Architectures.Contains(word);
    }

    /// <exception cref="LitmusException">with every problem found, in source order.</exception>
    public static LitmusTest Parse(string text, string fileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        return new HardwareParseSession(text, fileName).Parse();
    }

    public static LitmusTest ParseFile(string path) => Parse(File.ReadAllText(path, Encoding.UTF8), path);
}

/// <summary>One parse of one hardware litmus file.</summary>
internal sealed class HardwareParseSession
{
    private readonly string _text;
    private readonly SourceMap _map;
    private readonly DiagnosticBag _diagnostics;
    private readonly AsmLexer _lexer;
    private List<Token> _tokens = [];
    private int _index;
    private AsmDialect _dialect = null!;

    private readonly List<string> _locations = [];
    private readonly List<InitialValue> _initial = [];
    private readonly List<(int Thread, string Register, long Value, Token At)> _registerInits = [];
    private readonly Dictionary<string, long> _locationInits = [];
    private readonly List<ThreadCodeBuilder> _threads = [];

    public HardwareParseSession(string text, string fileName)
    {
        _text = text.StartsWith('\uFEFF') ? text[1..] : text;
        _map = new SourceMap(fileName, _text);
        _diagnostics = new DiagnosticBag(_map);
        _lexer = new AsmLexer(_text, _diagnostics);
    }

    private sealed class FrameErrorException : Exception;

    public LitmusTest Parse()
    {
        try
        {
            var test = ParseTest();
            if (test is not null && _diagnostics.IsEmpty) return test;
        }
        catch (FrameErrorException)
        {
        }
        catch (ParseAbortedException)
        {
        }
        throw new LitmusException(_diagnostics.InSourceOrder());
    }

    private LitmusTest? ParseTest()
    {
        if (_text.IndexOf('\0') is var nul and >= 0) Fail(nul, "the file contains a NUL character: is it a binary file?");
        var (architecture, name, comment, headers) = ParsePrologue();
        // Stray characters are reported by the lexer already; the instruction parsers read on as if they were not there.
        _tokens = _lexer.Tokenize().FindAll(token => token.Kind != TokenKind.Invalid);
        if (Current.Is("{")) ParseInitialState();
        ParseThreadTable();
        var extraLocations = new List<StateKey>();
        var conditionReader = new HardwareConditionReader(this);
        while (Current.IsIdentifier("locations") || Current.IsIdentifier("filter"))
        {
            if (Current.IsIdentifier("filter")) throw Fail(Current.Start, "'filter' clauses are not supported");
            conditionReader.ReadLocationsClause(extraLocations);
        }
        var condition = conditionReader.ReadFinalCondition(_text);
        if (!_diagnostics.IsEmpty) return null;

        var test = new LitmusTest(architecture, name, comment, headers, _initial, [], condition, extraLocations, _map.FileName)
        {
            Locations = _locations,
        };
        var initialRegisters = _threads.Select(_ => new Dictionary<int, long>()).ToList();
        foreach (var (thread, register, value, _) in _registerInits)
            initialRegisters[thread][_threads[thread].Register(register)] = value;
        var program = new EventProgram(
            name, _dialect.Level, _locations,
            _locations.Select(l => _locationInits.GetValueOrDefault(l)).ToList(),
            _threads.Select(t => new ProgramThread(t.ThreadId, t.Code.ToList(), t.Registers.ToList())).ToList(),
            initialRegisters.Select(d => (IReadOnlyDictionary<int, long>)d).ToList(),
            Lowering.ObservedKeys(test));
        return test with { HardwareProgram = program };
    }

    // ------------------------------------------------------------------ prologue

    private (string Architecture, string Name, string? Comment, List<KeyValuePair<string, string>> Headers) ParsePrologue()
    {
        _lexer.SkipTrivia();
        var start = _lexer.Position;
        var architecture = _lexer.TryReadIdentifier();
        _dialect = architecture switch
        {
            "X86" => new X86Dialect(is64Bit: false),
            "X86_64" => new X86Dialect(is64Bit: true),
            "AArch64" => new AArch64Dialect(),
            null => Fail<AsmDialect>(start, "expected an architecture name such as 'X86' or 'AArch64' at the start of the test"),
            _ => Fail<AsmDialect>(start, $"architecture '{architecture}' is not supported (expected X86, X86_64 or AArch64)"),
        };
        _lexer.SkipSpacesOnLine();
        var nameStart = _lexer.Position;
        var name = _lexer.ReadRestOfLine().Trim();
        if (name.Length == 0) Fail(nameStart, $"expected a test name after '{architecture}' on the first line");

        string? comment = null;
        var headers = new List<KeyValuePair<string, string>>();
        while (true)
        {
            _lexer.SkipTrivia();
            var lineStart = _lexer.Position;
            if (_lexer.Current is null) Fail(lineStart, "expected the initial state '{' or the thread table, found end of file");
            if (_lexer.Current == '{') break;
            if (_lexer.Current == '"')
            {
                if (!_lexer.TryReadQuoted(out var quoted)) Fail(lineStart, "unterminated comment string: '\"' has no matching '\"'");
                if (comment is null) comment = quoted;
                else Fail(lineStart, "a test has at most one comment string");
                continue;
            }
            var key = _lexer.TryReadIdentifier();
            if (key is not null && IsThreadName(key))
            {
                _lexer.Position = lineStart;
                break;
            }
            _lexer.SkipSpacesOnLine();
            if (key is not null && _lexer.Current == '=')
            {
                _lexer.Position++;
                headers.Add(new(key, _lexer.ReadRestOfLine().Trim()));
                continue;
            }
            Fail(lineStart, $"expected a 'Key=Value' header line or the initial state '{{', found {DescribeTextAt(lineStart)}");
        }
        return (architecture!, name, comment, headers);
    }

    private static bool IsThreadName(string word) =>
        word.Length > 1 && word[0] == 'P' && word.AsSpan(1).IndexOfAnyExceptInRange('0', '9') < 0;

    private string DescribeTextAt(int offset)
    {
        if (offset >= _text.Length) return "end of file";
        var end = offset;
        while (end < _text.Length && TextScanner.IsIdentifierPart(_text[end])) end++;
        return end > offset ? $"'{_text[offset..end]}'" : TextScanner.DescribeCharacter(_text[offset]);
    }

    // ------------------------------------------------------------------ tokens and errors

    private Token Current => _tokens[_index];

    private Token Peek(int ahead) => _tokens[Math.Min(_index + ahead, _tokens.Count - 1)];

    private Token Advance()
    {
        var token = _tokens[_index];
        if (token.Kind != TokenKind.EndOfFile) _index++;
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
        throw Fail(Current.Start, $"expected '{punctuator}' {context}, found {Current.Describe()}");
    }

    private FrameErrorException Fail(int offset, string message)
    {
        if (!(_lexer.EndsInsideComment && offset >= _text.Length)) _diagnostics.Add(offset, message);
        throw new FrameErrorException();
    }

    private T Fail<T>(int offset, string message) => throw Fail(offset, message);

    private int Location(string name)
    {
        var index = _locations.IndexOf(name);
        if (index >= 0) return index;
        _locations.Add(name);
        return _locations.Count - 1;
    }

    private long ParseNumber(Token token, bool negative)
    {
        if (token.Kind != TokenKind.Integer || !TextScanner.TryParseNumber(token.Text, out var value))
            throw Fail(token.Start, $"expected an integer, found {token.Describe()}");
        return negative ? -value : value;
    }

    // ------------------------------------------------------------------ initial state

    /// <summary>
    /// <c>{ x=0; int y=1; uint64_t z; [w]=2; 0:X1=x; 0:EAX=0; }</c>: locations get values, registers
    /// get values or locations' addresses.
    /// </summary>
    private void ParseInitialState()
    {
        Expect("{", "to open the initial state");
        while (!Accept("}"))
        {
            if (Current.Kind == TokenKind.EndOfFile) throw Fail(Current.Start, "expected '}' to close the initial state, found end of file");
            if (Accept(";")) continue;
            ParseInitialEntry();
            if (!Current.Is("}")) Expect(";", "after an initial value");
        }
    }

    private void ParseInitialEntry()
    {
        var start = Current;
        if (start.Kind == TokenKind.Integer && Peek(1).Is(":"))
        {
            var thread = (int)Math.Min(ParseNumber(Advance(), false), int.MaxValue);
            Advance();
            var registerToken = Current;
            if (registerToken.Kind != TokenKind.Identifier) throw Fail(registerToken.Start, $"expected a register name after '{start.Text}:', found {registerToken.Describe()}");
            Advance();
            var register = _dialect.CanonicalRegister(registerToken.Text)
                ?? throw Fail(registerToken.Start, $"'{registerToken.Text}' is not a register of {DialectName}");
            Expect("=", $"after '{start.Text}:{registerToken.Text}'");
            var (value, _) = ParseInitialValue();
            _registerInits.Add((thread, register, value, start));
            _initial.Add(new InitialValue(StateKey.Register(thread, register), value, null, SpanOf(start)));
            return;
        }

        string name;
        string? type = null;
        if (Accept("["))
        {
            name = ExpectWord("a location name after '['").Text;
            Expect("]", $"after '[{name}'");
        }
        else
        {
            var words = new List<Token>();
            while (Current.Kind == TokenKind.Identifier || Current.Is("*"))
            {
                var t = Advance();
                if (t.Kind == TokenKind.Identifier) words.Add(t);
            }
            if (words.Count == 0) throw Fail(Current.Start, $"expected a location or 'thread:register' in the initial state, found {Current.Describe()}");
            name = words[^1].Text;
            if (words.Count > 1) type = string.Join(" ", words.Take(words.Count - 1).Select(w => w.Text));
            if (_dialect.CanonicalRegister(name) is not null && type is null)
                throw Fail(words[^1].Start, $"register '{name}' needs a thread, as in '0:{name}'");
        }
        Location(name);
        long initial = 0;
        if (Accept("="))
        {
            var (value, _) = ParseInitialValue();
            initial = value;
        }
        _locationInits[name] = initial;
        _initial.Add(new InitialValue(StateKey.Location(name), initial, type, SpanOf(start)));
    }

    /// <summary>A number, or a location name standing for its address.</summary>
    private (long Value, string? Location) ParseInitialValue()
    {
        var negative = Accept("-");
        var token = Advance();
        if (token.Kind == TokenKind.Identifier && !negative)
        {
            if (_dialect.CanonicalRegister(token.Text) is not null)
                throw Fail(token.Start, $"expected a value or a location, found register '{token.Text}'");
            return (EventProgram.AddressOf(Location(token.Text)), token.Text);
        }
        return (ParseNumber(token, negative), null);
    }

    private Token ExpectWord(string what)
    {
        if (Current.Kind == TokenKind.Identifier) return Advance();
        throw Fail(Current.Start, $"expected {what}, found {Current.Describe()}");
    }

    private SourceSpan SpanOf(Token token) => _map.SpanAt(token.Start);

    private string DialectName => _dialect.Level == ProgramLevel.X64 ? "X86" : "AArch64";

    // ------------------------------------------------------------------ thread table

    private bool AtConditionSection =>
        Current.Kind == TokenKind.EndOfFile
        || Current.IsIdentifier("exists") || Current.IsIdentifier("forall") || Current.IsIdentifier("locations") || Current.IsIdentifier("filter")
        || (Current.Is("~") && Peek(1).IsIdentifier("exists"));

    /// <summary><c>P0 | P1 ;</c> then rows of cells separated by '|' and ended by ';'.</summary>
    private void ParseThreadTable()
    {
        var headerTokens = new List<Token>();
        while (true)
        {
            var t = Current;
            if (t.Kind != TokenKind.Identifier || !IsThreadName(t.Text))
                throw Fail(t.Start, $"expected a thread name such as 'P{headerTokens.Count}' in the table header, found {t.Describe()}");
            if (t.Text != $"P{headerTokens.Count}")
                throw Fail(t.Start, $"expected thread 'P{headerTokens.Count}' here (threads are numbered from P0 in order), found '{t.Text}'");
            headerTokens.Add(Advance());
            if (Accept(";")) break;
            Expect("|", "between thread names");
        }
        for (var id = 0; id < headerTokens.Count; id++)
            _threads.Add(new ThreadCodeBuilder(id, Location));
        foreach (var (thread, _, _, at) in _registerInits)
            if (thread >= _threads.Count)
                throw Fail(at.Start, $"the initial state gives a register of thread P{thread}, which does not exist");

        var columns = _threads.Select(_ => new List<List<Token>>()).ToList();
        while (!AtConditionSection)
        {
            var cells = new List<List<Token>> { new() };
            var separators = new List<Token>();
            while (true)
            {
                if (AtConditionSection)
                    throw Fail(Current.Start, $"expected ';' to end the row of the thread table, found {Current.Describe()}");
                var t = Advance();
                if (t.Is(";")) break;
                if (t.Is("|"))
                {
                    separators.Add(t);
                    cells.Add([]);
                }
                else cells[^1].Add(t);
            }
            if (cells.Count > _threads.Count)
                throw Fail(separators[_threads.Count - 1].Start, $"this row has more than the {Counted.Of(_threads.Count, "column")} of the table header");
            for (var c = 0; c < cells.Count; c++) columns[c].Add(cells[c]);
        }

        for (var id = 0; id < _threads.Count; id++) TranslateThread(_threads[id], columns[id]);
    }

    private void TranslateThread(ThreadCodeBuilder b, List<List<Token>> lines)
    {
        foreach (var line in lines)
        {
            try
            {
                var i = 0;
                while (i + 1 < line.Count && line[i].Kind == TokenKind.Identifier && line[i + 1].Is(":"))
                {
                    b.DefineLabel(line[i]);
                    i += 2;
                }
                if (i >= line.Count) continue;
                if (line[i].Kind != TokenKind.Identifier)
                    throw new AsmErrorException(line[i].Start, $"expected an instruction, found {line[i].Describe()}");
                _dialect.Emit(b, new AsmInstruction(line[i], line.Skip(i + 1).ToList()));
            }
            catch (AsmErrorException e)
            {
                _diagnostics.Add(e.Offset, e.Message);
            }
        }
        var undefined = b.ResolveJumps().ToList();
        foreach (var label in undefined)
            _diagnostics.Add(label.Start, $"label '{label.Text}' is not defined in P{b.ThreadId}");
    }

    // ------------------------------------------------------------------ locations and condition

    /// <summary>The shared condition grammar over this parser's tokens, with the dialect's registers.</summary>
    private sealed class HardwareConditionReader(HardwareParseSession parser) : ConditionReader
    {
        protected override Token Current => parser.Current;

        protected override Token Peek(int ahead) => parser.Peek(ahead);

        protected override Token Advance() => parser.Advance();

        protected override Exception Fail(Token at, string message) => parser.Fail(at.Start, message);

        protected override StateKey ReadStateKey(string context) => parser.ParseStateKey(context);

        protected override long ReadValue(Token literal, bool negative) => parser.ParseNumber(literal, negative);

        protected override SourceSpan SpanOf(Token token) => parser.SpanOf(token);
    }

    /// <summary><c>1:X0</c> (printed as herd does: <c>1:W0</c> is <c>1:X0</c>), <c>x</c> or <c>[x]</c>.</summary>
    private StateKey ParseStateKey(string context)
    {
        var start = Current;
        if (start.Kind == TokenKind.Integer && Peek(1).Is(":"))
        {
            var threadNumber = ParseNumber(Advance(), false);
            Advance();
            var registerToken = ExpectWord($"a register name after '{start.Text}:'");
            var register = _dialect.CanonicalRegister(registerToken.Text)
                ?? throw Fail(registerToken.Start, $"'{registerToken.Text}' is not a register of {DialectName}");
            if (threadNumber >= _threads.Count)
                throw Fail(start.Start, $"'{start.Text}:{registerToken.Text}' refers to thread P{start.Text}, which does not exist");
            return StateKey.Register((int)threadNumber, register);
        }
        if (Accept("["))
        {
            var name = ExpectWord("a location name after '['");
            Expect("]", $"after '[{name.Text}'");
            Location(name.Text);
            return StateKey.Location(name.Text);
        }
        if (start.Kind == TokenKind.Identifier)
        {
            Advance();
            if (_dialect.CanonicalRegister(start.Text) is not null)
                throw Fail(start.Start, $"register '{start.Text}' needs a thread, as in '0:{start.Text}'");
            Location(start.Text);
            return StateKey.Location(start.Text);
        }
        throw Fail(start.Start, $"expected a register such as '1:{(_dialect.Level == ProgramLevel.X64 ? "EAX" : "X0")}' or a location such as 'x' {context}, found {start.Describe()}");
    }
}
