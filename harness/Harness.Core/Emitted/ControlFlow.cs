namespace Harness.Emitted;

/// <summary>Where execution goes after one instruction of a listing: the label it may jump to, and whether it may fall through.</summary>
public readonly record struct ControlFlow(string? Target, bool FallsThrough)
{
    private static readonly HashSet<string> Arm64Conditions =
        ["eq", "ne", "cs", "hs", "cc", "lo", "mi", "pl", "vs", "vc", "hi", "ls", "ge", "lt", "gt", "le", "al"];

    public static ControlFlow Of(EmittedInstruction instruction)
    {
        var mnemonic = instruction.Mnemonic;
        var label = instruction.Operands.Count > 0 ? LastWord(instruction.Operands[^1]) : null;
        return mnemonic switch
        {
            "ret" or "br" or "int3" => new(null, false),
            // x64
            "jmp" => new(label, false),
            _ when mnemonic.Length > 1 && mnemonic[0] == 'j' => new(label, true),
            // arm64
            "b" => new(label, false),
            "cbz" or "cbnz" or "tbz" or "tbnz" => new(label, true),
            _ when IsArm64Conditional(mnemonic) => new(label, true),
            // A throw helper never returns: the path ends there.
            "call" or "bl" when label is not null && IsThrowHelper(label) => new(null, false),
            _ => new(null, true),
        };
    }

    public static bool IsBranch(EmittedInstruction instruction) => Of(instruction).Target is not null;

    private static bool IsArm64Conditional(string mnemonic) =>
        mnemonic.StartsWith("b.", StringComparison.Ordinal) ? Arm64Conditions.Contains(mnemonic[2..])
        : mnemonic.Length == 3 && mnemonic[0] == 'b' && Arm64Conditions.Contains(mnemonic[1..]);

    /// <summary>
    /// The indexes of the lines of blocks that only throw: a call, then the JIT's never-returns trap (x64 int3,
    /// arm64 brk). ReadyToRun code reaches the bounds-check helper through an indirection cell (arm64: adrp, add,
    /// ldr, blr), whose callee the listing does not name; the trap after it says the call does not return.
    /// </summary>
    public static HashSet<int> ThrowBlockLines(IReadOnlyList<EmittedLine> lines)
    {
        var found = new HashSet<int>();
        var blockStart = 0;
        for (var i = 0; i <= lines.Count; i++)
        {
            if (i < lines.Count && lines[i].Label is null) continue;
            // lines[blockStart..i) is one block (its label, if any, first).
            var instructions = Enumerable.Range(blockStart, i - blockStart).Where(k => lines[k].Instruction is not null).ToList();
            if (instructions.Count >= 2 && lines[instructions[^1]].Instruction!.Mnemonic is "int3" or "brk"
                && lines[instructions[^2]].Instruction!.Mnemonic is "call" or "bl" or "blr")
                found.UnionWith(instructions);
            blockStart = i;
        }
        return found;
    }

    private static bool IsThrowHelper(string callee) =>
        callee.Trim('[', ']').StartsWith("CORINFO_HELP_", StringComparison.Ordinal)
        && (callee.Contains("FAIL", StringComparison.Ordinal) || callee.Contains("THROW", StringComparison.Ordinal));

    /// <summary>x64 prints <c>jne SHORT G_M000_IG41</c>: the label is the last word.</summary>
    private static string LastWord(string operand)
    {
        var space = operand.LastIndexOf(' ');
        return space < 0 ? operand : operand[(space + 1)..];
    }
}
