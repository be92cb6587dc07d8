using System.Globalization;
using Harness.Programs;
using Harness.Language.Source;

namespace Harness.Language.C;

internal sealed partial class ParseSession
{
    /// <summary>C's binary operators; a higher precedence binds tighter.</summary>
    private static readonly Dictionary<string, (BinaryOperator Operator, int Precedence)> BinaryOperators = new()
    {
        ["||"] = (BinaryOperator.LogicalOr, 1),
        ["&&"] = (BinaryOperator.LogicalAnd, 2),
        ["|"] = (BinaryOperator.BitOr, 3),
        ["^"] = (BinaryOperator.BitXor, 4),
        ["&"] = (BinaryOperator.BitAnd, 5),
        ["=="] = (BinaryOperator.Equal, 6),
        ["!="] = (BinaryOperator.NotEqual, 6),
        ["<"] = (BinaryOperator.Less, 7),
        ["<="] = (BinaryOperator.LessEqual, 7),
        [">"] = (BinaryOperator.Greater, 7),
        [">="] = (BinaryOperator.GreaterEqual, 7),
        ["<<"] = (BinaryOperator.ShiftLeft, 8),
        [">>"] = (BinaryOperator.ShiftRight, 8),
        ["+"] = (BinaryOperator.Add, 9),
        ["-"] = (BinaryOperator.Sub, 9),
        ["*"] = (BinaryOperator.Mul, 10),
        ["/"] = (BinaryOperator.Div, 10),
        ["%"] = (BinaryOperator.Mod, 10),
    };

    private static readonly Dictionary<string, MemoryOrder> MemoryOrdersByName = new()
    {
        ["memory_order_relaxed"] = MemoryOrder.Relaxed,
        // Compilers strengthen consume to acquire; so do we.
        ["memory_order_consume"] = MemoryOrder.Acquire,
        ["memory_order_acquire"] = MemoryOrder.Acquire,
        ["memory_order_release"] = MemoryOrder.Release,
        ["memory_order_acq_rel"] = MemoryOrder.AcqRel,
        ["memory_order_seq_cst"] = MemoryOrder.SeqCst,
    };

    /// <summary>
    /// Height of every composite expression built so far. A chain such as <c>1+1+...+1</c> is parsed
    /// by a loop, not by recursion, but it still makes a tree as deep as it is long, and the
    /// simulator walks trees recursively: heights are capped like nesting.
    /// </summary>
    private readonly Dictionary<Expression, int> expressionHeights = new(ReferenceEqualityComparer.Instance);

    private Expression ParseExpression() => ParseBinary(minimumPrecedence: 1);

    /// <summary>Names of atomic operations, supported or not: a call follows them, never a declaration.</summary>
    private static bool IsFunctionName(string name) =>
        AtomicFunctions.TryGetSupported(name, out _) || AtomicFunctions.TryGetUnsupportedReason(name, out _);

    /// <summary>Precedence climbing: operators of at least <paramref name="minimumPrecedence"/>, left-associative.</summary>
    private Expression ParseBinary(int minimumPrecedence)
    {
        var start = Current;
        var left = ParseUnary();
        while (Current.Kind == TokenKind.Punctuator
               && BinaryOperators.TryGetValue(Current.Text, out var binary)
               && binary.Precedence >= minimumPrecedence)
        {
            var operatorToken = Advance();
            var right = ParseBinary(binary.Precedence + 1);
            left = WithHeight(new Binary(binary.Operator, left, right, SpanOf(start)), operatorToken, left, right);
        }
        return left;
    }

