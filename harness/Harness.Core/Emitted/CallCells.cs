using System.Globalization;
using System.Text.RegularExpressions;

namespace Harness.Emitted;

/// <summary>
/// Names the callee of an arm64 call through a cell: <c>movz/movk xN</c> (the cell's address), <c>ldr xN, [xN]</c>,
/// <c>blr xN</c>. A cell is the target slot of the callee's precode; the listing's child prints the cell of each
/// method racing code may call (decoded from the precode's first instruction, which loads it), and a call through
/// one of them is rewritten <c>bl Type:Method(args)</c>. A call through another cell (the harness's start line,
/// before the racing code) stays as printed: in racing code, code the converter then cannot read.
/// </summary>
public static partial class CallCells
{
    [GeneratedRegex(@"^; entry: (?<address>[0-9A-Fa-f]+) (?<name>\S+)$", RegexOptions.Multiline)]
    private static partial Regex EntryComment();

    /// <summary>The call cells the listing's child printed, by address.</summary>
    public static Dictionary<long, string> Printed(string listing) =>
        EntryComment().Matches(listing).ToDictionary(
            m => long.Parse(m.Groups["address"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture),
            m => m.Groups["name"].Value.TrimEnd('\r'));

    /// <summary>The methods with their calls through the cells <paramref name="cells"/> names rewritten as calls by name.</summary>
    public static List<(string Name, List<EmittedLine> Lines)> Resolve(List<(string Name, List<EmittedLine> Lines)> methods, Dictionary<long, string> cells) =>
        cells.Count == 0 ? methods : methods.Select(method => (method.Name, Rewrite(method.Lines, Calls(method.Lines), cells))).ToList();

    private sealed record CellCall(int Call, List<int> Setup, long Cell);

    /// <summary>The calls through a cell of one method: the blr, the lines that load the cell's address and content, the address.</summary>
    private static List<CellCall> Calls(List<EmittedLine> lines)
    {
        var found = new List<CellCall>();
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].Instruction is not { Mnemonic: "blr", Operands: [var register] }) continue;
            var setup = new List<int>();
            long cell = 0;
            var loaded = false;
            for (var j = i - 1; j >= 0 && lines[j].Instruction is { } instruction; j--)
            {
                if (instruction.Operands.Count == 0 || instruction.Operands[0] != register) continue;
                if (!loaded && instruction is { Mnemonic: "ldr", Operands: [_, var memory] } && memory == $"[{register}]")
                {
                    loaded = true;
                    setup.Add(j);
                    continue;
                }
                if (!loaded || instruction.Mnemonic is not ("movz" or "movk") || instruction.Operands.Count != 2) break;
                var part = ImmediatePart().Match(instruction.Operands[1]);
                if (!part.Success) break;
                var value = part.Groups["value"].Value;
                var number = value.StartsWith("0x", StringComparison.Ordinal)
                    ? long.Parse(value[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture)
                    : long.Parse(value, CultureInfo.InvariantCulture);
                cell |= number << (part.Groups["shift"].Success ? int.Parse(part.Groups["shift"].Value, CultureInfo.InvariantCulture) : 0);
                setup.Add(j);
                if (instruction.Mnemonic == "movz") break;
            }
            if (loaded && cell != 0 && setup.Count >= 2) found.Add(new CellCall(i, setup, cell));
        }
        return found;
    }

    [GeneratedRegex(@"^#(?<value>0x[0-9A-Fa-f]+|\d+)(\s+LSL\s+#(?<shift>\d+))?$")]
    private static partial Regex ImmediatePart();

    private static List<EmittedLine> Rewrite(List<EmittedLine> lines, List<CellCall> calls, Dictionary<long, string> cells)
    {
        calls = calls.Where(c => cells.ContainsKey(c.Cell)).ToList();
        var dropped = calls.SelectMany(c => c.Setup).ToHashSet();
        var named = calls.ToDictionary(c => c.Call, c => cells[c.Cell]);
        var rewritten = new List<EmittedLine>(lines.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            if (dropped.Contains(i)) continue;
            rewritten.Add(named.TryGetValue(i, out var name) ? new EmittedLine(new EmittedInstruction("bl", [name]), null) : lines[i]);
        }
        return rewritten;
    }
}
