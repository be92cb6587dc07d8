using System.Text.RegularExpressions;

namespace Harness.Emitted;

/// <summary>One instruction as the JIT printed it, e.g. <c>ldp w1, w0, [x23]</c> or <c>lock or dword ptr [rsp], 0</c>.</summary>
public sealed record EmittedInstruction(string Mnemonic, IReadOnlyList<string> Operands)
{
    public override string ToString() => Operands.Count == 0 ? Mnemonic : $"{Mnemonic,-8} {string.Join(", ", Operands)}";
}

/// <summary>A line of a racing section: an instruction, or a label that branches may target.</summary>
public sealed record EmittedLine(EmittedInstruction? Instruction, string? Label)
{
    public override string ToString() => Label is { } label ? label + ":" : "  " + Instruction;
}

/// <summary>
/// The code between the two markers of one thread method: what the thread races with. <see cref="Epilogue"/>
/// is the straight line after the end mark, where the kernel stores the thread's observed registers
/// (in <see cref="Kernels.KernelPlan.ObservedRegisters"/> order): it says which register holds a value
/// the racing code computed rather than read.
/// </summary>
public sealed record RacingSectionListing(int Thread, IReadOnlyList<EmittedLine> Lines, IReadOnlyList<EmittedInstruction> Epilogue)
{
    public IEnumerable<EmittedInstruction> Instructions => Lines.Where(l => l.Instruction is not null).Select(l => l.Instruction!);
}

public sealed class ListingFormatException(string message) : Exception(message);

/// <summary>
/// Reads what DOTNET_JitDisasm printed for a kernel: one "Assembly listing for method" block per
/// thread method, the racing code marked by <see cref="Running.RacingSection"/>: one hint where it
/// starts, one where it ends, and two in a row where a loop of the test gives up. The racing section
/// is what the thread can execute from the start mark until it reaches a mark: control flow is
/// followed, so the blocks the JIT lays out between the marks that belong elsewhere (the way out
/// of an abandoned instance, the epilogue, the next instance's set-up) are left out.
/// </summary>
public static partial class JitListingReader
{
    [GeneratedRegex(@"^; Assembly listing for method (?<name>.*?)(?: \((?<tier>[^()]*)\))?$")]
    private static partial Regex MethodHeader();

    [GeneratedRegex(@"^[^:]*:P(?<thread>\d+)\(")]
    private static partial Regex ThreadMethod();

    [GeneratedRegex(@"^(?<label>[A-Za-z_][\w.]*):")]
    private static partial Regex LabelLine();

    public static IReadOnlyList<RacingSectionListing> Read(string listing, string marker)
    {
        var methods = CallCells.Resolve(Methods(listing), CallCells.Printed(listing));
        var bodies = new Dictionary<string, List<EmittedLine>>(StringComparer.Ordinal);
        foreach (var (name, lines) in methods) bodies.TryAdd(name, lines);
        var sections = new List<RacingSectionListing>();
        foreach (var (name, lines) in methods)
        {
            if (ThreadMethod().Match(name) is not { Success: true } match) continue;
            var thread = int.Parse(match.Groups["thread"].Value);
            var method = CalleeInliner.Inline(lines, bodies, marker);
            var (section, end) = Section(thread, method, marker);
            sections.Add(new RacingSectionListing(thread, section, Epilogue(method, end)));
        }
        return sections;
    }

    /// <summary>Every method body of the listing by the name calls give it (<c>Type:Method(args):result</c>), in listing order.</summary>
    private static List<(string Name, List<EmittedLine> Lines)> Methods(string listing)
    {
        var methods = new List<(string Name, List<EmittedLine> Lines)>();
        List<EmittedLine>? method = null;
        EmittedInstruction? pendingPrefix = null;
        foreach (var raw in listing.Split('\n'))
        {
            var line = raw.TrimEnd();
            if (MethodHeader().Match(line) is { Success: true } header)
            {
                method = [];
                methods.Add((header.Groups["name"].Value, method));
                continue;
            }
            if (method is null || line.Length == 0 || line.TrimStart().StartsWith(';')) continue;
            if (LabelLine().Match(line) is { Success: true } label)
            {
                method.Add(new EmittedLine(null, label.Groups["label"].Value));
                continue;
            }
            var instruction = Parse(line);
            if (instruction is null) continue;
            // x64 listings print a lock prefix on a line of its own.
            if (instruction.Mnemonic == "lock" && instruction.Operands.Count == 0)
            {
                pendingPrefix = instruction;
                continue;
            }
            if (pendingPrefix is not null)
            {
                instruction = instruction with { Mnemonic = "lock " + instruction.Mnemonic };
                pendingPrefix = null;
            }
            method.Add(new EmittedLine(instruction, null));
        }
        return methods;
    }

    private enum Mark { None, Single, Exit }


    /// <summary>
    /// The instructions after the end mark as far as they run on in a straight line (conditional
    /// branches there are the register stores' range checks, which fall through).
    /// </summary>
    private static List<EmittedInstruction> Epilogue(List<EmittedLine> method, int end)
    {
        var epilogue = new List<EmittedInstruction>();
        for (var i = end + 1; i < method.Count; i++)
        {
            if (method[i].Instruction is not { } instruction) continue;
            epilogue.Add(instruction);
            if (!ControlFlow.Of(instruction).FallsThrough) break;
        }
        return epilogue;
    }

