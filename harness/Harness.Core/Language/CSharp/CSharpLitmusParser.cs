using System.Text;
using System.Text.RegularExpressions;
using Harness.Language.Source;
using Harness.Programs;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Harness.Language.CSharp;

/// <summary>
/// Reads litmus tests written in C#: <c>CSharp NAME</c>, an optional quoted comment, an initial
/// state of field declarations (<c>{ int x = 0; volatile int y; int[] a = { 0, 0 }; }</c>),
/// thread blocks <c>P0 { ... }</c> of C# statements, and a herd condition. The frame is read with
/// the shared lexer core; the declarations and statements with Roslyn's parser, whose positions
/// are mapped back to the file. The result is the AST every dialect shares, its accesses naming
/// the .NET primitive the test wrote.
/// </summary>
public static class CSharpLitmusParser
{
    /// <summary>True when the first word of <paramref name="text"/> is <c>CSharp</c>.</summary>
    public static bool Handles(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var scanner = new CSharpScanner(text.StartsWith('\uFEFF') ? text[1..] : text, new DiagnosticBag(new SourceMap("", "")));
        scanner.SkipTrivia();
        return scanner.TryReadIdentifier() == LitmusTest.CSharpArchitecture;
    }

    /// <exception cref="LitmusException">with every problem found, in source order.</exception>
    public static LitmusTest Parse(string text, string fileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        return new CSharpParseSession(text, fileName).Parse();
    }

    public static LitmusTest ParseFile(string path) => Parse(File.ReadAllText(path, Encoding.UTF8), path);
}

/// <summary>A field of the initial state: a scalar location, or an array whose elements are consecutive locations <c>a[0]</c>, <c>a[1]</c>, ...</summary>
internal sealed record SharedField(string Name, string Type, bool IsVolatile, int? Length, int Offset)
{
    public bool IsArray => Length is not null;

    public static string ElementName(string array, long index) => $"{array}[{index}]";
}

/// <summary>One parse of one C# litmus file.</summary>
internal sealed partial class CSharpParseSession
{
    /// <summary>The most elements an array of the initial state may have: each element is a location the simulator enumerates.</summary>
    public const int MaxArrayLength = 16;

    internal static readonly CSharpParseOptions RoslynOptions = new(LanguageVersion.Latest);

    private readonly string _text;
    private readonly SourceMap _map;
    private readonly DiagnosticBag _diagnostics;
    private readonly CSharpScanner _scanner;

    private readonly Dictionary<string, SharedField> _fields = new(StringComparer.Ordinal);
    private readonly List<string> _locations = [];
    private readonly List<InitialValue> _initial = [];
    private readonly List<ThreadCode> _threads = [];
    private readonly List<IReadOnlySet<string>> _threadLocals = [];

    /// <summary>Set when a thread could not be read: the condition's registers are then not checked against it.</summary>
    private bool _threadsIncomplete;

    public CSharpParseSession(string text, string fileName)
    {
        var withoutMark = text.StartsWith('\uFEFF') ? text[1..] : text;
        // Old Mac line ends: same length, so Roslyn's offsets and ours stay equal.
        _text = withoutMark.Replace('\r', '\n');
        _map = new SourceMap(fileName, _text);
        _diagnostics = new DiagnosticBag(_map);
        _scanner = new CSharpScanner(_text, _diagnostics);
    }

    /// <summary>Stops the frame's parse; the reason is among the diagnostics.</summary>
    private sealed class FrameErrorException : Exception;

    public LitmusTest Parse()
    {
        try
        {
            var test = ParseTest();
            if (_diagnostics.IsEmpty) return test;
        }
        catch (FrameErrorException)
        {
        }
        catch (ParseAbortedException)
        {
        }
        throw new LitmusException(_diagnostics.InSourceOrder());
    }

    private FrameErrorException Fail(int offset, string message)
    {
        if (!(_scanner.EndsInsideComment && offset >= _text.Length)) _diagnostics.Add(offset, message);
        return new FrameErrorException();
    }

    internal void Report(int offset, string message) => _diagnostics.Add(offset, message);

    internal SourceSpan SpanAt(int offset) => _map.SpanAt(offset);

