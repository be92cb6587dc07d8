using Harness.Programs;

namespace Harness.Language.Source;

/// <summary>
/// herd's final condition and <c>locations [...]</c> clause, which every dialect writes the same
/// way: only what a state key names (a C register, an x86 <c>EAX</c>, a C# local or array element)
/// and how a number is spelt differ, and a dialect's reader says just that. The connectives, from
/// loosest to tightest: <c>=&gt;</c> (right-associative), <c>\/</c>, <c>/\</c>, <c>~</c>.
/// </summary>
internal abstract class ConditionReader
{
    /// <summary>Guards every recursive descent, so that hostile input cannot overflow the stack.</summary>
    public const int MaxNesting = 64;

    protected abstract Token Current { get; }

    protected abstract Token Peek(int ahead);

    protected abstract Token Advance();

    /// <summary>The dialect's error at a token: the exception to throw (reported already, where the dialect reports as it goes).</summary>
    protected abstract Exception Fail(Token at, string message);

    /// <summary>A register of a thread (<c>1:r0</c>) or a location (<c>x</c>, <c>[x]</c>), checked against the test.</summary>
    protected abstract StateKey ReadStateKey(string context);

    /// <summary>The integer <paramref name="literal"/> spells, negated when a '-' came before it.</summary>
    protected abstract long ReadValue(Token literal, bool negative);

    protected abstract SourceSpan SpanOf(Token token);

    /// <summary>What to say when no quantifier starts the condition.</summary>
    protected virtual string MissingCondition(Token found) =>
        $"expected the final condition ('exists', '~exists' or 'forall'), found {found.Describe()}";

    /// <summary>Where the proposition read so far ends in the text: the end of its last token.</summary>
    private int _conditionEnd;

    public static bool StartsCondition(Token current, Token next) =>
        current.IsIdentifier("exists") || current.IsIdentifier("forall") || (current.Is("~") && next.IsIdentifier("exists"));

    protected bool Accept(string punctuator)
    {
        if (!Current.Is(punctuator)) return false;
        Advance();
        return true;
    }

    protected Token Expect(string punctuator, string context) =>
        Current.Is(punctuator) ? Advance() : throw Fail(Current, $"expected '{punctuator}' {context}, found {Current.Describe()}");

    /// <summary>One <c>locations [k; k; ...]</c> clause, at its keyword; keys already listed are not added twice.</summary>
    public void ReadLocationsClause(List<StateKey> keys)
    {
        var keyword = Advance();
        Expect("[", $"after '{keyword.Text}'");
        while (!Current.Is("]") && Current.Kind != TokenKind.EndOfFile && !StartsCondition(Current, Peek(1)))
        {
            var key = ReadStateKey("in 'locations'");
            if (!keys.Contains(key)) keys.Add(key);
            if (!Accept(";")) break;
        }
        Expect("]", $"to close the '[' of '{keyword.Text}'");
    }

    /// <summary>
    /// The condition to the end of the text (a ';' after it is allowed), with its source text as
    /// written, white space runs made one space.
    /// </summary>
    public FinalCondition ReadFinalCondition(string text)
    {
        var first = Current;
        Quantifier quantifier;
        if (first.IsIdentifier("exists")) quantifier = Quantifier.Exists;
        else if (first.IsIdentifier("forall")) quantifier = Quantifier.ForAll;
        else if (first.Is("~") && Peek(1).IsIdentifier("exists"))
        {
            Advance();
            quantifier = Quantifier.NotExists;
        }
        else throw Fail(first, MissingCondition(first));
        Advance();
        var proposition = Implication(0);
        Accept(";");
        if (Current.Kind != TokenKind.EndOfFile) throw Fail(Current, $"unexpected {Current.Describe()} after the final condition");
        return new FinalCondition(quantifier, proposition, CollapseWhitespace(text[first.Start.._conditionEnd]), SpanOf(first));
    }

    private Proposition Implication(int depth)
    {
        var left = Disjunction(depth);
        if (!Current.Is("=>")) return left;
        var arrow = Advance();
        return new ImpliesProposition(left, Implication(Deeper(depth, arrow)));
    }

    private Proposition Disjunction(int depth)
    {
        var operands = new List<Proposition> { Conjunction(depth) };
        while (Accept("\\/")) operands.Add(Conjunction(depth));
        return Balanced(operands, (left, right) => new OrProposition(left, right));
    }

    private Proposition Conjunction(int depth)
    {
        var operands = new List<Proposition> { Negation(depth) };
        while (Accept("/\\")) operands.Add(Negation(depth));
        return Balanced(operands, (left, right) => new AndProposition(left, right));
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

    private Proposition Negation(int depth)
    {
        if (!Current.Is("~")) return Primary(depth);
        var tilde = Advance();
        return new NotProposition(Negation(Deeper(depth, tilde)));
    }

    private int Deeper(int depth, Token at) =>
        depth < MaxNesting ? depth + 1 : throw Fail(at, $"nesting is deeper than {MaxNesting} levels");

    private Proposition Primary(int depth)
    {
        var token = Current;
        if (token.Is("("))
        {
            Advance();
            var inner = Implication(Deeper(depth, token));
            _conditionEnd = Expect(")", "to close '(' in the final condition").End;
            return inner;
        }
        if (token.IsIdentifier("true") || token.IsIdentifier("false"))
        {
            _conditionEnd = Advance().End;
            return new ConstantProposition(token.Text == "true");
        }
        var key = ReadStateKey("in the final condition");
        if (!Accept("=") && !Accept("=="))
            throw Fail(Current, $"expected '=' after '{key}' in the final condition, found {Current.Describe()}");
        var negative = Accept("-");
        var valueToken = Current;
        if (valueToken.Kind != TokenKind.Integer)
        {
            var hint = valueToken.Kind == TokenKind.Identifier ? " (comparing with addresses is not supported)" : "";
            throw Fail(valueToken, $"expected an integer value for '{key}', found {valueToken.Describe()}{hint}");
        }
        _conditionEnd = Advance().End;
        return new AtomProposition(key, ReadValue(valueToken, negative), SpanOf(token));
    }

    /// <summary>Each run of white space as one space.</summary>
    public static string CollapseWhitespace(string text)
    {
        var collapsed = new System.Text.StringBuilder(text.Length);
        var inSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                if (!inSpace) collapsed.Append(' ');
                inSpace = true;
            }
            else
            {
                collapsed.Append(c);
                inSpace = false;
            }
        }
        return collapsed.ToString();
    }
}
