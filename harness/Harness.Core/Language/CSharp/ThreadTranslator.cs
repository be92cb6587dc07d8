using System.Globalization;
using Harness.Programs;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Harness.Language.CSharp;

/// <summary>
/// Translates one thread's Roslyn block into the shared AST. Each access records the .NET
/// primitive the test wrote (plain, volatile field, Volatile.*, Interlocked.*, barrier) and the
/// nearest C++ order, for display only. Anything outside the dialect is reported where it is,
/// with what to write instead, and the translation goes on with the next statement.
/// </summary>
internal sealed class ThreadTranslator(CSharpParseSession session, int thread, IReadOnlyDictionary<string, SharedField> fields, int origin)
{
    private const int MaxNesting = 64;

    private readonly HashSet<string> _locals = new(StringComparer.Ordinal);
    private readonly HashSet<string> _touched = new(StringComparer.Ordinal);
    private int _loops;
    private int _depth;

    /// <summary>Whether a statement could not be translated (and was reported).</summary>
    public bool Failed { get; private set; }

    public IReadOnlySet<string> Locals => _locals;

    private sealed class UnsupportedException(int offset, string message) : Exception(message)
    {
        public int Offset { get; } = offset;
    }

    public List<Statement> Translate(BlockSyntax block) => Statements(block.Statements);

    /// <summary>The locations the thread names, in the test's order: the shared memory its kernel method takes by reference.</summary>
    public List<Parameter> Parameters(IReadOnlyList<string> locations) =>
        locations.Where(_touched.Contains).Select(l => new Parameter(TypeOf(l), l, session.SpanAt(origin))).ToList();

    private string TypeOf(string location)
    {
        var field = location.IndexOf('[') is var bracket and > 0 ? fields[location[..bracket]] : fields[location];
        return field.IsArray ? field.Type[..^2] : field.Type;
    }

    private UnsupportedException Error(SyntaxNode node, string message) => new(origin + node.SpanStart, message);

    private UnsupportedException Error(SyntaxToken token, string message) => new(origin + token.SpanStart, message);

    private SourceSpan Span(SyntaxNode node) => session.SpanAt(origin + node.SpanStart);

    // ------------------------------------------------------------------ statements

    private List<Statement> Statements(IEnumerable<StatementSyntax> statements)
    {
        var output = new List<Statement>();
        foreach (var statement in statements)
        {
            try
            {
                Statement(statement, output);
            }
            catch (UnsupportedException e)
            {
                session.Report(e.Offset, e.Message);
                Failed = true;
            }
        }
        return output;
    }

    private List<Statement> Body(StatementSyntax statement) =>
        statement is BlockSyntax block ? Statements(block.Statements) : Statements([statement]);

    private void Statement(StatementSyntax statement, List<Statement> output)
    {
        switch (statement)
        {
            case BlockSyntax block:
                output.AddRange(Statements(block.Statements));
                break;
            case EmptyStatementSyntax:
                break;
            case LocalDeclarationStatementSyntax declaration:
                Declare(declaration, output);
                break;
            case ExpressionStatementSyntax expression:
                output.Add(ExpressionStatement(expression.Expression, Span(statement)));
                break;
            case IfStatementSyntax conditional:
                var condition = Condition(conditional.Condition, "if");
                var then = Body(conditional.Statement);
                var otherwise = conditional.Else is { } e ? Body(e.Statement) : [];
                output.Add(new IfStatement(condition, then, otherwise, Span(statement)));
                break;
            case WhileStatementSyntax loop:
                var test = Condition(loop.Condition, "while");
                _loops++;
                var body = Body(loop.Statement);
                _loops--;
                output.Add(new WhileStatement(test, body, Span(statement)));
                break;
            case BreakStatementSyntax:
                if (_loops == 0) throw Error(statement, "'break' outside a loop");
                output.Add(new BreakStatement(Span(statement)));
                break;
            case ForStatementSyntax or ForEachStatementSyntax:
                throw Error(statement, "'for' loops are not supported: write a 'while' loop (the simulator unrolls it --loop-bound times)");
            case DoStatementSyntax:
                throw Error(statement, "'do' loops are not supported: write a 'while' loop (the simulator unrolls it --loop-bound times)");
            case LockStatementSyntax:
                throw Error(statement, "'lock' is not supported: a litmus thread uses Volatile, Interlocked and the barriers only");
            default:
                throw Error(statement, $"{Describe(statement)} is not supported in a thread: write local declarations, " +
                    "field reads and writes, Volatile/Interlocked calls, barriers, 'if'/'else' and 'while'");
        }
    }

