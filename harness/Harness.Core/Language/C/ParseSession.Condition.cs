using System.Globalization;
using Harness.Programs;
using Harness.Language.Source;

namespace Harness.Language.C;

internal sealed partial class ParseSession
{
    /// <summary>After the threads: optional <c>locations [...]</c> and <c>filter</c>, then the condition.</summary>
    private (List<StateKey> ExtraLocations, FinalCondition? Condition) ParseConditionSection()
    {
        var extraLocations = new List<StateKey>();
        while (true)
        {
            if (Current.IsIdentifier("locations")) ParseLocationsClause(extraLocations);
            else if (Current.IsIdentifier("filter")) SkipFilter();
            else break;
        }
        return (extraLocations, ParseFinalCondition());
    }

    /// <summary><c>locations [x; 1:r0; [y];]</c>: final values to show in every state.</summary>
    private void ParseLocationsClause(List<StateKey> extraLocations)
    {
        var keyword = Advance();
        try
        {
            Expect("[", "after 'locations'");
            // A frame keyword means the ']' was forgotten, not a location named 'exists'.
            while (!Current.Is("]") && !AtFrameSection())
            {
                var (key, at) = ParseStateKey("in 'locations'");
                CheckStateKey(key, at);
                if (!extraLocations.Contains(key)) extraLocations.Add(key);
                if (!Accept(";")) break;
            }
            Expect("]", $"to close the '[' of '{keyword.Text}'");
        }
        catch (SyntaxErrorException)
        {
            while (!AtFrameSection())
            {
                if (Advance().Is("]")) return;
            }
        }
    }

    private void SkipFilter()
    {
        Report(Current, "'filter' clauses are not supported");
        SkipToNextFrameSection();
    }

    private FinalCondition? ParseFinalCondition()
    {
        var start = Current;
        Quantifier quantifier;
        if (start.IsIdentifier("exists"))
        {
            quantifier = Quantifier.Exists;
        }
        else if (start.IsIdentifier("forall"))
        {
            quantifier = Quantifier.ForAll;
        }
        else if (start.Is("~") && Peek(1).IsIdentifier("exists"))
        {
            Advance();
            quantifier = Quantifier.NotExists;
        }
        else
        {
            Report(start, $"expected the final condition ('exists', '~exists' or 'forall'), found {start.Describe()}");
            return null;
        }
        Advance();

        Proposition proposition;
        try
        {
            proposition = ParseImplication();
        }
        catch (SyntaxErrorException)
        {
            return null;
        }
        var source = CollapseWhitespace(text[start.Start..Previous.End]);
        if (Current.Kind != TokenKind.EndOfFile)
        {
            Report(Current, $"unexpected {Current.Describe()} after the final condition");
        }
        return new FinalCondition(quantifier, proposition, source, SpanOf(start));
    }

    // ------------------------------------------------------------------ propositions
    // From loosest to tightest: '=>' (right-associative), '\/', '/\', '~'.

    private Proposition ParseImplication()
    {
        var left = ParseDisjunction();
        if (!Current.Is("=>")) return left;
        var arrow = Advance();
        EnterNesting(arrow);
        try
        {
            return new ImpliesProposition(left, ParseImplication());
        }
        finally
        {
            LeaveNesting();
        }
    }

    private Proposition ParseDisjunction() =>
        Balanced(ParseSeparated("\\/", ParseConjunction), (left, right) => new OrProposition(left, right));

    private Proposition ParseConjunction() =>
        Balanced(ParseSeparated("/\\", ParseNegation), (left, right) => new AndProposition(left, right));

    private List<Proposition> ParseSeparated(string separator, Func<Proposition> parseOperand)
    {
        var operands = new List<Proposition> { parseOperand() };
        while (Accept(separator)) operands.Add(parseOperand());
        return operands;
    }