    private Expression ParseUnary()
    {
        var token = Current;
        if (token.Is("-") && Peek(1).Kind == TokenKind.Integer)
        {
            // Folded, so that the most negative 64-bit integer can be written.
            Advance();
            var literal = Advance();
            return new Constant(ParseInteger(literal, negative: true), SpanOf(token));
        }
        UnaryOperator? unary = token.Kind != TokenKind.Punctuator ? null : token.Text switch
        {
            "-" => UnaryOperator.Negate,
            "!" => UnaryOperator.LogicalNot,
            "~" => UnaryOperator.BitNot,
            _ => null,
        };
        if (IncrementAt(0) is string increment && Peek(2).Kind == TokenKind.Identifier)
        {
            // '--r0' would otherwise read as a double negation.
            throw Fail(token, $"'{increment}' is only supported as a statement of its own, such as 'r0{increment};'");
        }
        if (unary is UnaryOperator unaryOperator)
        {
            Advance();
            EnterNesting(token);
            try
            {
                var operand = ParseUnary();
                return WithHeight(new Unary(unaryOperator, operand, SpanOf(token)), token, operand);
            }
            finally
            {
                LeaveNesting();
            }
        }
        if (token.Is("*"))
        {
            // A plain load, non-atomic whatever the declared type of the parameter (as in herd7).
            Advance();
            var location = ParseDereferencedLocation(token);
            var load = new Load(location.Name, MemoryOrder.NonAtomic, SpanOf(token)) { Offset = location.Offset };
            return WithHeight(load, token, Children(location.Offset));
        }
        return ParsePrimary();
    }

    private Expression ParsePrimary()
    {
        var token = Current;
        if (token.Kind == TokenKind.Integer)
        {
            Advance();
            return new Constant(ParseInteger(token, negative: false), SpanOf(token));
        }
        if (token.Is("("))
        {
            Advance();
            EnterNesting(token);
            try
            {
                var inner = ParseExpression();
                Expect(")", "to close '('");
                return inner;
            }
            finally
            {
                LeaveNesting();
            }
        }
        if (token.Kind == TokenKind.Identifier)
        {
            if (Peek(1).Is("(")) return ParseCallExpression();
            if (Peek(1).Is("[")) throw Fail(Peek(1), $"arrays are not supported: '{token.Text}[...]' cannot be read");
            Advance();
            return ReadRegister(token);
        }
        throw Fail(token, $"expected an expression, found {token.Describe()}");
    }

    private RegisterRead ReadRegister(Token name)
    {
        var scope = currentThread!;
        if (scope.Parameters.ContainsKey(name.Text))
        {
            Report(name, $"'{name.Text}' is a location: read it with '*{name.Text}' or atomic_load_explicit");
        }
        else if (MemoryOrdersByName.ContainsKey(name.Text))
        {
            Report(name, $"'{name.Text}' can only be an argument of an atomic operation");
        }
        else if (scope.KnownRegisters.Add(name.Text))
        {
            // Now known: one report per register is enough.
            Report(name, $"register '{name.Text}' is used before being declared or assigned in {scope.Name}");
        }
        return new RegisterRead(name.Text, SpanOf(name));
    }

    // ------------------------------------------------------------------ locations

    /// <summary>
    /// A location as written where one is expected: a parameter name, possibly with diy7's address
    /// dependency <c>x + (r0 &amp; 128)</c>. <see cref="Offset"/> is then the expression added to the
    /// address, <c>r0 &amp; 128</c>, kept as written: its unit (C counts in elements) is for the lowering.
    /// </summary>
    private readonly record struct LocationReference(string Name, Expression? Offset, Token Token);

    /// <summary>
    /// What follows '*' in a plain access: <c>x</c>, or a parenthesised location such as
    /// <c>(x + (r0 &amp; 128))</c>. An unparenthesised offset is not taken: <c>*x + 1</c> is <c>(*x) + 1</c>.
    /// </summary>
    private LocationReference ParseDereferencedLocation(Token star)
    {
        var expectation = $"expected a location (a parameter of {currentThread!.Name}) after '{star.Text}'";
        if (Current.Is("(")) return ParseParenthesisedLocation(expectation);
        return ParseLocationName(expectation, hint: "");
    }

