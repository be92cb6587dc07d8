using System.Text.RegularExpressions;
using Harness.Mapping;
using Harness.Programs;
using Harness.Simulation;

namespace Harness.Tests.Support;

/// <summary>
/// Litmus tests written in C#, built straight as AST nodes that name their .NET primitive (the C#
/// dialect's parser is written elsewhere): <see cref="Test"/> reads one thread per string, statements
/// separated by ';', in a C#-like notation; <see cref="FromC"/> rewrites a C test into the C# program
/// a mapping scheme makes of it.
/// </summary>
internal static partial class CSharpPrograms
{
    private static readonly SourceSpan Here = new("csharp-test", 1, 1);

    /// <summary>
    /// Statements: <c>x = E</c>, <c>Volatile.Write(x, E)</c>, <c>rN = x</c>, <c>rN = x[rK]</c> (an address
    /// dependency on rK, diy7's <c>x + (rK &amp; 128)</c>), <c>rN = Volatile.Read(x)</c>,
    /// <c>rN = Interlocked.Exchange(x, E)</c> (also Add, Or, And), <c>rN = Interlocked.CompareExchange(x, desired,
    /// comparand)</c> (rN is 1 on success, 0 on failure: the AST's compare-exchange is herd's, its
    /// comparand in a location of its own), <c>Interlocked.MemoryBarrier()</c>, <c>Volatile.ReadBarrier()</c>,
    /// <c>Volatile.WriteBarrier()</c>, <c>if (E) S</c>. E: integers, registers, + - * &amp; ==, parentheses.
    /// Registers are rN; every other name is a shared location, initially 0.
    /// </summary>
    public static LitmusTest Test(string name, string condition, params string[] threads)
    {
        var locations = new List<string>();
        var initial = new List<InitialValue>();
        var code = threads.Select((text, id) => new ThreadCode(id, [], new ThreadReader(id, locations, initial).Read(text), Here)).ToList();
        var parsed = Condition(condition);
        foreach (var key in parsed.Proposition.Keys().Where(k => !k.IsRegister && !locations.Contains(k.Name))) locations.Add(key.Name);
        return new LitmusTest(Simulator.CSharpArchitecture, name, null, [], initial, code, parsed, [], name + ".cs") { Locations = locations };
    }

    /// <summary>The C test as the C# program the scheme writes for it: every access names its primitive, barriers are statements.</summary>
    public static LitmusTest FromC(LitmusTest test, MappingScheme scheme) =>
        test with { Architecture = Simulator.CSharpArchitecture, Threads = test.Threads.Select(t => t with { Body = Rewrite(t.Body, scheme) }).ToList() };

    private static List<Statement> Rewrite(IReadOnlyList<Statement> body, MappingScheme scheme)
    {
        var result = new List<Statement>();
        foreach (var statement in body)
        {
            var after = new List<DotNetPrimitive>();
            Expression E(Expression e) => Rewrite(e, scheme, after);
            switch (statement)
            {
                case Store s:
                    var stored = scheme.Store(s.Order);
                    result.Add(s with { Value = E(s.Value), Offset = s.Offset is null ? null : E(s.Offset), Primitive = stored[0] });
                    after.AddRange(stored.Skip(1));
                    break;
                case Fence f:
                    after.AddRange(scheme.Fence(f.Order));
                    break;
                case LocalDeclaration d:
                    result.Add(d with { Value = d.Value is null ? null : E(d.Value) });
                    break;
                case Assignment a:
                    result.Add(a with { Value = E(a.Value) });
                    break;
                case ExpressionStatement x:
                    result.Add(x with { Expression = E(x.Expression) });
                    break;
                case IfStatement i:
                    result.Add(i with { Condition = E(i.Condition), Then = Rewrite(i.Then, scheme), Else = Rewrite(i.Else, scheme) });
                    break;
                case WhileStatement w:
                    result.Add(w with { Condition = E(w.Condition), Body = Rewrite(w.Body, scheme) });
                    break;
                default:
                    result.Add(statement);
                    break;
            }
            result.AddRange(after.Select(Barrier));
        }
        return result;
    }