    /// <summary>
    /// Joins a chain of operands of an associative connective into a balanced tree, so that a
    /// condition listing hundreds of outcomes does not make a tree that deep. Up to three operands
    /// this is the usual left association: <c>(a /\ b) /\ c</c>.
    /// </summary>
    private static Proposition Balanced(List<Proposition> operands, Func<Proposition, Proposition, Proposition> combine)
    {
        return Join(0, operands.Count);

        Proposition Join(int first, int count)
        {
            if (count == 1) return operands[first];
            var leftCount = (count + 1) / 2;
            return combine(Join(first, leftCount), Join(first + leftCount, count - leftCount));
        }
    }

    private Proposition ParseNegation()
    {
        if (!Current.Is("~")) return ParsePropositionPrimary();
        var tilde = Advance();
        EnterNesting(tilde);
        try
        {
            return new NotProposition(ParseNegation());
        }
        finally
        {
            LeaveNesting();
        }
    }

    private Proposition ParsePropositionPrimary()
    {
        var token = Current;
        if (token.Is("("))
        {
            Advance();
            EnterNesting(token);
            try
            {
                var inner = ParseImplication();
                Expect(")", "to close '(' in the final condition");
                return inner;
            }
            finally
            {
                LeaveNesting();
            }
        }
        if (token.IsIdentifier("true") || token.IsIdentifier("false"))
        {
            Advance();
            return new ConstantProposition(token.Text == "true");
        }
        return ParseAtom();
    }

    /// <summary><c>1:r0=1</c>, <c>x=2</c>, <c>[x]=2</c>, also with '==' and negative values.</summary>
    private AtomProposition ParseAtom()
    {
        var (key, start) = ParseStateKey("in the final condition");
        if (!Accept("=") && !Accept("=="))
        {
            throw Fail(Current, $"expected '=' after '{key}' in the final condition, found {Current.Describe()}");
        }
        var negative = Accept("-");
        var valueToken = Current;
        if (valueToken.Kind != TokenKind.Integer)
        {
            var hint = valueToken.Kind == TokenKind.Identifier ? " (comparing with addresses is not supported)" : "";
            throw Fail(valueToken, $"expected an integer value for '{key}', found {valueToken.Describe()}{hint}");
        }
        Advance();
        var value = ParseInteger(valueToken, negative);
        CheckStateKey(key, start);
        return new AtomProposition(key, value, SpanOf(start));
    }

    /// <summary><c>1:r0</c> (register r0 of thread 1), <c>x</c> or <c>[x]</c> (location x).</summary>
    private (StateKey Key, Token Start) ParseStateKey(string context)
    {
        var start = Current;
        if (start.Kind == TokenKind.Integer && Peek(1).Is(":"))
        {
            Advance();
            Advance();
            var register = ExpectIdentifier($"a register name after '{start.Text}:'");
            if (!int.TryParse(start.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var thread))
            {
                Report(start, $"invalid thread number '{start.Text}'");
                thread = -1;
            }
            return (StateKey.Register(thread, register.Text), start);
        }
        if (start.Is("["))
        {
            Advance();
            var name = ExpectIdentifier("a location name after '['");
            Expect("]", $"after '[{name.Text}'");
            return (StateKey.Location(name.Text), start);
        }
        if (start.Kind == TokenKind.Identifier)
        {
            Advance();
            return (StateKey.Location(start.Text), start);
        }
        throw Fail(start, $"expected a register such as '1:r0' or a location such as 'x' {context}, found {start.Describe()}");
    }

    /// <summary>Condition and 'locations' keys must name something the test has.</summary>
    private void CheckStateKey(StateKey key, Token at)
    {
        if (threadsIncomplete) return;
        if (key.Thread is int thread)
        {
            if (!threadsByNumber.TryGetValue(thread, out var scope))
            {
                Report(at, $"'{key}' refers to thread P{thread}, which does not exist");
            }
            else if (!scope.KnownRegisters.Contains(key.Name))
            {
                Report(at, $"register '{key.Name}' is never declared or assigned in P{thread}");
            }
        }
        else if (!locations.Contains(key.Name))
        {
            Report(at, $"location '{key.Name}' is not in the test: it is neither initialised nor a thread parameter");
        }
    }
}
