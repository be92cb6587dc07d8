using Harness.Programs;
using Harness.Language.Source;

namespace Harness.Language.C;

internal sealed partial class ParseSession
{
    /// <summary>
    /// <c>{ [x]=0; y=1; int z = 2; 0:r0=1; }</c>: entries separated by ';', the last one optional.
    /// Locations it does not mention start at 0.
    /// </summary>
    private List<InitialValue> ParseInitialState()
    {
        var values = new List<InitialValue>();
        var initialisedKeys = new HashSet<StateKey>();
        Advance(); // '{'
        while (true)
        {
            if (Accept(";")) continue;
            if (Current.Is("}"))
            {
                Advance();
                return values;
            }
            if (AtFrameSection())
            {
                Report(Current, $"expected '}}' to close the initial state, found {Current.Describe()}");
                return values;
            }
            try
            {
                var start = Current;
                var value = ParseInitialValue();
                if (!initialisedKeys.Add(value.Target)) Report(start, $"'{value.Target}' is initialised twice");
                values.Add(value);
                if (!Current.Is("}")) Expect(";", "after an initial value");
            }
            catch (SyntaxErrorException)
            {
                SkipRestOfInitialState();
                return values;
            }
        }
    }

    private InitialValue ParseInitialValue()
    {
        var start = Current;
        if (start.Kind == TokenKind.Integer && Peek(1).Is(":"))
        {
            var (register, _) = ParseStateKey("in the initial state");
            Expect("=", $"after '{register}' in the initial state");
            var value = ParseInitialInteger(register);
            registerInitialisations.Add((register, start));
            return new InitialValue(register, value, null, SpanOf(start));
        }
        if (start.Is("["))
        {
            var (location, _) = ParseStateKey("in the initial state");
            Expect("=", $"after '[{location}]' in the initial state");
            return InitialLocation(location.Name, ParseInitialInteger(location), null, start);
        }
        if (start.Kind == TokenKind.Identifier) return ParseTypedOrPlainInitialValue();
        throw Fail(start, $"expected an initial value such as 'x=0', '[x]=0' or '0:r0=1', found {start.Describe()}");
    }

    /// <summary><c>x=0</c>, or a declaration such as <c>atomic_int x = 0</c> or <c>int x;</c>.</summary>
    private InitialValue ParseTypedOrPlainInitialValue()
    {
        var start = Current;
        var parts = new List<Token>();
        while (Current.Kind == TokenKind.Identifier || Current.Is("*")) parts.Add(Advance());
        if (parts[^1].Kind != TokenKind.Identifier)
        {
            throw Fail(Current, $"expected a location name in the initial state, found {Current.Describe()}");
        }

        var name = parts[^1].Text;
        var location = StateKey.Location(name);
        if (Current.Is("[")) throw Fail(Current, $"array location '{name}' is not supported: a location holds one integer");
        if (parts.Count == 1)
        {
            Expect("=", $"after '{name}' in the initial state");
            return InitialLocation(name, ParseInitialInteger(location), null, start);
        }

        var typeParts = parts[..^1];
        if (typeParts.Any(part => part.Is("*")))
        {
            Report(start, $"pointer-typed location '{name}' is not supported: initial values must be integers");
        }
        var type = NormaliseType(typeParts.Where(part => part.Kind == TokenKind.Identifier).Select(part => part.Text));
        var value = Accept("=") ? ParseInitialInteger(location) : 0;
        return InitialLocation(name, value, type, start);
    }

    private InitialValue InitialLocation(string name, long value, string? type, Token start)
    {
        AddLocation(name);
        return new InitialValue(StateKey.Location(name), value, type, SpanOf(start));
    }

    private long ParseInitialInteger(StateKey target)
    {
        var negative = Accept("-");
        var token = Current;
        if (token.Kind != TokenKind.Integer)
        {
            var hint = token.Kind == TokenKind.Identifier || token.Is("&") ? " (pointer values are not supported)" : "";
            throw Fail(token, $"expected an integer initial value for '{target}', found {token.Describe()}{hint}");
        }
        Advance();
        return ParseInteger(token, negative);
    }

    /// <summary>
    /// After a syntax error the rest of the initial state is skipped, up to its '}' or the first
    /// thread: an initial state is short, and a broken one (a lost '}' or thread header) would
    /// otherwise have the following C code reported as bad initial values.
    /// </summary>
    private void SkipRestOfInitialState()
    {
        var depth = 0;
        while (!AtFrameSection())
        {
            var token = Advance();
            if (token.Is("{")) depth++;
            else if (token.Is("}") && depth-- == 0) return;
        }
    }

    /// <summary>Register initialisations name threads, which are known only once all are parsed.</summary>
    private void CheckRegisterInitialisations()
    {
        if (threadsIncomplete) return;
        foreach (var (key, at) in registerInitialisations)
        {
            if (!threadsByNumber.ContainsKey(key.Thread!.Value))
            {
                Report(at, $"'{key}' initialises a register of thread P{key.Thread}, which does not exist");
            }
        }
    }

    private void AddLocation(string name)
    {
        if (!locations.Contains(name)) locations.Add(name);
    }

    /// <summary>
    /// Joins type words with single spaces. <c>_Atomic T</c> is written <c>atomic_T</c>, the
    /// spelling of &lt;stdatomic.h&gt;, so that later stages (and <see cref="Parameter.IsAtomic"/>)
    /// see one spelling for atomic types.
    /// </summary>
    private static string NormaliseType(IEnumerable<string> words)
    {
        var list = words.ToList();
        if (!list.Remove("_Atomic")) return string.Join(" ", list);
        var qualifiers = list.Where(word => word is "volatile" or "const");
        var baseType = string.Join("_", list.Where(word => word is not ("volatile" or "const")));
        return string.Join(" ", qualifiers.Append("atomic_" + baseType));
    }
}
