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

/// <summary>The code between the two markers of one thread method: what the thread races with.</summary>
public sealed record RacingSectionListing(int Thread, IReadOnlyList<EmittedLine> Lines)
{
    public IEnumerable<EmittedInstruction> Instructions => Lines.Where(l => l.Instruction is not null).Select(l => l.Instruction!);
}

public sealed class ListingFormatException(string message) : Exception(message);

/// <summary>
/// Reads what DOTNET_JitDisasm printed for a listing build of a kernel: one "Assembly listing
/// for method" block per thread method, each with exactly two markers (<see cref="Running.RacingSection"/>)
/// around the racing code.
/// </summary>
public static partial class JitListingReader
{
    [GeneratedRegex(@"^; Assembly listing for method [^:]*:P(?<thread>\d+)\(")]
    private static partial Regex MethodHeader();

    [GeneratedRegex(@"^(?<label>[A-Za-z_][\w.]*):")]
    private static partial Regex LabelLine();

    public static IReadOnlyList<RacingSectionListing> Read(string listing, string marker)
    {
        var sections = new List<RacingSectionListing>();
        int? thread = null;
        List<EmittedLine>? current = null;
        var markers = 0;
        EmittedInstruction? pendingPrefix = null;
        foreach (var raw in listing.Split('\n'))
        {
            var line = raw.TrimEnd();
            if (MethodHeader().Match(line) is { Success: true } header)
            {
                Finish();
                thread = int.Parse(header.Groups["thread"].Value);
                current = [];
                markers = 0;
                continue;
            }
            if (thread is null || line.Length == 0 || line.TrimStart().StartsWith(';')) continue;
            if (LabelLine().Match(line) is { Success: true } label)
            {
                if (markers == 1) current!.Add(new EmittedLine(null, label.Groups["label"].Value));
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
            if (instruction.Mnemonic == marker && instruction.Operands.Count == 0)
            {
                markers++;
                continue;
            }
            if (markers == 1) current!.Add(new EmittedLine(instruction, null));
        }
        Finish();
        return sections;

        void Finish()
        {
            if (thread is null) return;
            if (markers != 2)
                throw new ListingFormatException($"the listing of P{thread} has {markers} '{marker}' markers where two bracket the racing code");
            sections.Add(new RacingSectionListing(thread.Value, current!));
            thread = null;
        }
    }

    private static EmittedInstruction? Parse(string line)
    {
        var text = line.Trim();
        var comment = text.IndexOf(';');
        if (comment >= 0) text = text[..comment].TrimEnd();
        if (text.Length == 0) return null;
        var space = text.IndexOfAny([' ', '\t']);
        if (space < 0) return new EmittedInstruction(text.ToLowerInvariant(), []);
        return new EmittedInstruction(text[..space].ToLowerInvariant(), SplitOperands(text[space..].Trim()));
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
