using System.Globalization;
using Harness.Programs;
using Harness.Language.Source;

namespace Harness.Language.C;

internal sealed partial class ParseSession
{
    /// <summary>
    /// A statement starting with one of these is a declaration even when no second identifier
    /// follows, as in <c>int *r0 = ...</c> or the broken <c>int;</c>. Other type names are recognised
    /// by the register name that follows them.
    /// </summary>
    private static readonly HashSet<string> TypeWords =
    [
        "int", "long", "short", "char", "unsigned", "signed", "volatile", "const", "_Atomic", "_Bool", "bool",
        "intptr_t", "uintptr_t", "size_t", "int8_t", "uint8_t", "int16_t", "uint16_t", "int32_t", "uint32_t",
        "int64_t", "uint64_t", "atomic_int", "atomic_long", "atomic_intptr_t",
    ];

    private static readonly HashSet<string> UnsupportedStatementKeywords =
        ["do", "switch", "case", "return", "goto", "continue"];

    private const int MaxThreads = LitmusTest.MaxThreads;

    private bool threadNumberingReported;

    /// <summary>How many loops enclose the statement being parsed: 'break' needs one.</summary>
    private int loopDepth;

    /// <summary>How many diagnostics there were when the last statement parsed completely ended.</summary>
    private int diagnosticsOfCompleteStatements;

    private List<ThreadCode> ParseThreads()
    {
        var threads = new List<ThreadCode>();
        while (true)
        {
            if (Current.Kind == TokenKind.Identifier && Lexer.IsThreadName(Current.Text))
            {
                if (threads.Count == MaxThreads)
                {
                    Report(Current, $"too many threads: {Current.Text} is thread number {MaxThreads + 1}, and the runner runs at most {MaxThreads}");
                }
                threads.Add(ParseThread(threads.Count));
            }
            else if (AtFrameSection())
            {
                break;
            }
            else
            {
                Report(Current, $"expected a thread such as 'P{threads.Count} (atomic_int* x) {{ ... }}', found {Current.Describe()}");
                SkipToNextFrameSection();
                if (Current.Kind == TokenKind.EndOfFile) endOfFileExplained = true;
            }
        }
        if (threads.Count == 0)
        {
            Report(Current, $"expected a thread such as 'P0 (atomic_int* x) {{ ... }}', found {Current.Describe()}");
            threadsIncomplete = true;
        }
        return threads;
    }