    private static Expression Rewrite(Expression expression, MappingScheme scheme, List<DotNetPrimitive> after)
    {
        Expression E(Expression e) => Rewrite(e, scheme, after);
        switch (expression)
        {
            case Load l:
                return l with { Offset = l.Offset is null ? null : E(l.Offset), Primitive = scheme.Load(l.Order).Single() };
            case ReadModifyWrite r:
                var rmw = scheme.ReadModifyWrite(r.Operation, r.Order);
                after.AddRange(rmw.Skip(1));
                return r with { Operand = E(r.Operand), Offset = r.Offset is null ? null : E(r.Offset), Primitive = rmw[0] };
            case CompareExchange c:
                var cas = scheme.CompareExchange(c.Success, c.Failure);
                after.AddRange(cas.Skip(1));
                return c with { Desired = E(c.Desired), Primitive = cas[0] };
            case Binary b:
                return b with { Left = E(b.Left), Right = E(b.Right) };
            case Unary u:
                return u with { Operand = E(u.Operand) };
            default:
                return expression;
        }
    }

    private static Fence Barrier(DotNetPrimitive primitive) => primitive switch
    {
        DotNetPrimitive.MemoryBarrier => new Fence(MemoryOrder.SeqCst, Here) { Primitive = primitive },
        DotNetPrimitive.ReadBarrier => new Fence(MemoryOrder.Acquire, Here) { Primitive = primitive },
        DotNetPrimitive.WriteBarrier => new Fence(MemoryOrder.Release, Here) { Primitive = primitive },
        _ => throw new ArgumentOutOfRangeException(nameof(primitive)),
    };

