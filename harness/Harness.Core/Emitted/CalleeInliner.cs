using System.Globalization;
using System.Text.RegularExpressions;

namespace Harness.Emitted;

/// <summary>
/// Reads a call in a thread method as the code it runs, for code that inlines nothing (Tier0):
/// a call to a racing-section mark is the hint the mark holds; a call to a library method whose
/// body the listing holds (Interlocked.Add, Thread.MemoryBarrier) is that body, spliced in place,
/// its labels and stack slots renamed so that they cannot meet the caller's, its frame set-up and
/// return left out. Both run on the caller's registers, which is what makes the splice exact: the
/// arguments are where the calling convention puts them, and so is the result. A call whose body
/// is not in the listing stays a call, which the converter then names as code it cannot read.
/// </summary>
public static partial class CalleeInliner
{
    /// <summary>How deep calls are followed: Interlocked.Increment calls Add, which holds the instruction.</summary>
    private const int MaxDepth = 4;

    /// <summary>Each level of calls moves its stack slots this far from its caller's.</summary>
    private const long FrameDistance = 0x100000;

    [GeneratedRegex(@"\bRacingSection:(?<mark>Start|End|Exit)\(\)")]
    private static partial Regex MarkMethod();

    [GeneratedRegex(@"\[(?<base>rbp|rsp)(?<offset>[+-]0x[0-9A-Fa-f]+)?\]")]
    private static partial Regex X64StackOperand();

    /// <param name="bodies">Every method body of the listing by the name calls give it.</param>
    public static List<EmittedLine> Inline(List<EmittedLine> method, IReadOnlyDictionary<string, List<EmittedLine>> bodies, string marker)
    {
        var splices = 0;
        return Expand(method, 0);

        List<EmittedLine> Expand(List<EmittedLine> lines, int depth)
        {
            var expanded = new List<EmittedLine>();
            foreach (var line in lines)
            {
                if (line.Instruction is not { } instruction || Callee(instruction) is not { } callee)
                {
                    expanded.Add(line);
                    continue;
                }
                // A call to a mark is itself no access and no barrier in any model the code is judged by: the hint it runs is not one.
                if (MarkMethod().Match(callee) is { Success: true } mark)
                {
                    var hints = mark.Groups["mark"].Value == "Exit" ? 2 : 1;
                    for (var hint = 0; hint < hints; hint++) expanded.Add(new EmittedLine(new EmittedInstruction(marker, []), null));
                    continue;
                }
                if (depth < MaxDepth && bodies.TryGetValue(callee, out var body) && Spliced(body, depth + 1, ++splices) is { } spliced)
                    expanded.AddRange(Expand(spliced, depth + 1));
                else expanded.Add(line);
            }
            return expanded;
        }
    }

    /// <summary>The method a call names: <c>call [System.Threading.Interlocked:Add(byref,int):int]</c>.</summary>
    private static string? Callee(EmittedInstruction instruction)
    {
        if (instruction.Mnemonic is not ("call" or "bl") || instruction.Operands.Count != 1) return null;
        var operand = instruction.Operands[0].Trim();
        if (operand.StartsWith('[') && operand.EndsWith(']')) operand = operand[1..^1];
        return operand.Contains(':') ? operand : null;
    }

    /// <summary>
    /// The callee's body to splice at depth <paramref name="depth"/>, or null when it does what a splice
    /// cannot keep (saves and restores a register of the caller's).
    /// </summary>
    private static List<EmittedLine>? Spliced(List<EmittedLine> body, int depth, int splice)
    {
        var prefix = $"C{splice.ToString(CultureInfo.InvariantCulture)}_";
        var labels = body.Where(l => l.Label is not null).Select(l => l.Label!).ToHashSet(StringComparer.Ordinal);
        var returned = prefix + "RETURN";
        var lines = new List<EmittedLine>();
        var returns = false;
        var last = body.FindLastIndex(l => l.Instruction is not null);
        for (var i = 0; i < body.Count; i++)
        {
            var line = body[i];
            if (line.Label is { } label)
            {
                lines.Add(new EmittedLine(null, prefix + label));
                continue;
            }
            var instruction = line.Instruction!;
            if (instruction.Mnemonic is "push" or "pop" && instruction.Operands is [var saved] && saved != "rbp") return null;
            // arm64 saves a register of the caller's with stp/str below the frame record: not a splice that keeps it.
            if (instruction.Mnemonic is "stp" or "ldp" && instruction.Operands is [var first, ..] && first != "fp") return null;
            if (IsFrame(instruction)) continue;
            if (instruction.Mnemonic == "ret")
            {
                if (i != last)
                {
                    lines.Add(new EmittedLine(new EmittedInstruction(instruction.Operands is ["lr"] ? "b" : "jmp", [returned]), null));
                    returns = true;
                }
                continue;
            }
            var operands = instruction.Operands.Select(operand =>
                labels.Contains(LastWord(operand)) ? operand[..^LastWord(operand).Length] + prefix + LastWord(operand)
                : Arm64StackOperand().Replace(X64StackOperand().Replace(operand, slot => MovedSlot(slot, depth)), slot => MovedArm64Slot(slot, depth))).ToList();
            lines.Add(new EmittedLine(instruction with { Operands = operands }, null));
        }
        if (returns) lines.Add(new EmittedLine(null, returned));
        return lines;
    }

    /// <summary>The callee's frame: set up, torn down, zeroed; none of it is seen by another thread or read by the caller.</summary>
    private static bool IsFrame(EmittedInstruction instruction) =>
        instruction.Mnemonic switch
        {
            "push" or "pop" or "leave" or "nop" or "vzeroupper" => true,
            // arm64: the frame record saved and restored, fp set.
            "stp" or "ldp" => instruction.Operands is ["fp", "lr", ..],
            "mov" when instruction.Operands is ["fp", "sp"] => true,
            "sub" or "add" => instruction.Operands is ["rsp", _],
            "lea" or "mov" => instruction.Operands is ["rbp", _],
            "vxorps" => true,
            _ => instruction.Mnemonic.StartsWith("vmovdqu", StringComparison.Ordinal),
        };

    private static string MovedSlot(Match slot, int depth)
    {
        var offset = slot.Groups["offset"].Success ? ParseOffset(slot.Groups["offset"].Value) : 0;
        var moved = offset - depth * FrameDistance;
        return $"[{slot.Groups["base"].Value}{(moved < 0 ? "-" : "+")}0x{Math.Abs(moved).ToString("X", CultureInfo.InvariantCulture)}]";
    }

    [GeneratedRegex(@"\[(?<base>fp|sp), #(?<offset>-?(0x)?[0-9A-Fa-f]+)\]")]
    private static partial Regex Arm64StackOperand();

    private static string MovedArm64Slot(Match slot, int depth)
    {
        var text = slot.Groups["offset"].Value;
        var negative = text.StartsWith('-');
        var digits = negative ? text[1..] : text;
        var offset = digits.StartsWith("0x", StringComparison.Ordinal)
            ? long.Parse(digits[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture)
            : long.Parse(digits, CultureInfo.InvariantCulture);
        var moved = (negative ? -offset : offset) - depth * FrameDistance;
        return $"[{slot.Groups["base"].Value}, #{(moved < 0 ? "-" : "")}0x{Math.Abs(moved).ToString("X", CultureInfo.InvariantCulture)}]";
    }

    private static long ParseOffset(string text)
    {
        var value = long.Parse(text[3..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return text[0] == '-' ? -value : value;
    }

    private static string LastWord(string operand)
    {
        var space = operand.LastIndexOf(' ');
        return space < 0 ? operand : operand[(space + 1)..];
    }
}