    private static string Describe(StatementSyntax statement) => statement switch
    {
        ReturnStatementSyntax => "'return'",
        ContinueStatementSyntax => "'continue'",
        GotoStatementSyntax => "'goto'",
        SwitchStatementSyntax => "'switch'",
        TryStatementSyntax => "'try'",
        ThrowStatementSyntax => "'throw'",
        LocalFunctionStatementSyntax => "a local function",
        UsingStatementSyntax => "'using'",
        CheckedStatementSyntax => "a checked block",
        UnsafeStatementSyntax or FixedStatementSyntax => "unsafe code",
        YieldStatementSyntax => "'yield'",
        LabeledStatementSyntax => "a label",
        _ => $"this statement ({statement.Kind()})",
    };

    private void Declare(LocalDeclarationStatementSyntax declaration, List<Statement> output)
    {
        if (declaration.Modifiers.Count > 0)
            throw Error(declaration.Modifiers[0], $"'{declaration.Modifiers[0].Text}' locals are not supported: declare 'int r0 = ...;'");
        if (declaration.UsingKeyword.IsKind(SyntaxKind.UsingKeyword) || declaration.AwaitKeyword.IsKind(SyntaxKind.AwaitKeyword))
            throw Error(declaration, "'using' declarations are not supported");
        var type = declaration.Declaration.Type switch
        {
            PredefinedTypeSyntax { Keyword.Text: "int" or "long" } p => p.Keyword.Text,
            IdentifierNameSyntax { IsVar: true } => "var",
            var other => throw Error(other, $"a local of a litmus thread is an 'int' or a 'long' (a register), not '{other}'"),
        };
        foreach (var variable in declaration.Declaration.Variables)
        {
            var name = variable.Identifier.ValueText;
            if (fields.ContainsKey(name))
                throw Error(variable.Identifier, $"local '{name}' would hide the field '{name}': give the local another name, such as 'r{_locals.Count}'");
            if (_locals.Contains(name))
                throw Error(variable.Identifier, $"local '{name}' is already declared in P{thread}: each register is declared once");
            if (variable.ArgumentList is not null) throw Error(variable.ArgumentList, "a local is a single value, not an array");
            if (variable.Initializer is null && type == "var") throw Error(variable, $"'var {name}' needs a value");
            var value = variable.Initializer is { } init ? Value(init.Value) : null;
            _locals.Add(name);
            output.Add(new LocalDeclaration(type == "var" ? "int" : type, name, value, Span(variable)));
        }
    }