    /// <summary>
    /// A location with an optional offset: <c>x</c>, <c>x + e</c>, <c>x - e</c> (offset <c>-e</c>, a
    /// <see cref="UnaryOperator.Negate"/>), any of them in parentheses, and further terms added
    /// (<c>x + a - b</c> has offset <c>a - b</c>). Terms bind as C's '+' does: <c>x + a * b</c> has
    /// offset <c>a * b</c>.
    /// </summary>
    private LocationReference ParseLocationWithOffset(string expectation)
    {
        var location = Current.Is("(")
            ? ParseParenthesisedLocation(expectation)
            : ParseLocationName(expectation, Current.Is("&") ? ": locations are passed as pointers, so write 'x', not '&x'" : "");
        var offset = location.Offset;
        var additive = BinaryOperators["+"].Precedence;
        while (Current.Is("+") || Current.Is("-"))
        {
            var operatorToken = Advance();
            var term = ParseBinary(additive + 1);
            var subtract = operatorToken.Is("-");
            if (offset is null)
            {
                offset = subtract ? WithHeight(new Unary(UnaryOperator.Negate, term, SpanOf(operatorToken)), operatorToken, term) : term;
            }
            else
            {
                var operation = subtract ? BinaryOperator.Sub : BinaryOperator.Add;
                offset = WithHeight(new Binary(operation, offset, term, offset.Span), operatorToken, offset, term);
            }
        }
        return location with { Offset = offset };
    }

    private LocationReference ParseParenthesisedLocation(string expectation)
    {
        var open = Advance();
        EnterNesting(open);
        try
        {
            var location = ParseLocationWithOffset(expectation);
            Expect(")", "to close '('");
            return location;
        }
        finally
        {
            LeaveNesting();
        }
    }

    private LocationReference ParseLocationName(string expectation, string hint)
    {
        var token = Current;
        if (token.Kind != TokenKind.Identifier) throw Fail(token, $"{expectation}, found {token.Describe()}{hint}");
        Advance();
        CheckIsParameter(token);
        return new LocationReference(token.Text, null, token);
    }

    /// <summary>The children of a node whose offset may be missing, for <see cref="WithHeight"/>.</summary>
    private static Expression[] Children(Expression? offset, params Expression[] others) =>
        offset is null ? others : [.. others, offset];

    // ------------------------------------------------------------------ calls

    /// <summary>A call used for its value; on a reported error, a placeholder constant.</summary>
    private Expression ParseCallExpression()
    {
        var name = Advance();
        var placeholder = new Constant(0, SpanOf(name));
        if (!AtomicFunctions.TryGetSupported(name.Text, out var function))
        {
            Report(name, AtomicFunctions.TryGetUnsupportedReason(name.Text, out var reason)
                ? $"'{name.Text}' is not supported: {reason}"
                : $"unknown function '{name.Text}'");
            SkipCallArguments();
            return placeholder;
        }

        var arguments = ParseCallArguments(name, function);
        if (!function.ProducesValue)
        {
            Report(name, $"'{name.Text}' returns void: it cannot be used as a value");
            return placeholder;
        }
        if (arguments is null) return placeholder;

        var span = SpanOf(name);
        switch (function.Kind)
        {
            case AtomicFunctionKind.Load:
            {
                CheckLoadOrder(arguments, 0);
                var location = arguments.Locations[0];
                var load = new Load(location.Name, arguments.OrderOrSeqCst(0), span) { Offset = location.Offset };
                return WithHeight(load, name, Children(location.Offset));
            }
            case AtomicFunctionKind.ReadModifyWrite:
            {
                var location = arguments.Locations[0];
                var operand = arguments.Values[0];
                var readModifyWrite = new ReadModifyWrite(function.Operation, location.Name, operand, arguments.OrderOrSeqCst(0), span)
                {
                    Offset = location.Offset,
                };
                return WithHeight(readModifyWrite, name, Children(location.Offset, operand));
            }
            default:
            {
                CheckFailureOrder(arguments, 1);
                // The node has no offset: diy7 never writes one here, and herd7 keeps the expected value in a plain location.
                foreach (var location in arguments.Locations.Where(location => location.Offset is not null))
                {
                    Report(location.Token, $"'{name.Text}' does not take a location with an offset such as '{location.Name} + ...'");
                }
                var desired = arguments.Values[0];
                return WithHeight(
                    new CompareExchange(arguments.Locations[0].Name, arguments.Locations[1].Name, desired,
                        arguments.OrderOrSeqCst(0), arguments.OrderOrSeqCst(1), function.Strong, span),
                    name, desired);
            }
        }
    }

    /// <summary>The arguments of an atomic operation, sorted by kind in the order written.</summary>
    private sealed class CallArguments
    {
        public List<LocationReference> Locations { get; } = [];
        public List<Expression> Values { get; } = [];

