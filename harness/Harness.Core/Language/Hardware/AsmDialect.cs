using Harness.Programs;
using Harness.Language.Source;

namespace Harness.Language.Hardware;

/// <summary>A problem in one instruction: reported at <paramref name="Offset"/>, and the parse goes on with the next cell.</summary>
internal sealed class AsmErrorException(int offset, string message) : Exception(message)
{
    public int Offset { get; } = offset;
}

/// <summary>
/// One operand of an instruction: a run of tokens (<c>W0</c>, <c>#1</c>, <c>$1</c>, <c>LSL #2</c>,
/// <c>over</c>) or a bracketed memory operand (<c>[X1,W2,SXTW]</c>, <c>[x]</c>), whose
/// comma-separated parts are in <see cref="Memory"/>; <see cref="Writeback"/> is AArch64's pre-index <c>!</c>.
/// </summary>
internal sealed record AsmOperand(IReadOnlyList<Token> Tokens, IReadOnlyList<IReadOnlyList<Token>>? Memory, bool Writeback)
{
    public Token First => Tokens[0];

    public bool IsMemory => Memory is not null;

    public string Text => string.Join(" ", Tokens.Select(t => t.Text));

    /// <summary>The single word of a one-token operand, else null.</summary>
    public string? Word => Memory is null && Tokens.Count == 1 && Tokens[0].Kind == TokenKind.Identifier ? Tokens[0].Text : null;
}

/// <summary>One line of one thread's column: a mnemonic and the tokens after it.</summary>
internal sealed record AsmInstruction(Token Mnemonic, IReadOnlyList<Token> Rest)
{
    public string Name => Mnemonic.Text.ToUpperInvariant();

    /// <summary>Splits <paramref name="tokens"/> into operands at the commas outside brackets.</summary>
    public static List<AsmOperand> SplitOperands(IReadOnlyList<Token> tokens)
    {
        var operands = new List<AsmOperand>();
        var i = 0;
        if (tokens.Count == 0) return operands;
        while (true)
        {
            if (i >= tokens.Count) throw new AsmErrorException(tokens[^1].End, "expected an operand after ','");
            var start = i;
            if (tokens[i].Is("["))
            {
                var parts = new List<IReadOnlyList<Token>> { new List<Token>() };
                i++;
                while (true)
                {
                    if (i >= tokens.Count) throw new AsmErrorException(tokens[start].Start, "'[' has no matching ']'");
                    var t = tokens[i++];
                    if (t.Is("]")) break;
                    if (t.Is("[")) throw new AsmErrorException(t.Start, "unexpected '[' inside a memory operand");
                    if (t.Is(",")) parts.Add(new List<Token>());
                    else ((List<Token>)parts[^1]).Add(t);
                }
                if (parts.Any(p => p.Count == 0))
                    throw new AsmErrorException(tokens[start].Start, "empty part in memory operand");
                var writeback = i < tokens.Count && tokens[i].Is("!");
                if (writeback) i++;
                operands.Add(new AsmOperand(tokens.Skip(start).Take(i - start).ToList(), parts, writeback));
            }
            else
            {
                while (i < tokens.Count && !tokens[i].Is(","))
                {
                    if (tokens[i].Is("[") || tokens[i].Is("]"))
                        throw new AsmErrorException(tokens[i].Start, $"unexpected '{tokens[i].Text}' in an operand");
                    i++;
                }
                if (i == start) throw new AsmErrorException(tokens[start].Start, $"expected an operand, found {tokens[start].Describe()}");
                operands.Add(new AsmOperand(tokens.Skip(start).Take(i - start).ToList(), null, false));
            }
            if (i >= tokens.Count) return operands;
            if (!tokens[i].Is(",")) throw new AsmErrorException(tokens[i].Start, $"expected ',' between operands, found {tokens[i].Describe()}");
            i++;
        }
    }
}

/// <summary>
/// An assembly dialect of herd7 (X86, AArch64): its register names and the translation of each
/// instruction into the simulator's instructions.
/// </summary>
internal abstract class AsmDialect
{
    public abstract ProgramLevel Level { get; }

    /// <summary>The name herd7 prints for a register (AArch64: <c>X0</c> for <c>W0</c>), or null if the word is no register.</summary>
    public abstract string? CanonicalRegister(string name);