    /// <summary>
    /// The racing section of one method: the lines reachable from the start mark without passing a
    /// mark, in listing order, and the index of the end mark.
    /// </summary>
    private static (List<EmittedLine> Lines, int End) Section(int thread, List<EmittedLine> method, string marker)
    {
        bool IsMarker(int i) => i >= 0 && i < method.Count && method[i].Instruction is { Operands.Count: 0 } instruction && instruction.Mnemonic == marker;
        var marks = new Mark[method.Count];
        var singles = new List<int>();
        for (var i = 0; i < method.Count; i++)
        {
            if (!IsMarker(i) || IsMarker(i - 1)) continue;
            if (IsMarker(i + 1))
            {
                if (IsMarker(i + 2))
                    throw new ListingFormatException($"the listing of P{thread} has three '{marker}' marks in a row, which no kernel writes");
                marks[i] = marks[i + 1] = Mark.Exit;
            }
            else
            {
                marks[i] = Mark.Single;
                singles.Add(i);
            }
        }
        if (singles.Count != 2)
            throw new ListingFormatException(
                $"the listing of P{thread} has {singles.Count} single '{marker}' marks where two bracket the racing code" +
                (singles.Count == 0 ? " (hardware intrinsics switched off, e.g. DOTNET_EnableHWIntrinsic=0, remove them)" : ""));
        var labels = new Dictionary<string, int>();
        for (var i = 0; i < method.Count; i++)
            if (method[i].Label is { } label) labels[label] = i;

        // The start is the mark from which the other is reached; the JIT keeps them in order, but a listing is read, not trusted.
        foreach (var (start, end) in new[] { (singles[0], singles[1]), (singles[1], singles[0]) })
        {
            var reached = Reachable(method, marks, labels, start + 1, end, out var reachesEnd);
            if (reachesEnd) return (Linearised(method, Enumerable.Range(0, method.Count).Where(i => reached.Contains(i) && Kept(i)).ToList(), marker), end);

            // A label whose block is only a mark (the exit of an abandoned instance) is no part of the section.
            bool Kept(int i)
            {
                var next = i;
                while (next < method.Count && method[next].Label is not null) next++;
                return reached.Contains(next);
            }
        }
        throw new ListingFormatException($"the listing of P{thread}: neither '{marker}' mark reaches the other, so the racing code cannot be told apart");
    }

    /// <summary>A label no listing has: a jump to it leaves the racing section, as a jump to any label outside it does.</summary>
    private const string OutsideTheSection = "RACING_SECTION_END";

    /// <summary>
    /// The kept lines in listing order, with a jump out of the section written where a line falls
    /// through to a mark (or a block that is only one) and other kept lines follow: when the JIT lays
    /// a block out of line (a PGO-cold path after the end mark), leaving the mark out would otherwise
    /// join the path that ends to the block after it. Kept lines are in listing order, so a line that
    /// falls through into a kept line is always followed by it.
    /// </summary>
    private static List<EmittedLine> Linearised(List<EmittedLine> method, List<int> kept, string marker)
    {
        var jump = marker == Kernels.Abi.RacingSection.Arm64Marker ? "b" : "jmp";
        var lines = new List<EmittedLine>();
        for (var k = 0; k < kept.Count; k++)
        {
            var i = kept[k];
            lines.Add(method[i]);
            var endsHere = k + 1 < kept.Count && kept[k + 1] != i + 1
                && method[i].Instruction is { } instruction && ControlFlow.Of(instruction).FallsThrough;
            if (endsHere) lines.Add(new EmittedLine(new EmittedInstruction(jump, [OutsideTheSection]), null));
        }
        return lines;
    }

    private static HashSet<int> Reachable(List<EmittedLine> method, Mark[] marks, Dictionary<string, int> labels, int from, int end, out bool reachesEnd)
    {
        var visited = new HashSet<int>();
        var work = new Stack<int>();
        work.Push(from);
        reachesEnd = false;
        while (work.Count > 0)
        {
            var i = work.Pop();
            if (i >= method.Count || marks[i] != Mark.None)
            {
                reachesEnd |= i == end;
                continue;
            }
            if (!visited.Add(i)) continue;
            if (method[i].Instruction is not { } instruction)
            {
                work.Push(i + 1);
                continue;
            }
            var flow = ControlFlow.Of(instruction);
            if (flow.Target is { } target && labels.TryGetValue(target, out var destination)) work.Push(destination);
            if (flow.FallsThrough) work.Push(i + 1);
        }
        return visited;
    }
    private static EmittedInstruction? Parse(string line)
    {
        var text = line.Trim();
        var comment = text.IndexOf(';');
        if (comment >= 0) text = text[..comment].TrimEnd();
        if (text.Length == 0) return null;
        var space = text.IndexOfAny([' ', '\t']);
        if (space < 0) return new EmittedInstruction(text.ToLowerInvariant(), []);
        var mnemonic = text[..space].ToLowerInvariant();
        var rest = text[space..].Trim();
        // A lock prefix is also printed on its instruction's line ("lock inc dword ptr [r13]").
        if (mnemonic == "lock" && rest.Length > 0)
        {
            var next = rest.IndexOfAny([' ', '\t']);
            if (next < 0) return new EmittedInstruction("lock " + rest.ToLowerInvariant(), []);
            mnemonic = "lock " + rest[..next].ToLowerInvariant();
            rest = rest[next..].Trim();
        }
        return new EmittedInstruction(mnemonic, SplitOperands(rest));
    }

    /// <summary>Splits on the commas outside brackets: <c>w0, [x3, w21, UXTW #2]</c> is two operands.</summary>
    private static List<string> SplitOperands(string text)
    {
        var operands = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '[') depth++;
            else if (text[i] == ']') depth--;
            else if (text[i] == ',' && depth == 0)
            {
                operands.Add(text[start..i].Trim());
                start = i + 1;
            }
        }
        operands.Add(text[start..].Trim());
        return operands;
    }
}