        /// <summary>Null where the order was not understood (already reported).</summary>
        public List<(MemoryOrder? Order, Token Token)> Orders { get; } = [];

        /// <summary>The non-explicit forms take no order: they are seq_cst.</summary>
        public MemoryOrder OrderOrSeqCst(int position) =>
            position < Orders.Count ? Orders[position].Order ?? MemoryOrder.SeqCst : MemoryOrder.SeqCst;
    }

    /// <summary>Parses '(' arguments ')' against the signature; null when the count is wrong (reported).</summary>
    private CallArguments? ParseCallArguments(Token name, AtomicFunction function)
    {
        var expected = function.Signature.Count;
        if (CountArguments() is int found && found != expected)
        {
            var plural = expected == 1 ? "" : "s";
            Report(name, $"'{name.Text}' expects {expected} argument{plural} ({function.DescribeSignature()}), found {found}");
            SkipCallArguments();
            return null;
        }

        // A value argument may be a call in turn: nested calls recurse like parentheses.
        EnterNesting(name);
        try
        {
            Advance(); // '('
            var arguments = new CallArguments();
            for (var position = 1; position <= expected; position++)
            {
                if (position > 1) Expect(",", $"between the arguments of '{name.Text}'");
                switch (function.Signature[position - 1])
                {
                    case ArgumentKind.Location:
                        arguments.Locations.Add(ParseLocationArgument(name, position));
                        break;
                    case ArgumentKind.Value:
                        arguments.Values.Add(ParseExpression());
                        break;
                    default:
                        arguments.Orders.Add(ParseOrderArgument(name, position));
                        break;
                }
            }
            Expect(")", $"to close the arguments of '{name.Text}'");
            return arguments;
        }
        finally
        {
            LeaveNesting();
        }
    }

    /// <summary>
    /// Counts the arguments of the call whose '(' is the current token, without consuming anything;
    /// null when the parentheses do not close before the statement ends (the parse then says why).
    /// </summary>
    private int? CountArguments()
    {
        var depth = 0;
        var commas = 0;
        var empty = true;
        for (var position = index; position < tokens.Count; position++)
        {
            var token = tokens[position];
            if (token.Is("("))
            {
                if (depth > 0) empty = false;
                depth++;
            }
            else if (token.Is(")"))
            {
                depth--;
                if (depth == 0) return empty ? 0 : commas + 1;
                empty = false;
            }
            else if (token.Kind == TokenKind.EndOfFile || token.Is(";") || token.Is("{") || token.Is("}"))
            {
                return null;
            }
            else
            {
                if (depth == 1 && token.Is(",")) commas++;
                empty = false;
            }
        }
        return null;
    }

    /// <summary>Skips '(' ... ')' of a call already reported, stopping early at the end of the statement.</summary>
    private void SkipCallArguments()
    {
        var depth = 0;
        while (Current.Kind != TokenKind.EndOfFile && !Current.Is(";") && !Current.Is("{") && !Current.Is("}"))
        {
            var token = Advance();
            if (token.Is("(")) depth++;
            else if (token.Is(")") && --depth == 0) return;
        }
    }

    /// <summary>A location argument: <c>x</c>, or with diy7's address dependency, <c>x + (r0 &amp; 128)</c>.</summary>
    private LocationReference ParseLocationArgument(Token function, int position) =>
        ParseLocationWithOffset($"expected a location (a parameter of {currentThread!.Name}) as argument {position} of '{function.Text}'");

    private (MemoryOrder? Order, Token Token) ParseOrderArgument(Token function, int position)
    {
        var token = Current;
        var expectation = $"expected a memory order such as 'memory_order_relaxed' as argument {position} of '{function.Text}'";
        if (token.Kind != TokenKind.Identifier) throw Fail(token, $"{expectation}, found {token.Describe()}");
        Advance();
        if (Current.Is(":") && Peek(1).Is(":")) return ParseCppOrder(token);
        if (MemoryOrdersByName.TryGetValue(token.Text, out var order)) return (order, token);
        Report(token, token.Text.StartsWith("memory_order_", StringComparison.Ordinal)
            ? $"unknown memory order '{token.Text}'"
            : $"{expectation}, found '{token.Text}'");
        return (null, token);
    }