    /// <summary>Translates one instruction; throws <see cref="AsmErrorException"/> on a malformed or unsupported one.</summary>
    public abstract void Emit(ThreadCodeBuilder b, AsmInstruction instruction);

    /// <summary>Reads an immediate: <c>$1</c> (X86), <c>#1</c> (AArch64), or a bare number; with an optional minus sign.</summary>
    protected static bool TryImmediate(AsmOperand operand, string? prefix, out long value)
    {
        value = 0;
        if (operand.IsMemory) return false;
        var tokens = operand.Tokens;
        var i = 0;
        if (i < tokens.Count && (tokens[i].Is("$") || tokens[i].Is("#")))
        {
            if (prefix is not null && tokens[i].Text != prefix) return false;
            i++;
        }
        var negative = i < tokens.Count && tokens[i].Is("-");
        if (negative) i++;
        if (i != tokens.Count - 1 || tokens[i].Kind != TokenKind.Integer) return false;
        if (!TextScanner.TryParseNumber(tokens[i].Text, out value))
            throw new AsmErrorException(tokens[i].Start, $"invalid number '{tokens[i].Text}'");
        if (negative) value = -value;
        return true;
    }

    protected static void ExpectOperands(AsmInstruction instruction, List<AsmOperand> operands, params int[] counts)
    {
        if (counts.Contains(operands.Count)) return;
        var expected = counts.Length == 1 ? $"{counts[0]}" : string.Join(" or ", counts);
        throw new AsmErrorException(instruction.Mnemonic.Start,
            $"'{instruction.Mnemonic.Text}' expects {expected} operand{(counts.Max() == 1 ? "" : "s")}, found {operands.Count}");
    }

    protected static ValueExpr Add(ValueExpr left, ValueExpr right) => new BinaryExpr(BinaryOperator.Add, left, right);

    /// <summary>The comparison a conditional branch tests, over the two values a compare left in the flags.</summary>
    protected static ValueExpr? Condition(string code, ValueExpr a, ValueExpr b) => code switch
    {
        "EQ" or "E" or "Z" => new BinaryExpr(BinaryOperator.Equal, a, b),
        "NE" or "NZ" => new BinaryExpr(BinaryOperator.NotEqual, a, b),
        // Signed and unsigned orders are told apart by the width of the values, which the
        // simulator does not model: litmus values are small and non-negative.
        "GE" or "HS" or "CS" or "PL" or "AE" or "NL" or "NB" or "NC" => new BinaryExpr(BinaryOperator.GreaterEqual, a, b),
        "LT" or "LO" or "CC" or "MI" or "L" or "B" or "C" or "NGE" or "NAE" => new BinaryExpr(BinaryOperator.Less, a, b),
        "GT" or "HI" or "G" or "A" or "NLE" or "NBE" => new BinaryExpr(BinaryOperator.Greater, a, b),
        "LE" or "LS" or "NG" or "BE" or "NA" => new BinaryExpr(BinaryOperator.LessEqual, a, b),
        "AL" or "NV" => new ConstExpr(1),
        _ => null,
    };
}

/// <summary>
/// Collects one thread's instructions, registers and labels while its column of the table is read.
/// Registers are numbered in order of first mention; hidden ones (flags, temporaries) have names
/// starting with '%' so that they never clash with a register of the test.
/// </summary>
internal sealed class ThreadCodeBuilder(int threadId, Func<string, int> location) : ThreadBuilder(location)
{
    private readonly List<(int Jump, Token Label)> _pendingJumps = [];

    public int ThreadId { get; } = threadId;

    public void DefineLabel(Token label)
    {
        if (!TryDefineLabel(label.Text))
            throw new AsmErrorException(label.Start, $"label '{label.Text}' is defined twice in P{ThreadId}");
    }

    public void EmitJump(ValueExpr? condition, Token label) => _pendingJumps.Add((EmitJump(condition), label));

    /// <summary>Fixes every jump's target; returns the labels no line defines.</summary>
    public IEnumerable<Token> ResolveJumps()
    {
        foreach (var (jump, label) in _pendingJumps)
        {
            if (TryFindLabel(label.Text, out var target)) Patch(jump, target);
            else yield return label;
        }
    }
}