    /// <summary><c>exists (0:r0=1 /\ x=2)</c> or <c>~exists (...)</c>: a conjunction of atoms.</summary>
    private static FinalCondition Condition(string text)
    {
        var match = ConditionPattern().Match(text);
        if (!match.Success) throw new ArgumentException($"not a condition: {text}", nameof(text));
        Proposition? proposition = null;
        foreach (var atom in match.Groups["atoms"].Value.Split(@"/\", StringSplitOptions.TrimEntries))
        {
            var (key, value) = (atom.Split('=')[0], long.Parse(atom.Split('=')[1], System.Globalization.CultureInfo.InvariantCulture));
            var stateKey = key.Contains(':', StringComparison.Ordinal)
                ? StateKey.Register(int.Parse(key.Split(':')[0], System.Globalization.CultureInfo.InvariantCulture), key.Split(':')[1])
                : StateKey.Location(key);
            var next = new AtomProposition(stateKey, value, Here);
            proposition = proposition is null ? next : new AndProposition(proposition, next);
        }
        var quantifier = match.Groups["not"].Success ? Quantifier.NotExists : Quantifier.Exists;
        return new FinalCondition(quantifier, proposition!, text, Here);
    }

    [GeneratedRegex(@"^(?<not>~)?exists\s*\((?<atoms>.*)\)$")]
    private static partial Regex ConditionPattern();

    [GeneratedRegex(@"^(?<target>\w+)\s*=\s*(?<call>Volatile\.Read|Interlocked\.(Exchange|Add|Or|And|CompareExchange))\((?<args>.*)\)$")]
    private static partial Regex CallAssignment();

    [GeneratedRegex(@"^if\s*\((?<condition>[^)]*)\)\s*(?<then>.*)$")]
    private static partial Regex IfPattern();

    private sealed class ThreadReader(int thread, List<string> locations, List<InitialValue> initial)
    {
        private readonly HashSet<string> _declared = [];
        private int _comparands;

        public List<Statement> Read(string text) =>
            text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(Statement).ToList();

        private Statement Statement(string text)
        {
            if (IfPattern().Match(text) is { Success: true } branch)
                return new IfStatement(Expr(branch.Groups["condition"].Value), [Statement(branch.Groups["then"].Value)], [], Here);
            switch (text)
            {
                case "Interlocked.MemoryBarrier()": return Barrier(DotNetPrimitive.MemoryBarrier);
                case "Volatile.ReadBarrier()": return Barrier(DotNetPrimitive.ReadBarrier);
                case "Volatile.WriteBarrier()": return Barrier(DotNetPrimitive.WriteBarrier);
            }
            if (text.StartsWith("Volatile.Write(", StringComparison.Ordinal))
            {
                var args = Arguments(text["Volatile.Write(".Length..^1]);
                return new Store(Location(args[0]), Expr(args[1]), MemoryOrder.Release, Here) { Primitive = DotNetPrimitive.VolatileWrite };
            }
            if (text.StartsWith("Interlocked.", StringComparison.Ordinal))
                return new ExpressionStatement(Call(text[..text.IndexOf('(')], Arguments(text[(text.IndexOf('(') + 1)..^1])), Here);
            var (target, source) = (text[..text.IndexOf('=')].Trim(), text[(text.IndexOf('=') + 1)..].Trim());
            if (!IsRegister(target))
                return new Store(Location(target), Expr(source), MemoryOrder.NonAtomic, Here) { Primitive = DotNetPrimitive.PlainStore };
            var value = CallAssignment().Match(text) is { Success: true } call
                ? Call(call.Groups["call"].Value, Arguments(call.Groups["args"].Value))
                : Expr(source);
            return _declared.Add(target) ? new LocalDeclaration("int", target, value, Here) : new Assignment(target, value, Here);
        }

        private Expression Call(string name, string[] args) => name switch
        {
            "Volatile.Read" => new Load(Location(args[0]), MemoryOrder.Acquire, Here) { Primitive = DotNetPrimitive.VolatileRead },
            "Interlocked.Exchange" => Rmw(RmwOperation.Exchange, DotNetPrimitive.InterlockedExchange, args),
            "Interlocked.Add" => Rmw(RmwOperation.Add, DotNetPrimitive.InterlockedAdd, args),
            "Interlocked.Or" => Rmw(RmwOperation.Or, DotNetPrimitive.InterlockedOr, args),
            "Interlocked.And" => Rmw(RmwOperation.And, DotNetPrimitive.InterlockedAnd, args),
            "Interlocked.CompareExchange" => CompareExchange(args),
            _ => throw new ArgumentException($"unknown call {name}"),
        };

        private ReadModifyWrite Rmw(RmwOperation operation, DotNetPrimitive primitive, string[] args) =>
            new(operation, Location(args[0]), Expr(args[1]), MemoryOrder.AcqRel, Here) { Primitive = primitive };

        private CompareExchange CompareExchange(string[] args)
        {
            var comparand = $"c{thread}_{_comparands++}";
            locations.Add(comparand);
            initial.Add(new InitialValue(StateKey.Location(comparand), long.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture), "int", Here));
            return new CompareExchange(Location(args[0]), comparand, Expr(args[1]), MemoryOrder.AcqRel, MemoryOrder.Acquire, Strong: true, Here)
            {
                Primitive = DotNetPrimitive.InterlockedCompareExchange,
            };
        }

        private string Location(string name)
        {
            if (IsRegister(name)) throw new ArgumentException($"{name} is a register, not a location");
            if (!locations.Contains(name)) locations.Add(name);
            return name;
        }

        private static string[] Arguments(string text) => text.Split(',', StringSplitOptions.TrimEntries);

        private static bool IsRegister(string name) => name.Length > 1 && name[0] == 'r' && name[1..].All(char.IsAsciiDigit);

        /// <summary>A left-to-right expression over integers, registers, plain loads and dependent loads.</summary>
        private Expression Expr(string text)
        {
            var tokens = ExpressionTokens().Matches(text).Select(m => m.Value).ToList();
            var position = 0;
            Expression Term()
            {
                var token = tokens[position++];
                if (token == "(")
                {
                    var inner = Binary();
                    position++;
                    return inner;
                }
                if (char.IsAsciiDigit(token[0])) return new Constant(long.Parse(token, System.Globalization.CultureInfo.InvariantCulture), Here);
                if (IsRegister(token)) return new RegisterRead(token, Here);
                var load = new Load(Location(token), MemoryOrder.NonAtomic, Here) { Primitive = DotNetPrimitive.PlainLoad };
                if (position < tokens.Count && tokens[position] == "[")
                {
                    var dependency = new RegisterRead(tokens[position + 1], Here);
                    position += 3;
                    return load with { Offset = new Binary(BinaryOperator.BitAnd, dependency, new Constant(128, Here), Here) };
                }
                return load;
            }
            Expression Binary()
            {
                var left = Term();
                while (position < tokens.Count && tokens[position] is "+" or "-" or "*" or "&" or "==")
                {
                    var op = tokens[position++] switch
                    {
                        "+" => BinaryOperator.Add,
                        "-" => BinaryOperator.Sub,
                        "*" => BinaryOperator.Mul,
                        "&" => BinaryOperator.BitAnd,
                        _ => BinaryOperator.Equal,
                    };
                    left = new Binary(op, left, Term(), Here);
                }
                return left;
            }
            return Binary();
        }
    }

    [GeneratedRegex(@"==|\w+|[-+*&()\[\]]")]
    private static partial Regex ExpressionTokens();
}