    /// <summary>
    /// C++ spellings of an order, <c>std::memory_order_relaxed</c> or <c>memory_order::relaxed</c>,
    /// starting at <paramref name="first"/>: reported with the C spelling to use, then read as it.
    /// </summary>
    private (MemoryOrder? Order, Token Token) ParseCppOrder(Token first)
    {
        var parts = new List<string> { first.Text };
        while (Current.Is(":") && Peek(1).Is(":") && Peek(2).Kind == TokenKind.Identifier)
        {
            Advance();
            Advance();
            parts.Add(Advance().Text);
        }
        var last = parts[^1];
        var cName = last.StartsWith("memory_order_", StringComparison.Ordinal) ? last : "memory_order_" + last;
        var known = MemoryOrdersByName.TryGetValue(cName, out var order);
        Report(first, known
            ? $"'{string.Join("::", parts)}' is the C++ spelling: write '{cName}'"
            : $"unknown memory order '{string.Join("::", parts)}'");
        return (known ? order : null, first);
    }

    private void CheckLoadOrder(CallArguments arguments, int position)
    {
        if (position >= arguments.Orders.Count) return;
        var (order, token) = arguments.Orders[position];
        if (order is MemoryOrder.Release or MemoryOrder.AcqRel)
        {
            Report(token, $"'{token.Text}' is not a valid order for a load: C++ forbids release and acq_rel loads");
        }
    }

    private void CheckStoreOrder(CallArguments arguments, int position)
    {
        if (position >= arguments.Orders.Count) return;
        var (order, token) = arguments.Orders[position];
        if (order is MemoryOrder.Acquire or MemoryOrder.AcqRel)
        {
            Report(token, $"'{token.Text}' is not a valid order for a store: C++ forbids consume, acquire and acq_rel stores");
        }
    }

    private void CheckFailureOrder(CallArguments arguments, int position)
    {
        if (position >= arguments.Orders.Count) return;
        var (order, token) = arguments.Orders[position];
        if (order is MemoryOrder.Release or MemoryOrder.AcqRel)
        {
            Report(token,
                $"'{token.Text}' is not a valid failure order for a compare-exchange: C++ forbids release and acq_rel failure orders");
        }
    }

    // ------------------------------------------------------------------ helpers

    private T WithHeight<T>(T node, Token at, params ReadOnlySpan<Expression> children) where T : Expression
    {
        var height = 1;
        foreach (var child in children)
        {
            height = Math.Max(height, expressionHeights.GetValueOrDefault(child, 1) + 1);
        }
        if (height > MaxNesting) throw Fail(at, $"expression is nested deeper than {MaxNesting} levels");
        expressionHeights[node] = height;
        return node;
    }

    /// <summary>
    /// A decimal or 0x-hexadecimal constant; problems are reported and read as 0. Constants must
    /// fit in an int, since the kernels keep every location and register in one
    /// (<see cref="Kernels.KernelGenerator"/>): a test that the runner could not run is refused
    /// here, with all its other problems, rather than later and alone.
    /// </summary>
    private long ParseInteger(Token literal, bool negative)
    {
        var text = literal.Text;
        var isHex = text.Length > 2 && text[0] == '0' && text[1] is 'x' or 'X';
        var digits = isHex ? text[2..] : text;
        var wellFormed = digits.Length > 0 && digits.All(isHex ? char.IsAsciiHexDigit : char.IsAsciiDigit);
        if (!wellFormed)
        {
            Report(literal, $"invalid integer constant '{text}'");
            return 0;
        }

        var style = isHex ? NumberStyles.AllowHexSpecifier : NumberStyles.None;
        var largest = negative ? -(long)int.MinValue : int.MaxValue;
        if (!ulong.TryParse(digits, style, CultureInfo.InvariantCulture, out var magnitude) || magnitude > (ulong)largest)
        {
            Report(literal, $"integer constant '{(negative ? "-" : "")}{text}' is out of range: "
                + $"values are 32-bit ints, from {int.MinValue} to {int.MaxValue}");
            return 0;
        }
        return negative ? -(long)magnitude : (long)magnitude;
    }
}