    private LitmusTest ParseTest()
    {
        if (_text.IndexOf('\0') is var nul and >= 0) throw Fail(nul, "the file contains a NUL character: is it a binary file?");
        var (name, comment, headers) = ParsePrologue();
        _scanner.SkipTrivia();
        if (_scanner.Current == '{') ParseInitialState();
        ParseThreads();
        var tokens = _scanner.Tokenize();
        var condition = new CSharpConditionReader(this, tokens);
        var extra = new List<StateKey>();
        while (tokens[condition.Index].IsIdentifier("locations")) condition.ReadLocationsClause(extra);
        if (tokens[condition.Index].IsIdentifier("filter")) throw Fail(tokens[condition.Index].Start, "'filter' clauses are not supported");
        var final = condition.ReadFinalCondition(_text);
        return new LitmusTest(LitmusTest.CSharpArchitecture, name, comment, headers, _initial, _threads, final, extra, _map.FileName)
        {
            Locations = _locations,
        };
    }

    // ------------------------------------------------------------------ prologue

    private (string Name, string? Comment, List<KeyValuePair<string, string>> Headers) ParsePrologue()
    {
        _scanner.SkipTrivia();
        var start = _scanner.Position;
        var architecture = _scanner.TryReadIdentifier();
        if (architecture != LitmusTest.CSharpArchitecture)
            throw Fail(start, $"expected 'CSharp <test name>' at the start of the test, found {DescribeTextAt(start)}");
        _scanner.SkipSpacesOnLine();
        var nameStart = _scanner.Position;
        var name = _scanner.ReadRestOfLine().Trim();
        if (name.Length == 0) throw Fail(nameStart, "expected a test name after 'CSharp' on the first line");

        string? comment = null;
        var headers = new List<KeyValuePair<string, string>>();
        while (true)
        {
            _scanner.SkipTrivia();
            var lineStart = _scanner.Position;
            if (_scanner.Current is null) throw Fail(lineStart, "expected the initial state '{' or a thread 'P0 { ... }', found end of file");
            if (_scanner.Current == '{') break;
            if (_scanner.Current == '"')
            {
                if (!_scanner.TryReadQuoted(out var quoted)) throw Fail(lineStart, "unterminated comment string: '\"' has no matching '\"'");
                if (comment is not null) throw Fail(lineStart, "a test has at most one comment string");
                comment = quoted;
                continue;
            }
            var key = _scanner.TryReadIdentifier();
            if (key is not null && IsThreadName(key))
            {
                _scanner.Position = lineStart;
                break;
            }
            _scanner.SkipSpacesOnLine();
            if (key is not null && _scanner.Current == '=')
            {
                _scanner.Position++;
                headers.Add(new(key, _scanner.ReadRestOfLine().Trim()));
                continue;
            }
            throw Fail(lineStart, $"expected a 'Key=Value' header line or the initial state '{{', found {DescribeTextAt(lineStart)}");
        }
        return (name, comment, headers);
    }

    internal static bool IsThreadName(string word) =>
        word.Length > 1 && word[0] == 'P' && word.AsSpan(1).IndexOfAnyExceptInRange('0', '9') < 0;

    private string DescribeTextAt(int offset)
    {
        if (offset >= _text.Length) return "end of file";
        var end = offset;
        while (end < _text.Length && TextScanner.IsIdentifierPart(_text[end])) end++;
        if (end - offset > TextScanner.MaxTokenLength) return $"a word of {end - offset} characters";
        return end > offset ? $"'{_text[offset..end]}'" : TextScanner.DescribeCharacterAt(_text, offset);
    }

    // ------------------------------------------------------------------ Roslyn

