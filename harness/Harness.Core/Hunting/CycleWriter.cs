using System.Globalization;
using System.Text;

namespace Harness.Hunting;

/// <summary>
/// Writes a cycle as a litmus test in C# (the <c>CSharp</c> dialect): one field per location, one
/// thread per run of program order, and the condition that closes the cycle. Values follow diy7:
/// the writes of a location take 1, 2, 3 in the order the cycle's coherence puts them, a read
/// asks for the value of the last write before it along the cycle (0 when none), and a location
/// written twice or more asks for its last value at the end, which pins the coherence order.
/// </summary>
public static class CycleWriter
{
    /// <summary>Where each access of the cycle is, and what it writes or must read.</summary>
    private sealed record Placed(CycleStep Step, int Thread, string Location, int Value, string? Register);

    public static string Write(Cycle cycle)
    {
        var placed = Place(cycle);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"CSharp {cycle.Name}\n");
        text.Append(CultureInfo.InvariantCulture, $"\"A critical cycle of size {cycle.Size} on {cycle.ThreadCount} threads: can it end in the state that closes the cycle, which no interleaving gives?\"\n");
        var locations = placed.Select(p => p.Location).Distinct().Order(StringComparer.Ordinal).ToList();
        text.Append("{ ").AppendJoin(" ", locations.Select(l => $"int {l} = 0;")).Append(" }\n\n");
        foreach (var thread in placed.GroupBy(p => p.Thread))
        {
            text.Append(CultureInfo.InvariantCulture, $"P{thread.Key} {{\n");
            var accesses = thread.ToList();
            var first = accesses[0];
            if (accesses.Count == 1)
                text.Append("  ").Append(Statement(first, null)).Append('\n');
            else
                WriteTwo(text, first, accesses[1]);
            text.Append("}\n\n");
        }
        var atoms = placed.Where(p => p.Register is not null).Select(p => $"{p.Thread}:{p.Register}={p.Value}").ToList();
        foreach (var location in placed.GroupBy(p => p.Location).Where(g => g.Count(p => p.Step.Access.IsWrite()) >= 2))
            atoms.Add($"{location.Key}={location.Where(p => p.Step.Access.IsWrite()).Max(p => p.Value)}");
        text.Append("exists (").AppendJoin(" /\\ ", atoms).Append(")\n");
        return text.ToString();
    }

    /// <summary>A thread of two accesses and what its program-order edge puts between them.</summary>
    private static void WriteTwo(StringBuilder text, Placed first, Placed second)
    {
        text.Append("  ").Append(Statement(first, null)).Append('\n');
        switch (first.Step.Edge)
        {
            case CycleEdge.MemoryBarrier:
                text.Append("  Interlocked.MemoryBarrier();\n");
                text.Append("  ").Append(Statement(second, null)).Append('\n');
                break;
            case CycleEdge.Data:
                text.Append("  ").Append(Statement(second, first)).Append('\n');
                break;
            case CycleEdge.Ctrl:
                // A read under the condition is declared before it, so that it holds 0 when the branch is not taken.
                if (second.Register is { } register) text.Append(CultureInfo.InvariantCulture, $"  int {register} = 0;\n");
                text.Append(CultureInfo.InvariantCulture, $"  if ({first.Register} == {first.Value}) {{\n");
                text.Append("    ").Append(Statement(second, null, declared: true)).Append('\n');
                text.Append("  }\n");
                break;
            default:
                text.Append("  ").Append(Statement(second, null)).Append('\n');
                break;
        }
    }

    /// <summary>
    /// The access as a C# statement. A write with a data dependency on <paramref name="dependsOn"/>
    /// computes its operand from the register read, shifted so that it is the cycle's value when the
    /// read saw the cycle's value. A read assigns a register <paramref name="declared"/> before it, or declares it.
    /// </summary>
    private static string Statement(Placed access, Placed? dependsOn, bool declared = false)
    {
        var x = access.Location;
        var target = declared ? access.Register : $"int {access.Register}";
        string Operand(int constant)
        {
            if (dependsOn is null) return constant.ToString(CultureInfo.InvariantCulture);
            var shift = constant - dependsOn.Value;
            return shift switch
            {
                0 => dependsOn.Register!,
                > 0 => $"{dependsOn.Register} + {shift}",
                _ => $"{dependsOn.Register} - {-shift}",
            };
        }
        return access.Step.Access switch
        {
            CycleAccess.Read => $"{target} = {x};",
            CycleAccess.VolatileRead => $"{target} = Volatile.Read(ref {x});",
            CycleAccess.FailedCompareExchange => $"{target} = Interlocked.CompareExchange(ref {x}, -1, -1);",
            CycleAccess.AddZero => $"{target} = Interlocked.Add(ref {x}, 0);",
            CycleAccess.OrZero => $"{target} = Interlocked.Or(ref {x}, 0);",
            CycleAccess.AndAllOnes => $"{target} = Interlocked.And(ref {x}, -1);",
            CycleAccess.Write => $"{x} = {Operand(access.Value)};",
            CycleAccess.VolatileWrite => $"Volatile.Write(ref {x}, {Operand(access.Value)});",
            CycleAccess.Exchange => $"Interlocked.Exchange(ref {x}, {Operand(access.Value)});",
            CycleAccess.AddOne => $"Interlocked.Add(ref {x}, {Operand(1)});",
            _ => throw new ArgumentOutOfRangeException(nameof(access)),
        };
    }

    /// <summary>Threads, locations, values and registers of the cycle's accesses, in cycle order.</summary>
    private static List<Placed> Place(Cycle cycle)
    {
        var steps = cycle.Steps;
        var count = steps.Count;
        // A location's accesses run from just after a program-order edge to the next one; start at such a point.
        var chainStart = Enumerable.Range(0, count).First(i => !steps[(i + count - 1) % count].Edge.IsExternal());
        var chainOf = new int[count];
        var valueOf = new int[count];
        var chain = -1;
        var writes = 0;
        for (var k = 0; k < count; k++)
        {
            var i = (chainStart + k) % count;
            if (!steps[(i + count - 1) % count].Edge.IsExternal())
            {
                chain++;
                writes = 0;
            }
            chainOf[i] = chain;
            valueOf[i] = steps[i].Access.IsWrite() ? ++writes : writes;
        }
        // Names in order of first access from the cycle's start (x, y, z, a, ...): the canonical cycle gives the canonical names.
        var names = new Dictionary<int, string>();
        var thread = 0;
        var registers = 0;
        var placed = new List<Placed>(count);
        for (var i = 0; i < count; i++)
        {
            if (!names.TryGetValue(chainOf[i], out var name))
                names[chainOf[i]] = name = LocationName(names.Count);
            var register = steps[i].Access.IsWrite() ? null : $"r{registers++}";
            placed.Add(new Placed(steps[i], thread, name, valueOf[i], register));
            if (steps[i].Edge.IsExternal())
            {
                thread++;
                registers = 0;
            }
        }
        return placed;
    }

    private static string LocationName(int index) => index < 3 ? ((char)('x' + index)).ToString() : ((char)('a' + index - 3)).ToString();
}