    private Statement ExpressionStatement(ExpressionSyntax expression, SourceSpan span)
    {
        switch (expression)
        {
            case AssignmentExpressionSyntax assignment:
                return Assign(assignment.Left, assignment.Kind(), assignment.Right, assignment, span);
            case PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PostIncrementExpression or (int)SyntaxKind.PostDecrementExpression } step:
                return Step(step.Operand, step.IsKind(SyntaxKind.PostIncrementExpression), step, span);
            case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreIncrementExpression or (int)SyntaxKind.PreDecrementExpression } step:
                return Step(step.Operand, step.IsKind(SyntaxKind.PreIncrementExpression), step, span);
            case InvocationExpressionSyntax call:
                var (type, method) = Method(call);
                switch (type, method)
                {
                    case ("Volatile", "Write"):
                        Arguments(call, type, method, 2);
                        var (location, index, _) = Target(call.ArgumentList.Arguments[0], $"{type}.{method}");
                        var value = Value(call.ArgumentList.Arguments[1].Expression);
                        return new Store(location, value, MemoryOrder.Release, span) { Primitive = DotNetPrimitive.VolatileWrite, Index = index };
                    case ("Interlocked" or "Thread", "MemoryBarrier"):
                        Arguments(call, type, method, 0);
                        return new Fence(MemoryOrder.SeqCst, span) { Primitive = DotNetPrimitive.MemoryBarrier, Method = $"{type}.{method}" };
                    case ("Volatile", "ReadBarrier"):
                        Arguments(call, type, method, 0);
                        return new Fence(MemoryOrder.Acquire, span) { Primitive = DotNetPrimitive.ReadBarrier, Method = $"{type}.{method}" };
                    case ("Volatile", "WriteBarrier"):
                        Arguments(call, type, method, 0);
                        return new Fence(MemoryOrder.Release, span) { Primitive = DotNetPrimitive.WriteBarrier, Method = $"{type}.{method}" };
                    default:
                        // An Interlocked call whose result is not used, or a read whose value is dropped.
                        return new Programs.ExpressionStatement(Value(call), span);
                }
            default:
                throw Error(expression, "only an assignment, '++', '--' or a call can be a statement");
        }
    }

    private Statement Step(ExpressionSyntax operand, bool increment, SyntaxNode node, SourceSpan span) =>
        Assign(operand, increment ? SyntaxKind.AddAssignmentExpression : SyntaxKind.SubtractAssignmentExpression,
            SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(1)), node, span);

    private static BinaryOperator? CompoundOperator(SyntaxKind kind) => kind switch
    {
        SyntaxKind.SimpleAssignmentExpression => null,
        SyntaxKind.AddAssignmentExpression => BinaryOperator.Add,
        SyntaxKind.SubtractAssignmentExpression => BinaryOperator.Sub,
        SyntaxKind.MultiplyAssignmentExpression => BinaryOperator.Mul,
        SyntaxKind.DivideAssignmentExpression => BinaryOperator.Div,
        SyntaxKind.ModuloAssignmentExpression => BinaryOperator.Mod,
        SyntaxKind.AndAssignmentExpression => BinaryOperator.BitAnd,
        SyntaxKind.OrAssignmentExpression => BinaryOperator.BitOr,
        SyntaxKind.ExclusiveOrAssignmentExpression => BinaryOperator.BitXor,
        SyntaxKind.LeftShiftAssignmentExpression => BinaryOperator.ShiftLeft,
        SyntaxKind.RightShiftAssignmentExpression => BinaryOperator.ShiftRight,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>
    /// <c>r0 = e</c>, <c>x = e</c>, <c>a[i] = e</c> and their compound forms. A compound assignment to
    /// a field is a read then a write, not an atomic update: it is written so, plainly.
    /// </summary>
    private Statement Assign(ExpressionSyntax left, SyntaxKind kind, ExpressionSyntax right, SyntaxNode node, SourceSpan span)
    {
        if (kind is SyntaxKind.CoalesceAssignmentExpression or SyntaxKind.UnsignedRightShiftAssignmentExpression)
            throw Error(node, $"'{node}' is not supported: write the operation out");
        var op = CompoundOperator(kind);
        if (left is IdentifierNameSyntax identifier && _locals.Contains(identifier.Identifier.ValueText))
        {
            var register = identifier.Identifier.ValueText;
            var assigned = Value(right);
            return new Assignment(register, op is { } o ? new Binary(o, new RegisterRead(register, Span(left)), assigned, span) : assigned, span);
        }
        if (left is IdentifierNameSyntax unknown && !fields.ContainsKey(unknown.Identifier.ValueText))
            throw Error(left, $"'{unknown.Identifier.ValueText}' is neither a local of P{thread} nor a field of the initial state: declare it first, as in 'int {unknown.Identifier.ValueText} = ...;'");
        var (location, index, field) = Target(left, "an assignment");
        if (op is not null && index is not null && index.AccessesMemory())
            throw Error(left, "a compound assignment would read the index twice: read the index into a local first");
        var value = Value(right);
        if (op is { } compound) value = new Binary(compound, Read(location, index, field, Span(left)), value, span);
        return field.IsVolatile
            ? new Store(location, value, MemoryOrder.Release, span) { Primitive = DotNetPrimitive.VolatileWrite, Index = index }
            : new Store(location, value, MemoryOrder.Relaxed, span) { Primitive = DotNetPrimitive.PlainStore, Index = index };
    }

    private Expression Condition(ExpressionSyntax condition, string keyword)
    {
        if (!IsBoolean(condition))
            throw Error(condition, $"the condition of '{keyword}' is a bool in C#, as in '{keyword} (r0 == 1)', not '{condition}'");
        return Value(condition);
    }

    private static bool IsBoolean(ExpressionSyntax expression) => expression switch
    {
        ParenthesizedExpressionSyntax p => IsBoolean(p.Expression),
        LiteralExpressionSyntax l => l.IsKind(SyntaxKind.TrueLiteralExpression) || l.IsKind(SyntaxKind.FalseLiteralExpression),
        PrefixUnaryExpressionSyntax u when u.IsKind(SyntaxKind.LogicalNotExpression) => IsBoolean(u.Operand),
        BinaryExpressionSyntax b when b.IsKind(SyntaxKind.LogicalAndExpression) || b.IsKind(SyntaxKind.LogicalOrExpression) =>
            IsBoolean(b.Left) && IsBoolean(b.Right),
        BinaryExpressionSyntax b => b.Kind() is SyntaxKind.EqualsExpression or SyntaxKind.NotEqualsExpression or SyntaxKind.LessThanExpression
            or SyntaxKind.LessThanOrEqualExpression or SyntaxKind.GreaterThanExpression or SyntaxKind.GreaterThanOrEqualExpression,
        _ => false,
    };

    // ------------------------------------------------------------------ expressions

    private Expression Value(ExpressionSyntax expression)
    {
        if (++_depth > MaxNesting) throw Error(expression, $"nesting is deeper than {MaxNesting} levels");
        try
        {
            return ValueOf(expression);
        }
        finally
        {
            _depth--;
        }
    }

    private Expression ValueOf(ExpressionSyntax expression)
    {
        var span = Span(expression);
        switch (expression)
        {
            case ParenthesizedExpressionSyntax parenthesized:
                return Value(parenthesized.Expression);
            case LiteralExpressionSyntax { Token.Value: int or long or uint } literal:
                return new Constant(Convert.ToInt64(literal.Token.Value, CultureInfo.InvariantCulture), span);
            case LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.TrueLiteralExpression) || literal.IsKind(SyntaxKind.FalseLiteralExpression):
                return new Constant(literal.IsKind(SyntaxKind.TrueLiteralExpression) ? 1 : 0, span);
            case LiteralExpressionSyntax literal:
                throw Error(expression, $"'{literal}' is not an integer: a litmus test computes with 'int' and 'long' values");
            case CastExpressionSyntax { Type: PredefinedTypeSyntax { Keyword.Text: "int" or "long" } } cast:
                return Value(cast.Expression);
            case IdentifierNameSyntax identifier:
                return Name(identifier);
            case ElementAccessExpressionSyntax:
            {
                var (location, index, field) = Target(expression, "a read");
                return Read(location, index, field, span);
            }
            case PrefixUnaryExpressionSyntax unary:
                var operand = Value(unary.Operand);
                return unary.Kind() switch
                {
                    SyntaxKind.UnaryPlusExpression => operand,
                    SyntaxKind.UnaryMinusExpression when operand is Constant c => new Constant(-c.Value, span),
                    SyntaxKind.UnaryMinusExpression => new Unary(UnaryOperator.Negate, operand, span),
                    SyntaxKind.LogicalNotExpression => new Unary(UnaryOperator.LogicalNot, operand, span),
                    SyntaxKind.BitwiseNotExpression => new Unary(UnaryOperator.BitNot, operand, span),
                    _ => throw Error(expression, $"'{unary.OperatorToken.Text}' inside an expression is not supported: write it as a statement of its own"),
                };
            case BinaryExpressionSyntax binary:
                var op = binary.Kind() switch
                {
                    SyntaxKind.AddExpression => BinaryOperator.Add,
                    SyntaxKind.SubtractExpression => BinaryOperator.Sub,
                    SyntaxKind.MultiplyExpression => BinaryOperator.Mul,
                    SyntaxKind.DivideExpression => BinaryOperator.Div,
                    SyntaxKind.ModuloExpression => BinaryOperator.Mod,
                    SyntaxKind.BitwiseAndExpression => BinaryOperator.BitAnd,
                    SyntaxKind.BitwiseOrExpression => BinaryOperator.BitOr,
                    SyntaxKind.ExclusiveOrExpression => BinaryOperator.BitXor,
                    SyntaxKind.LeftShiftExpression => BinaryOperator.ShiftLeft,
                    SyntaxKind.RightShiftExpression => BinaryOperator.ShiftRight,
                    SyntaxKind.EqualsExpression => BinaryOperator.Equal,
                    SyntaxKind.NotEqualsExpression => BinaryOperator.NotEqual,
                    SyntaxKind.LessThanExpression => BinaryOperator.Less,
                    SyntaxKind.LessThanOrEqualExpression => BinaryOperator.LessEqual,
                    SyntaxKind.GreaterThanExpression => BinaryOperator.Greater,
                    SyntaxKind.GreaterThanOrEqualExpression => BinaryOperator.GreaterEqual,
                    SyntaxKind.LogicalAndExpression => BinaryOperator.LogicalAnd,
                    SyntaxKind.LogicalOrExpression => BinaryOperator.LogicalOr,
                    _ => throw Error(binary.OperatorToken, $"operator '{binary.OperatorToken.Text}' is not supported in a litmus test"),
                };
                return new Binary(op, Value(binary.Left), Value(binary.Right), span);
            case InvocationExpressionSyntax call:
                return Call(call, span);
            case AssignmentExpressionSyntax:
                throw Error(expression, "an assignment inside an expression is not supported: write it as a statement of its own");
            case PostfixUnaryExpressionSyntax:
                throw Error(expression, "'++' and '--' inside an expression are not supported: write them as a statement of their own");
            case ConditionalExpressionSyntax:
                throw Error(expression, "'?:' is not supported: write an 'if'/'else'");
            case MemberAccessExpressionSyntax member:
                throw Error(expression, $"'{member}' is not supported: name a field of the initial state directly, as in 'x'");
            default:
                throw Error(expression, $"'{expression}' is not supported in a litmus test: use locals, fields, array elements, integer operators and Volatile/Interlocked calls");
        }
    }

    private Expression Name(IdentifierNameSyntax identifier)
    {
        var name = identifier.Identifier.ValueText;
        if (_locals.Contains(name)) return new RegisterRead(name, Span(identifier));
        if (!fields.TryGetValue(name, out var field))
            throw Error(identifier, $"'{name}' is neither a local of P{thread} nor a field of the initial state");
        if (field.IsArray) throw Error(identifier, $"'{name}' is an array: read an element, as in '{name}[0]'");
        _touched.Add(name);
        return Read(name, null, field, Span(identifier));
    }

    /// <summary>A field read as written: a volatile field's is a volatile read, any other a plain one.</summary>
    private Load Read(string location, Expression? index, SharedField field, SourceSpan span) => field.IsVolatile
        ? new Load(location, MemoryOrder.Acquire, span) { Primitive = DotNetPrimitive.VolatileRead, Index = index }
        : new Load(location, MemoryOrder.Relaxed, span) { Primitive = DotNetPrimitive.PlainLoad, Index = index };

    /// <summary>
    /// The location an assignment, a read or a <c>ref</c> argument names: a scalar field, or an
    /// array element (a constant index names the element; another index is kept, an address dependency).
    /// </summary>
    private (string Location, Expression? Index, SharedField Field) Target(ExpressionSyntax expression, string use)
    {
        switch (expression)
        {
            case ParenthesizedExpressionSyntax parenthesized:
                return Target(parenthesized.Expression, use);
            case IdentifierNameSyntax identifier:
            {
                var name = identifier.Identifier.ValueText;
                if (_locals.Contains(name))
                    throw Error(identifier, $"'{name}' is a local of P{thread}, not shared memory: {use} needs a field of the initial state");
                if (!fields.TryGetValue(name, out var field))
                    throw Error(identifier, $"'{name}' is not a field of the initial state");
                if (field.IsArray) throw Error(identifier, $"'{name}' is an array: name an element, as in '{name}[0]'");
                _touched.Add(name);
                return (name, null, field);
            }
            case ElementAccessExpressionSyntax { Expression: IdentifierNameSyntax array } element:
            {
                var name = array.Identifier.ValueText;
                if (!fields.TryGetValue(name, out var field) || !field.IsArray)
                    throw Error(array, $"'{name}' is not an array of the initial state");
                if (element.ArgumentList.Arguments is not [{ RefKindKeyword.RawKind: 0, NameColon: null } argument])
                    throw Error(element.ArgumentList, $"an element of '{name}' has one index, as in '{name}[0]'");
                var index = Value(argument.Expression);
                if (index is Constant constant)
                {
                    if (constant.Value < 0 || constant.Value >= field.Length)
                        throw Error(argument, $"index {constant.Value} is outside '{name}', whose indices go from 0 to {field.Length - 1}");
                    var location = SharedField.ElementName(name, constant.Value);
                    _touched.Add(location);
                    return (location, null, field);
                }
                for (var i = 0; i < field.Length; i++) _touched.Add(SharedField.ElementName(name, i));
                return (SharedField.ElementName(name, 0), index, field);
            }
            default:
                throw Error(expression, $"{use} needs a field or an array element of the initial state, not '{expression}'");
        }
    }

    private (string Location, Expression? Index, SharedField Field) Target(ArgumentSyntax argument, string method)
    {
        if (!argument.RefKindKeyword.IsKind(SyntaxKind.RefKeyword) && !argument.RefKindKeyword.IsKind(SyntaxKind.InKeyword))
            throw Error(argument, $"{method} takes its location by reference: write 'ref {argument.Expression}'");
        return Target(argument.Expression, method);
    }

    // ------------------------------------------------------------------ calls

    /// <summary>The class and method a call names: <c>Volatile</c>, <c>Interlocked</c> or <c>Thread</c>, with or without <c>System.Threading.</c>.</summary>
    private (string Type, string Method) Method(InvocationExpressionSyntax call)
    {
        if (call.Expression is MemberAccessExpressionSyntax { Name: IdentifierNameSyntax method } member)
        {
            var type = member.Expression.ToString().Replace(" ", "", StringComparison.Ordinal);
            if (type.StartsWith("System.Threading.", StringComparison.Ordinal)) type = type["System.Threading.".Length..];
            if (type is "Volatile" or "Interlocked" or "Thread") return (type, method.Identifier.ValueText);
        }
        if (call.Expression is MemberAccessExpressionSyntax { Name: GenericNameSyntax generic })
            throw Error(generic, $"write '{call.Expression.ToString().Split('<')[0]}(...)' without type arguments: the fields' types decide");
        throw Error(call.Expression, $"'{call.Expression}' is not supported: a thread calls Volatile.Read/Write, Interlocked's methods and the barriers only");
    }

    private void Arguments(InvocationExpressionSyntax call, string type, string method, int count)
    {
        var arguments = call.ArgumentList.Arguments;
        if (arguments.Count != count)
            throw Error(call.ArgumentList, $"{type}.{method} takes {count} argument{(count == 1 ? "" : "s")}, not {arguments.Count}");
        foreach (var argument in arguments)
            if (argument.NameColon is not null) throw Error(argument, "named arguments are not supported: give them in order");
        for (var i = 1; i < count; i++)
            if (!arguments[i].RefKindKeyword.IsKind(SyntaxKind.None))
                throw Error(arguments[i], $"only the first argument of {type}.{method} is a reference");
    }

    private Expression Call(InvocationExpressionSyntax call, SourceSpan span)
    {
        var (type, method) = Method(call);
        var name = $"{type}.{method}";
        var arguments = call.ArgumentList.Arguments;
        switch (type, method)
        {
            case ("Volatile", "Read"):
            {
                Arguments(call, type, method, 1);
                var (location, index, _) = Target(arguments[0], name);
                return new Load(location, MemoryOrder.Acquire, span) { Primitive = DotNetPrimitive.VolatileRead, Index = index };
            }
            case ("Interlocked", "Exchange"):
                return Rmw(call, name, 2, RmwOperation.Exchange, InterlockedMethod.Exchange, DotNetPrimitive.InterlockedExchange, span);
            case ("Interlocked", "Add"):
                return Rmw(call, name, 2, RmwOperation.Add, InterlockedMethod.Add, DotNetPrimitive.InterlockedAdd, span);
            case ("Interlocked", "Increment"):
                return Rmw(call, name, 1, RmwOperation.Add, InterlockedMethod.Increment, DotNetPrimitive.InterlockedAdd, span);
            case ("Interlocked", "Decrement"):
                return Rmw(call, name, 1, RmwOperation.Sub, InterlockedMethod.Decrement, DotNetPrimitive.InterlockedAdd, span);
            case ("Interlocked", "And"):
                return Rmw(call, name, 2, RmwOperation.And, InterlockedMethod.And, DotNetPrimitive.InterlockedAnd, span);
            case ("Interlocked", "Or"):
                return Rmw(call, name, 2, RmwOperation.Or, InterlockedMethod.Or, DotNetPrimitive.InterlockedOr, span);
            case ("Interlocked", "CompareExchange"):
            {
                Arguments(call, type, method, 3);
                var (location, index, _) = Target(arguments[0], name);
                var desired = Value(arguments[1].Expression);
                var comparand = Value(arguments[2].Expression);
                return new ValueCompareExchange(location, desired, comparand, span) { Index = index };
            }
            case ("Volatile", "Write"):
                throw Error(call, "Volatile.Write returns nothing: write it as a statement of its own");
            case (_, "MemoryBarrier" or "ReadBarrier" or "WriteBarrier"):
                throw Error(call, $"{name} returns nothing: write it as a statement of its own");
            case ("Interlocked", "Read"):
                throw Error(call, "Interlocked.Read is not supported: read a 'long' with Volatile.Read(ref f), or write Interlocked.CompareExchange(ref f, 0, 0)");
            default:
                throw Error(call, $"{name} is not supported: a thread calls Volatile.Read/Write/ReadBarrier/WriteBarrier, " +
                    "Interlocked.Exchange/CompareExchange/Add/Increment/Decrement/And/Or/MemoryBarrier and Thread.MemoryBarrier");
        }
    }

    private ReadModifyWrite Rmw(InvocationExpressionSyntax call, string name, int count, RmwOperation operation, InterlockedMethod method,
        DotNetPrimitive primitive, SourceSpan span)
    {
        var parts = name.Split('.');
        Arguments(call, parts[0], parts[1], count);
        var (location, index, _) = Target(call.ArgumentList.Arguments[0], name);
        var operand = count == 2 ? Value(call.ArgumentList.Arguments[1].Expression) : new Constant(1, span);
        // Every Interlocked method is a full barrier: seq_cst is the nearest C++ order.
        return new ReadModifyWrite(operation, location, operand, MemoryOrder.SeqCst, span)
        {
            Primitive = primitive,
            Method = method,
            Index = index,
        };
    }
}