    /// <summary>
    /// Reports the first of Roslyn's syntax errors in <paramref name="node"/> (parsed at
    /// <paramref name="origin"/>); true when there was one. Only the first: Roslyn's recovery
    /// makes the later ones consequences of it as often as not.
    /// </summary>
    private bool ReportSyntaxErrors(SyntaxNode node, int origin)
    {
        var error = node.GetDiagnostics().FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error);
        if (error is null) return false;
        Report(origin + error.Location.SourceSpan.Start, $"C# syntax: {error.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}");
        return true;
    }

    // ------------------------------------------------------------------ initial state

    /// <summary><c>{ int x = 0; volatile int y; long z = 5; int[] a = { 0, 0 }; }</c>: fields, read by Roslyn one member at a time.</summary>
    private void ParseInitialState()
    {
        var open = _scanner.Position;
        _scanner.Position++;
        while (true)
        {
            _scanner.SkipTrivia();
            if (_scanner.AtEnd) throw Fail(open, "the initial state's '{' has no matching '}'");
            if (_scanner.Current == '}')
            {
                _scanner.Position++;
                return;
            }
            var origin = _scanner.Position;
            var member = SyntaxFactory.ParseMemberDeclaration(_text, origin, RoslynOptions, consumeFullText: false);
            if (member is null || member.FullSpan.Length == 0)
                throw Fail(origin, $"expected a field declaration such as 'int x = 0;' in the initial state, found {DescribeTextAt(origin)}");
            _scanner.Position = origin + member.FullSpan.End;
            // Roslyn's recovery may have read past the initial state's '}': what follows cannot be trusted.
            if (ReportSyntaxErrors(member, origin)) throw new FrameErrorException();
            if (member is not FieldDeclarationSyntax field)
            {
                Report(origin + member.SpanStart, "the initial state holds field declarations only, such as 'int x = 0;', 'volatile int y;' or 'int[] a = { 0, 0 };'");
                continue;
            }
            DeclareFields(field, origin);
        }
    }

    private void DeclareFields(FieldDeclarationSyntax field, int origin)
    {
        var isVolatile = false;
        foreach (var modifier in field.Modifiers)
        {
            if (modifier.IsKind(SyntaxKind.VolatileKeyword)) isVolatile = true;
            else if (!modifier.IsKind(SyntaxKind.StaticKeyword))
                Report(origin + modifier.SpanStart, $"modifier '{modifier.Text}' has no meaning in a litmus test: a field may be 'volatile', nothing else");
        }
        foreach (var attributes in field.AttributeLists)
            Report(origin + attributes.SpanStart, "attributes have no meaning in a litmus test");

        var typeSyntax = field.Declaration.Type;
        var (elementType, isArray) = typeSyntax switch
        {
            PredefinedTypeSyntax p => (p.Keyword.Text, false),
            ArrayTypeSyntax { ElementType: PredefinedTypeSyntax e, RankSpecifiers.Count: 1 } a when a.RankSpecifiers[0].Rank == 1 => (e.Keyword.Text, true),
            _ => ("", false),
        };
        if (elementType is not ("int" or "long"))
        {
            Report(origin + typeSyntax.SpanStart, $"a field of a litmus test is an 'int', a 'long' or an 'int[]', not '{typeSyntax}'");
            return;
        }
        if (isVolatile && elementType == "long")
        {
            Report(origin + typeSyntax.SpanStart, "C# has no volatile 'long' field: use 'Volatile.Read(ref f)' and 'Volatile.Write(ref f, v)' on a plain 'long'");
            return;
        }
        if (isVolatile && isArray)
        {
            Report(origin + typeSyntax.SpanStart, "'volatile' on an array makes the reference volatile, not its elements: use 'Volatile.Read(ref a[i])' and 'Volatile.Write(ref a[i], v)'");
            return;
        }

        foreach (var variable in field.Declaration.Variables)
        {
            var at = origin + variable.Identifier.SpanStart;
            var name = variable.Identifier.ValueText;
            if (variable.ArgumentList is not null)
            {
                Report(origin + variable.ArgumentList.SpanStart, $"declare an array as 'int[] {name} = {{ 0, 0 }};'");
                continue;
            }
            if (_fields.ContainsKey(name))
            {
                Report(at, $"field '{name}' is declared twice");
                continue;
            }
            var type = (isVolatile ? "volatile " : "") + elementType + (isArray ? "[]" : "");
            if (!isArray)
            {
                var value = variable.Initializer is { } init ? ConstantOf(init.Value, origin) : 0;
                if (value is null) continue;
                _fields[name] = new SharedField(name, type, isVolatile, null, _locations.Count);
                _locations.Add(name);
                _initial.Add(new InitialValue(StateKey.Location(name), value.Value, type, _map.SpanAt(at)));
                continue;
            }
            var elements = ArrayElements(name, variable, origin);
            if (elements is null) continue;
            if (elements.Count is 0 or > MaxArrayLength)
            {
                Report(at, $"array '{name}' has {elements.Count} elements: a litmus test's array has 1 to {MaxArrayLength}");
                continue;
            }
            _fields[name] = new SharedField(name, type, false, elements.Count, _locations.Count);
            for (var i = 0; i < elements.Count; i++)
            {
                var element = SharedField.ElementName(name, i);
                _locations.Add(element);
                _initial.Add(new InitialValue(StateKey.Location(element), elements[i], elementType, _map.SpanAt(at)));
            }
        }
    }

    /// <summary><c>{ 0, 1 }</c>, <c>new int[] { 0, 1 }</c>, <c>new[] { 0, 1 }</c> or <c>new int[2]</c>.</summary>
    private List<long>? ArrayElements(string name, VariableDeclaratorSyntax variable, int origin)
    {
        var initializer = variable.Initializer?.Value;
        InitializerExpressionSyntax? list = initializer switch
        {
            InitializerExpressionSyntax i => i,
            ArrayCreationExpressionSyntax { Initializer: { } i } => i,
            ImplicitArrayCreationExpressionSyntax { Initializer: var i } => i,
            _ => null,
        };
        if (list is not null)
        {
            var values = new List<long>();
            foreach (var expression in list.Expressions)
            {
                if (ConstantOf(expression, origin) is not { } value) return null;
                values.Add(value);
            }
            return values;
        }
        if (initializer is ArrayCreationExpressionSyntax { Type.RankSpecifiers: [{ Sizes: [var size] }] }
            && ConstantOf(size, origin) is { } length)
            return length is >= 0 and <= MaxArrayLength + 1 ? Enumerable.Repeat(0L, (int)length).ToList() : [.. new long[MaxArrayLength + 1]];
        Report(origin + (initializer?.SpanStart ?? variable.Identifier.SpanStart),
            $"give array '{name}' its elements, as in 'int[] {name} = {{ 0, 0 }};' or 'int[] {name} = new int[2];'");
        return null;
    }

    /// <summary>An integer literal, possibly negated; null (reported) otherwise.</summary>
    private long? ConstantOf(ExpressionSyntax expression, int origin)
    {
        switch (expression)
        {
            case LiteralExpressionSyntax { Token.Value: int or long or uint } literal:
                return Convert.ToInt64(literal.Token.Value, System.Globalization.CultureInfo.InvariantCulture);
            case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryMinusExpression, Operand: LiteralExpressionSyntax { Token.Value: int or long or uint } negated }:
                return -Convert.ToInt64(negated.Token.Value, System.Globalization.CultureInfo.InvariantCulture);
            default:
                Report(origin + expression.SpanStart, $"expected an integer constant, found '{expression}'");
                return null;
        }
    }

    // ------------------------------------------------------------------ threads

    /// <summary><c>P0 { ... } P1 { ... }</c>: each body is one Roslyn block.</summary>
    private void ParseThreads()
    {
        while (true)
        {
            _scanner.SkipTrivia();
            var start = _scanner.Position;
            var word = _scanner.TryReadIdentifier();
            if (word is null || !IsThreadName(word))
            {
                _scanner.Position = start;
                if (_threads.Count == 0 && !_threadsIncomplete)
                    throw Fail(start, $"expected a thread such as 'P0 {{ ... }}', found {DescribeTextAt(start)}");
                return;
            }
            if (word != $"P{_threads.Count}")
                throw Fail(start, $"expected thread 'P{_threads.Count}' here (threads are numbered from P0 in order), found '{word}'");
            if (_threads.Count == LitmusTest.MaxThreads)
                throw Fail(start, $"a test has at most {LitmusTest.MaxThreads} threads");
            _scanner.SkipTrivia();
            var open = _scanner.Position;
            if (_scanner.Current != '{')
                throw Fail(open, word.Length > 1 && _scanner.Current == '('
                    ? $"a C# thread takes no parameters: write '{word} {{ ... }}' and declare the shared fields in the initial state"
                    : $"expected '{{' to open the body of {word}, found {DescribeTextAt(open)}");
            var statement = SyntaxFactory.ParseStatement(_text, open, RoslynOptions, consumeFullText: false);
            if (statement is not BlockSyntax block || block.CloseBraceToken.IsMissing)
                throw Fail(open, $"the body of {word} has no matching '}}'");
            _scanner.Position = open + block.FullSpan.End;
            if (ReportSyntaxErrors(block, open))
            {
                _threadsIncomplete = true;
                _threads.Add(new ThreadCode(_threads.Count, [], [], _map.SpanAt(start)));
                _threadLocals.Add(new HashSet<string>());
                continue;
            }
            var translator = new ThreadTranslator(this, _threads.Count, _fields, open);
            var body = translator.Translate(block);
            _threads.Add(new ThreadCode(_threads.Count, translator.Parameters(_locations), body, _map.SpanAt(start)));
            _threadLocals.Add(translator.Locals);
            if (translator.Failed) _threadsIncomplete = true;
        }
    }

    // ------------------------------------------------------------------ locations and condition

    /// <summary>The shared condition grammar (herd's) over the tokens after the threads, with C# names for its keys.</summary>
    private sealed class CSharpConditionReader(CSharpParseSession session, List<Token> tokens) : ConditionReader
    {
        public int Index { get; private set; }

        protected override Token Current => tokens[Index];

        protected override Token Peek(int ahead) => tokens[Math.Min(Index + ahead, tokens.Count - 1)];

        protected override Token Advance()
        {
            var token = tokens[Index];
            if (token.Kind != TokenKind.EndOfFile) Index++;
            return token;
        }

        protected override Exception Fail(Token at, string message) => session.Fail(at.Start, message);

        protected override string MissingCondition(Token found)
        {
            var hint = found.Kind == TokenKind.Identifier && found.Text.StartsWith('P') ? " (threads are named P0, P1, ... in order)" : "";
            return $"expected another thread or the final condition ('exists', '~exists' or 'forall'), found {found.Describe()}{hint}";
        }

        protected override long ReadValue(Token literal, bool negative) =>
            TextScanner.TryParseNumber(literal.Text, out var value)
                ? negative ? -value : value
                : throw Fail(literal, $"expected an integer value, found {literal.Describe()}");

        protected override SourceSpan SpanOf(Token token) => session.SpanAt(token.Start);

        /// <summary><c>1:r0</c> (a local of P1), <c>x</c> (a field), <c>a[1]</c> (an element) or herd's <c>[x]</c>.</summary>
        protected override StateKey ReadStateKey(string context)
        {
            var first = Current;
            if (first.Kind == TokenKind.Integer && Peek(1).Is(":"))
            {
                Advance();
                Advance();
                var register = Current;
                if (register.Kind != TokenKind.Identifier)
                    throw session.Fail(register.Start, $"expected a local's name after '{first.Text}:', found {register.Describe()}");
                Advance();
                if (!int.TryParse(first.Text, out var thread) || thread >= session._threads.Count)
                    throw session.Fail(first.Start, $"'{first.Text}:{register.Text}' refers to thread P{first.Text}, which does not exist");
                if (!session._threadLocals[thread].Contains(register.Text) && !session._threadsIncomplete)
                    throw session.Fail(register.Start, session._fields.ContainsKey(register.Text)
                        ? $"'{register.Text}' is a field, not a local of P{thread}: write '{register.Text}' without a thread for its final value"
                        : $"P{thread} declares no local '{register.Text}'");
                return StateKey.Register(thread, register.Text);
            }
            var bracketed = Accept("[");
            var nameToken = Current;
            if (nameToken.Kind != TokenKind.Identifier)
                throw session.Fail(nameToken.Start, $"expected a local such as '1:r0' or a field such as 'x' {context}, found {nameToken.Describe()}");
            Advance();
            if (!session._fields.TryGetValue(nameToken.Text, out var field))
                throw session.Fail(nameToken.Start, $"'{nameToken.Text}' is not a field of the initial state" +
                    (session._threadLocals.Any(l => l.Contains(nameToken.Text)) ? $": a local needs its thread, as in '1:{nameToken.Text}'" : ""));
            var name = nameToken.Text;
            if (field.IsArray)
            {
                if (!Accept("[")) throw session.Fail(Current.Start, $"'{name}' is an array: name an element, as in '{name}[0]'");
                var indexToken = Current;
                if (indexToken.Kind != TokenKind.Integer || !TextScanner.TryParseNumber(indexToken.Text, out var index) || index >= field.Length)
                    throw session.Fail(indexToken.Start, $"expected an index of '{name}' from 0 to {field.Length - 1}, found {indexToken.Describe()}");
                Advance();
                Expect("]", $"after '{name}[{indexToken.Text}'");
                name = SharedField.ElementName(name, index);
            }
            if (bracketed) Expect("]", $"after '[{name}'");
            return StateKey.Location(name);
        }
    }
}