    /// <summary><c>P&lt;n&gt; (parameters) { body }</c>, where n must be the thread's position.</summary>
    private ThreadCode ParseThread(int position)
    {
        var header = Advance();
        var number = int.TryParse(header.Text.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : -1;
        CheckThreadNumber(header, number);

        var parameters = ParseParameterList(header, out var headerBroken);
        var scope = new ThreadScope(header.Text, parameters) { ParametersIncomplete = headerBroken };
        if (number >= 0) threadsByNumber.TryAdd(number, scope);
        foreach (var (key, _) in registerInitialisations)
        {
            if (key.Thread == number) scope.KnownRegisters.Add(key.Name);
        }
        foreach (var parameter in parameters) AddLocation(parameter.Name);

        var body = new List<Statement>();
        if (Current.Is("{"))
        {
            Advance();
            var bodyStart = index;
            currentThread = scope;
            var closed = ParseBlockBody(body);
            currentThread = null;
            // An unclosed body is most likely a truncated file, already reported as such.
            if (closed && body.Count == 0 && WrittenEmpty(bodyStart, index))
            {
                Report(header, $"thread {header.Text} is empty: a thread needs at least one statement");
            }
        }
        else if (headerBroken)
        {
            // The broken header has been reported; a body cannot be found after it.
            if (!AtFrameSection()) SkipToNextFrameSection();
        }
        else
        {
            Report(Current, $"expected '{{' to start the body of {header.Text}, found {Current.Describe()}");
            if (!AtFrameSection()) SkipToNextFrameSection();
        }
        return new ThreadCode(position, parameters, body, SpanOf(header));
    }

    /// <summary>
    /// Whether the tokens in [<paramref name="from"/>, <paramref name="to"/>) hold no statement at all.
    /// A body left without statements by errors (or by characters the lexer rejected) is not
    /// empty as written: its problems are already reported.
    /// </summary>
    private bool WrittenEmpty(int from, int to)
    {
        for (var position = from; position < to; position++)
        {
            var token = tokens[position];
            if (!(token.Is(";") || token.Is("{") || token.Is("}"))) return false;
        }
        return true;
    }

    /// <summary>
    /// Threads are numbered P0, P1, ... in order. Every duplicate is reported, but only the first
    /// gap or swap: the threads after it are compared with the count of distinct threads so far,
    /// so that one missing or extra thread does not make each later one a further report.
    /// </summary>
    private void CheckThreadNumber(Token header, int number)
    {
        // A number too large for an int (-1 here) is certainly not the next one, and no duplicate.
        if (number >= 0 && threadsByNumber.ContainsKey(number))
        {
            threadsIncomplete = true;
            Report(header, $"thread {header.Text} is defined twice");
            return;
        }
        var expected = threadsByNumber.Count;
        if (number == expected || threadNumberingReported) return;
        threadNumberingReported = true;
        threadsIncomplete = true;
        Report(header, $"expected thread P{expected}, found {header.Text}: threads are numbered in order from P0");
    }

    private List<Parameter> ParseParameterList(Token header, out bool broken)
    {
        var parameters = new List<Parameter>();
        broken = false;
        var listStart = diagnostics.Count;
        try
        {
            Expect("(", $"after {header.Text}");
            if (Current.IsIdentifier("void") && Peek(1).Is(")"))
            {
                Advance();
            }
            else if (!Current.Is(")"))
            {
                do parameters.Add(ParseParameter(header, parameters));
                while (Accept(","));
            }
            Expect(")", $"to close the parameter list of {header.Text}");
        }
        catch (SyntaxErrorException)
        {
            // As in statements: complaints about the parameters are doubtful once the list is garbled.
            diagnostics.RetractSince(listStart);
            broken = true;
            threadsIncomplete = true;
            // Go on with the body, so that its own problems are reported too.
            while (!Current.Is("{") && !AtFrameSection()) Advance();
        }
        return parameters;
    }

    /// <summary>A parameter such as <c>atomic_int* x</c>: the type is any words with one trailing '*'.</summary>
    private Parameter ParseParameter(Token header, List<Parameter> earlier)
    {
        var start = Current;
        var parts = new List<Token>();
        while (Current.Kind == TokenKind.Identifier || Current.Is("*")) parts.Add(Advance());
        if (parts.Count == 0 || parts[^1].Kind != TokenKind.Identifier)
        {
            throw Fail(Current, $"expected a parameter such as 'atomic_int* x' in the parameters of {header.Text}, found {Current.Describe()}");
        }

        var name = parts[^1];
        var typeParts = parts[..^1];
        var typeWords = typeParts.Where(part => part.Kind == TokenKind.Identifier).Select(part => part.Text).ToList();
        var starCount = typeParts.Count(part => part.Is("*"));
        if (typeWords.Count == 0 || starCount == 0)
        {
            Report(start, $"parameter '{name.Text}' of {header.Text} must be a pointer, such as 'atomic_int* {name.Text}'");
        }
        else if (starCount > 1 || !typeParts[^1].Is("*"))
        {
            var written = string.Join(" ", typeParts.Select(part => part.Text));
            Report(start, $"unsupported parameter type '{written}': parameters point to integers, such as 'atomic_int* {name.Text}'");
        }
        if (earlier.Any(parameter => parameter.Name == name.Text))
        {
            Report(name, $"parameter '{name.Text}' appears twice in {header.Text}");
        }
        return new Parameter(NormaliseType(typeWords) + "*", name.Text, SpanOf(start));
    }

    // ------------------------------------------------------------------ statements

    /// <summary>
    /// Statements up to the closing '}' (consumed), appended to <paramref name="output"/>; false
    /// when the thread ended before that '}' (reported).
    /// </summary>
    private bool ParseBlockBody(List<Statement> output)
    {
        while (true)
        {
            if (Current.Is("}"))
            {
                Advance();
                return true;
            }
            if (AtFrameSection())
            {
                ReportUnclosedThread();
                return false;
            }
            var statementStart = diagnostics.Count;
            try
            {
                ParseStatement(output);
                diagnosticsOfCompleteStatements = diagnostics.Count;
            }
            catch (SyntaxErrorException)
            {
                // Problems found in statements nested in this one that did parse completely stay.
                diagnostics.RetractSince(Math.Max(statementStart, diagnosticsOfCompleteStatements));
                SkipToStatementEnd();
            }
        }
    }

    private void ReportUnclosedThread()
    {
        // What the thread declares is unknown past the point where its braces went wrong.
        threadsIncomplete = true;
        var thread = currentThread!.Name;
        ReportSyntax(Current, Current.Kind == TokenKind.EndOfFile
            ? $"unexpected end of file in thread {thread}: missing '}}'"
            : $"expected '}}' to close thread {thread} before {Current.Describe()}");
    }

    /// <summary>
    /// Skips the rest of a broken statement: up to and including the next ';', or a whole
    /// '{ ... }' block, but never past the '}' that closes the enclosing block.
    /// </summary>
    private void SkipToStatementEnd()
    {
        var depth = 0;
        while (!(depth == 0 && AtFrameSection()) && Current.Kind != TokenKind.EndOfFile)
        {
            NoteRegisterInSkippedCode();
            var token = Current;
            if (token.Is("}"))
            {
                if (depth == 0) return;
                depth--;
                Advance();
                if (depth == 0) return;
                continue;
            }
            Advance();
            if (token.Is("{")) depth++;
            else if (token.Is(";") && depth == 0) return;
        }
    }

    /// <summary>
    /// Skips a statement such as <c>for (...) { ... }</c> or <c>return r0;</c> as a whole: the
    /// ';' inside a for header must not be taken for the end of the statement.
    /// </summary>
    private void SkipUnsupportedStatement()
    {
        Advance(); // the keyword
        if (Current.Is("(")) SkipBalanced("(", ")");
        if (Current.Is("{")) SkipBalanced("{", "}");
        else SkipToStatementEnd();
    }

    /// <summary>Skips from the current <paramref name="open"/> to its matching <paramref name="close"/>, or to the end of the thread.</summary>
    private void SkipBalanced(string open, string close)
    {
        var depth = 0;
        do
        {
            NoteRegisterInSkippedCode();
            var token = Advance();
            if (token.Is(open)) depth++;
            else if (token.Is(close)) depth--;
        }
        while (depth > 0 && !AtFrameSection());
    }

    /// <summary>
    /// Registers declared or assigned in code skipped after an error are taken as known, so that
    /// one broken statement does not make every later use of its register a second error.
    /// </summary>
    private void NoteRegisterInSkippedCode()
    {
        if (Current.Kind != TokenKind.Identifier || currentThread is null) return;
        var assigned = Peek(1).Is("=");
        var declaredWithoutValue = (Peek(1).Is(";") || Peek(1).Is(",")) && Previous.Kind == TokenKind.Identifier;
        if (assigned || declaredWithoutValue) currentThread.KnownRegisters.Add(Current.Text);
    }

    /// <summary>Parses one statement into <paramref name="output"/>: none for ';', several for a block or 'int a, b;'.</summary>
    private void ParseStatement(List<Statement> output)
    {
        var start = Current;
        if (start.Is(";"))
        {
            Advance();
            return;
        }
        if (start.Is("{"))
        {
            ParseNestedBlock(output);
            return;
        }
        if (StartsPlainStore())
        {
            output.Add(ParsePlainStore());
            return;
        }
        if (IncrementAt(0) is not null && Peek(2).Kind == TokenKind.Identifier)
        {
            output.Add(ParseIncrement(prefix: true));
            return;
        }
        if (start.Kind == TokenKind.Identifier)
        {
            if (start.Text == "if")
            {
                output.Add(ParseIf());
                return;
            }
            if (start.Text == "while")
            {
                output.Add(ParseWhile());
                return;
            }
            if (start.Text == "for")
            {
                if (ParseFor() is WhileStatement loop) output.Add(loop);
                return;
            }
            if (start.Text == "break")
            {
                if (ParseBreak() is BreakStatement breakStatement) output.Add(breakStatement);
                return;
            }
            if (start.Text == "else") throw Fail(start, "'else' without a matching 'if'");
            if (UnsupportedStatementKeywords.Contains(start.Text))
            {
                Report(start, $"'{start.Text}' statements are not supported");
                SkipUnsupportedStatement();
                return;
            }
            if (IsFunctionName(start.Text))
            {
                if (!Peek(1).Is("(")) throw Fail(Peek(1), $"expected '(' after '{start.Text}', found {Peek(1).Describe()}");
                if (AtomicFunctions.IsStatementOnly(start.Text))
                {
                    ParseStoreOrFence(output);
                    return;
                }
            }
            if (TypeWords.Contains(start.Text) || Peek(1).Kind == TokenKind.Identifier)
            {
                ParseDeclaration(output);
                return;
            }
            if (Peek(1).Is("=") || CompoundOperatorAt(1) is not null)
            {
                output.Add(ParseAssignment());
                return;
            }
            if (IncrementAt(1) is not null)
            {
                output.Add(ParseIncrement(prefix: false));
                return;
            }
        }
        var expression = ParseExpression();
        ExpectStatementEnd();
        output.Add(new ExpressionStatement(expression, SpanOf(start)));
    }

    /// <summary>
    /// A ';' is expected; a missing one is reported where it belongs, right after the statement.
    /// When the next token is on a later line (or closes the block), the ';' was most likely just
    /// forgotten: go on as if it were there, rather than skip the next statement too.
    /// </summary>
    private void ExpectStatementEnd()
    {
        if (Accept(";")) return;
        var found = Current;
        // At the end of file the enclosing block reports the missing '}', which says it all.
        if (found.Kind == TokenKind.EndOfFile) return;
        Record(Previous.End, found, $"expected ';' after statement, found {found.Describe()}", retractable: false);
        var forgotten = found.Is("}") || LineOf(found) > LineOf(Previous);
        if (!forgotten) throw new SyntaxErrorException();
    }

    /// <summary>A nested block adds its statements to the enclosing list: registers are thread-wide anyway.</summary>
    private void ParseNestedBlock(List<Statement> output)
    {
        var open = Current;
        EnterNesting(open);
        try
        {
            Advance();
            ParseBlockBody(output);
        }
        finally
        {
            LeaveNesting();
        }
    }

    private IfStatement ParseIf()
    {
        var keyword = Advance();
        EnterNesting(keyword);
        try
        {
            Expect("(", "after 'if'");
            var condition = ParseExpression();
            ExpectConditionEnd("if");
            var then = ParseBranch();
            var otherwise = new List<Statement>();
            if (Current.IsIdentifier("else"))
            {
                Advance();
                otherwise = ParseBranch();
            }
            return new IfStatement(condition, then, otherwise, SpanOf(keyword));
        }
        finally
        {
            LeaveNesting();
        }
    }

    private WhileStatement ParseWhile()
    {
        var keyword = Advance();
        EnterNesting(keyword);
        try
        {
            Expect("(", "after 'while'");
            var condition = ParseExpression();
            ExpectConditionEnd("while");
            return new WhileStatement(condition, ParseLoopBody(), SpanOf(keyword));
        }
        finally
        {
            LeaveNesting();
        }
    }

    /// <summary>
    /// <c>for (;;) body</c>, diy7's loop, read as a while loop on the constant 1 (spanned at the
    /// keyword). Other for loops are reported and skipped as a whole; null then.
    /// </summary>
    private WhileStatement? ParseFor()
    {
        var keyword = Current;
        if (!(Peek(1).Is("(") && Peek(2).Is(";") && Peek(3).Is(";") && Peek(4).Is(")")))
        {
            Report(keyword, "'for' statements are not supported, except the endless 'for (;;)' that diy7 writes");
            SkipUnsupportedStatement();
            return null;
        }
        for (var consumed = 0; consumed < 5; consumed++) Advance();
        EnterNesting(keyword);
        try
        {
            return new WhileStatement(new Constant(1, SpanOf(keyword)), ParseLoopBody(), SpanOf(keyword));
        }
        finally
        {
            LeaveNesting();
        }
    }

    private List<Statement> ParseLoopBody()
    {
        loopDepth++;
        try
        {
            return ParseBranch();
        }
        finally
        {
            loopDepth--;
        }
    }

    /// <summary><c>break;</c>; null when it is outside a loop (reported).</summary>
    private BreakStatement? ParseBreak()
    {
        var keyword = Advance();
        var inLoop = loopDepth > 0;
        if (!inLoop) Report(keyword, "'break' outside a loop");
        ExpectStatementEnd();
        return inLoop ? new BreakStatement(SpanOf(keyword)) : null;
    }

    /// <summary>
    /// The operator <c>++</c> or <c>--</c> when it starts <paramref name="ahead"/> tokens on, else null.
    /// The lexer cuts it in two ('-' '-'), so that <c>--1</c> stays a double negation in expressions.
    /// </summary>
    private string? IncrementAt(int ahead)
    {
        var first = Peek(ahead);
        var second = Peek(ahead + 1);
        if (first.Kind != TokenKind.Punctuator || first.Text is not ("+" or "-")) return null;
        return second.Is(first.Text) && second.Start == first.End ? first.Text + first.Text : null;
    }

    /// <summary>
    /// <c>r0--;</c>, <c>r0++;</c>, <c>--r0;</c> or <c>++r0;</c> as a statement (diy7 counts loop
    /// iterations down with <c>r128--;</c>): read as <c>r0 = r0 - 1;</c>. The assignment and the
    /// operation are spanned at the first token, the register read at the name and the 1 at the operator.
    /// </summary>
    private Assignment ParseIncrement(bool prefix)
    {
        var start = Current;
        var operatorToken = prefix ? Current : Peek(1);
        var name = prefix ? Peek(2) : Current;
        for (var consumed = 0; consumed < 3; consumed++) Advance();
        var isIncrement = operatorToken.Is("+");
        var scope = currentThread!;
        Expression read;
        if (scope.Parameters.ContainsKey(name.Text))
        {
            var function = isIncrement ? "atomic_fetch_add_explicit" : "atomic_fetch_sub_explicit";
            Report(name, $"cannot {(isIncrement ? "increment" : "decrement")} location '{name.Text}': use {function}({name.Text}, 1, ...)");
            read = new RegisterRead(name.Text, SpanOf(name));
        }
        else
        {
            read = ReadRegister(name);
        }
        ExpectStatementEnd();
        var operation = isIncrement ? BinaryOperator.Add : BinaryOperator.Sub;
        var value = new Binary(operation, read, new Constant(1, SpanOf(operatorToken)), SpanOf(start));
        return new Assignment(name.Text, value, SpanOf(start));
    }

    /// <summary>
    /// The ')' after an if or while condition. When a '{' follows instead, only the ')' is missing:
    /// the block is still parsed, since skipping it would hide its declarations from later code.
    /// </summary>
    private void ExpectConditionEnd(string keyword)
    {
        if (Accept(")")) return;
        var message = $"expected ')' to close the condition of '{keyword}', found {Current.Describe()}";
        if (!Current.Is("{")) throw Fail(Current, message);
        ReportSyntax(Current, message);
    }

    /// <summary>The body of an if, else or while: one statement or a block, as a list.</summary>
    private List<Statement> ParseBranch()
    {
        var statements = new List<Statement>();
        ParseStatement(statements);
        return statements;
    }

    /// <summary>
    /// Whether the statement is <c>*x = e;</c> or <c>*(...) = e;</c>, such as diy7's address
    /// dependency <c>*(x + (r0 &amp; 128)) = 1;</c>, rather than an expression starting with a load.
    /// </summary>
    private bool StartsPlainStore()
    {
        if (!Current.Is("*")) return false;
        if (Peek(1).Kind == TokenKind.Identifier) return Peek(2).Is("=");
        if (!Peek(1).Is("(")) return false;
        var depth = 0;
        for (var position = index + 1; position < tokens.Count; position++)
        {
            var token = tokens[position];
            if (token.Is("(")) depth++;
            else if (token.Is(")") && --depth == 0) return position + 1 < tokens.Count && tokens[position + 1].Is("=");
            else if (token.Kind == TokenKind.EndOfFile || token.Is(";") || token.Is("{") || token.Is("}")) return false;
        }
        return false;
    }

    /// <summary><c>*x = e;</c> or <c>*(x + offset) = e;</c>: a plain (non-atomic) store, whatever the declared type of x.</summary>
    private Store ParsePlainStore()
    {
        var star = Advance();
        var location = ParseDereferencedLocation(star);
        Expect("=", "after the location of a store");
        var value = ParseExpression();
        ExpectStatementEnd();
        return new Store(location.Name, value, MemoryOrder.NonAtomic, SpanOf(star)) { Offset = location.Offset };
    }

    private void ParseStoreOrFence(List<Statement> output)
    {
        var name = Advance();
        AtomicFunctions.TryGetSupported(name.Text, out var function);
        var arguments = ParseCallArguments(name, function);
        ExpectStatementEnd();
        if (arguments is null) return;

        if (function.Kind == AtomicFunctionKind.Fence)
        {
            output.Add(new Fence(arguments.OrderOrSeqCst(0), SpanOf(name)));
            return;
        }
        CheckStoreOrder(arguments, 0);
        var location = arguments.Locations[0];
        output.Add(new Store(location.Name, arguments.Values[0], arguments.OrderOrSeqCst(0), SpanOf(name)) { Offset = location.Offset });
    }

    /// <summary><c>int r0 = e;</c>, <c>int r0;</c> or <c>unsigned long r0 = 1, r1;</c>.</summary>
    private void ParseDeclaration(List<Statement> output)
    {
        var start = Current;
        var typeParts = new List<Token>();
        while ((Current.Kind == TokenKind.Identifier && !Peek(1).Is("=") && !Peek(1).Is(",") && !Peek(1).Is(";"))
               || Current.Is("*"))
        {
            typeParts.Add(Advance());
        }
        // In 'int;' the loop stops at once: 'int' is the type and the name is missing.
        if (typeParts.Count == 0) typeParts.Add(Advance());
        var typeText = string.Join(" ", typeParts.Select(part => part.Text));
        var type = NormaliseType(typeParts.Where(part => part.Kind == TokenKind.Identifier).Select(part => part.Text));
        var isPointer = typeParts.Any(part => part.Is("*"));

        var declaratorStart = start;
        while (true)
        {
            var name = ExpectIdentifier($"a register name after '{typeText}'");
            if (isPointer)
            {
                Report(name, $"pointer-typed local '{name.Text}' is not supported: access locations through the thread's parameters");
            }
            Expression? value = null;
            if (Accept("="))
            {
                // The register is declared even when its initialiser is broken, so that every later
                // use of it does not become a second error.
                try
                {
                    value = ParseExpression();
                }
                finally
                {
                    DeclareRegister(name);
                }
            }
            else
            {
                DeclareRegister(name);
            }
            output.Add(new LocalDeclaration(type, name.Text, value, SpanOf(declaratorStart)));
            if (!Accept(",")) break;
            declaratorStart = Current;
        }
        ExpectStatementEnd();
    }

    private void DeclareRegister(Token name)
    {
        var scope = currentThread!;
        if (IsReservedName(name.Text))
        {
            Report(name, $"'{name.Text}' cannot be used as a register name");
            return;
        }
        if (scope.Parameters.ContainsKey(name.Text))
        {
            Report(name, $"'{name.Text}' is a parameter of {scope.Name} and cannot also be declared as a register");
            return;
        }
        if (!scope.DeclaredRegisters.Add(name.Text))
        {
            Report(name, $"register '{name.Text}' is declared twice in {scope.Name}");
        }
        scope.KnownRegisters.Add(name.Text);
    }

    /// <summary>
    /// The operator of a compound assignment such as <c>+=</c> when one starts <paramref name="ahead"/>
    /// tokens on, else null. The lexer has no compound tokens: it cuts <c>+=</c> into '+' and '='.
    /// </summary>
    private string? CompoundOperatorAt(int ahead)
    {
        var operatorToken = Peek(ahead);
        var equals = Peek(ahead + 1);
        var arithmetic = operatorToken.Kind == TokenKind.Punctuator
            && operatorToken.Text is "+" or "-" or "*" or "/" or "%" or "&" or "|" or "^" or "<<" or ">>";
        return arithmetic && equals.Is("=") && equals.Start == operatorToken.End ? operatorToken.Text : null;
    }

    /// <summary>
    /// <c>r0 = e;</c>. As in herd7, assigning a register that was never declared declares it. The
    /// compound <c>r0 += e;</c> is reported, then read as <c>r0 = r0 + e</c> so that the rest of the
    /// statement is still checked.
    /// </summary>
    private Assignment ParseAssignment()
    {
        var name = Advance();
        var compound = CompoundOperatorAt(0);
        if (compound is not null)
        {
            Report(Current, $"compound assignment '{compound}=' is not supported: write '{name.Text} = {name.Text} {compound} ...'");
            Advance();
        }
        Advance(); // '='
        var scope = currentThread!;
        var isLocation = scope.Parameters.ContainsKey(name.Text);
        var isReserved = IsReservedName(name.Text);
        if (isLocation)
        {
            Report(name, $"cannot assign to location '{name.Text}': write '*{name.Text} = ...' or use atomic_store_explicit");
        }
        else if (isReserved)
        {
            Report(name, $"'{name.Text}' cannot be used as a register name");
        }
        try
        {
            var value = ParseExpression();
            if (compound is not null)
            {
                value = new Binary(BinaryOperators[compound].Operator, new RegisterRead(name.Text, SpanOf(name)), value, SpanOf(name));
            }
            ExpectStatementEnd();
            return new Assignment(name.Text, value, SpanOf(name));
        }
        finally
        {
            if (!isLocation && !isReserved) scope.KnownRegisters.Add(name.Text);
        }
    }

    /// <summary>Names that mean something else in thread code, and so cannot name registers.</summary>
    private static bool IsReservedName(string name) =>
        IsFunctionName(name) || MemoryOrdersByName.ContainsKey(name) || TypeWords.Contains(name)
        || UnsupportedStatementKeywords.Contains(name) || name is "if" or "else" or "while" or "for" or "break";

    private void CheckIsParameter(Token location)
    {
        var scope = currentThread!;
        // One report per name and thread: a missing parameter is one problem, however often it is used.
        if (!scope.Parameters.ContainsKey(location.Text) && !scope.ParametersIncomplete
            && scope.ReportedUnknownLocations.Add(location.Text))
        {
            Report(location, $"'{location.Text}' is not a parameter of {scope.Name}");
        }
    }
}
