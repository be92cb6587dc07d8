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
        try
        {
            new CConditionReader(this).ReadLocationsClause(extraLocations);
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
        try
        {
            return new CConditionReader(this).ReadFinalCondition(text);
        }
        catch (SyntaxErrorException)
        {
            return null;
        }
    }

    /// <summary>The shared condition grammar over this session's tokens, with C's state keys and integers.</summary>
    private sealed class CConditionReader(ParseSession session) : ConditionReader
    {
        protected override Token Current => session.Current;

        protected override Token Peek(int ahead) => session.Peek(ahead);

        protected override Token Advance() => session.Advance();

        protected override Exception Fail(Token at, string message) => session.Fail(at, message);

        protected override StateKey ReadStateKey(string context)
        {
            var (key, start) = session.ParseStateKey(context);
            session.CheckStateKey(key, start);
            return key;
        }

        protected override long ReadValue(Token literal, bool negative) => session.ParseInteger(literal, negative);

        protected override SourceSpan SpanOf(Token token) => session.SpanOf(token);
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
