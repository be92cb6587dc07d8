using System.Text.RegularExpressions;
using Harness.Programs;
using Harness.Language.Source;

namespace Harness.Language.Hardware;

/// <summary>
/// herd7's AArch64 dialect. Registers are numbered by their X name whatever width the
/// instruction uses (herd prints <c>X0</c> for <c>W0</c>); widths are not modelled, since litmus
/// values are small. Addresses are register values: a location's address is
/// <see cref="EventProgram.AddressOf"/>, and an offset is added to it, so a zero offset (the
/// <c>EOR W2,W0,W0</c> of a fake dependency) is the location itself and any other offset is no
/// location of the test. Dependencies come from the registers' data flow, as in herd.
/// </summary>
internal sealed partial class AArch64Dialect : AsmDialect
{
    private const string FlagA = "%nzcv.a";
    private const string FlagB = "%nzcv.b";
    private const string ZeroRegister = "XZR";

    public override ProgramLevel Level => ProgramLevel.Arm64;

    public override string? CanonicalRegister(string name)
    {
        var n = name.ToUpperInvariant();
        if (n is "WZR" or "XZR") return ZeroRegister;
        if (n is "SP" or "WSP") return "SP";
        if (n.Length is 2 or 3 && n[0] is 'W' or 'X' && int.TryParse(n.AsSpan(1), out var r) && r is >= 0 and <= 30
            && (n.Length == 2 || n[1] != '0'))
            return $"X{r}";
        return null;
    }

    [GeneratedRegex(@"^(SWP|CAS|LDADD|LDSET|LDCLR|LDEOR|STADD|STSET|STCLR|STEOR)(A|L|AL)?(B|H)?$")]
    private static partial Regex AtomicMnemonic();

    public override void Emit(ThreadCodeBuilder b, AsmInstruction instruction)
    {
        var name = instruction.Name;
        var mnemonic = instruction.Mnemonic;
        var ops = AsmInstruction.SplitOperands(instruction.Rest);

        if (name.StartsWith("B.", StringComparison.Ordinal))
        {
            ExpectOperands(instruction, ops, 1);
            var condition = Condition(name[2..], Flags(b).A, Flags(b).B)
                ?? throw new AsmErrorException(mnemonic.Start, $"unknown condition '{name[2..]}' in '{mnemonic.Text}'");
            b.EmitJump(condition, Label(ops[0]));
            return;
        }
        if (name.StartsWith("DMB.", StringComparison.Ordinal) || name.StartsWith("DSB.", StringComparison.Ordinal))
        {
            ExpectOperands(instruction, ops, 0);
            b.Emit(new FenceInstruction(Barrier(name[4..], mnemonic)));
            return;
        }
        if (AtomicMnemonic().Match(name) is { Success: true } atomic)
        {
            Atomic(b, instruction, ops, atomic.Groups[1].Value, atomic.Groups[2].Value);
            return;
        }

        switch (name)
        {
            case "NOP":
                ExpectOperands(instruction, ops, 0);
                return;

            // ---------------------------------------------------------- moves and arithmetic
            case "MOV" or "MOVZ":
            {
                ExpectOperands(instruction, ops, 2, 3);
                var value = ops.Count == 3 ? Shifted(b, ops[1], ops[2]) : Source(b, ops[1]);
                Assign(b, ops[0], value);
                return;
            }
            case "MVN" or "NEG":
            {
                ExpectOperands(instruction, ops, 2);
                Assign(b, ops[0], new UnaryExpr(name == "MVN" ? UnaryOperator.BitNot : UnaryOperator.Negate, Source(b, ops[1])));
                return;
            }
            case "ADD" or "SUB" or "EOR" or "ORR" or "AND" or "BIC" or "ADDS" or "SUBS" or "ANDS":
            {
                ExpectOperands(instruction, ops, 3, 4);
                var left = Source(b, ops[1]);
                var right = ops.Count == 4 ? Shifted(b, ops[2], ops[3]) : Source(b, ops[2]);
                var result = name switch
                {
                    "ADD" or "ADDS" => Add(left, right),
                    "SUB" or "SUBS" => new BinaryExpr(BinaryOperator.Sub, left, right),
                    "EOR" => new BinaryExpr(BinaryOperator.BitXor, left, right),
                    "ORR" => new BinaryExpr(BinaryOperator.BitOr, left, right),
                    "BIC" => new BinaryExpr(BinaryOperator.BitAnd, left, new UnaryExpr(UnaryOperator.BitNot, right)),
                    _ => (ValueExpr)new BinaryExpr(BinaryOperator.BitAnd, left, right),
                };
                // Flags first: the destination may be an operand.
                if (name == "SUBS") SetFlags(b, left, right);
                else if (name == "ADDS") SetFlags(b, left, new UnaryExpr(UnaryOperator.Negate, right));
                else if (name == "ANDS") SetFlags(b, result, Symbolic.Zero);
                Assign(b, ops[0], result);
                return;
            }
            case "CMP" or "CMN" or "TST":
            {
                ExpectOperands(instruction, ops, 2, 3);
                var left = Source(b, ops[0]);
                var right = ops.Count == 3 ? Shifted(b, ops[1], ops[2]) : Source(b, ops[1]);
                if (name == "CMP") SetFlags(b, left, right);
                else if (name == "CMN") SetFlags(b, left, new UnaryExpr(UnaryOperator.Negate, right));
                else SetFlags(b, new BinaryExpr(BinaryOperator.BitAnd, left, right), Symbolic.Zero);
                return;
            }
            case "CSEL" or "CSINC" or "CSINV" or "CSNEG":
            {
                ExpectOperands(instruction, ops, 4);
                var whenTrue = Source(b, ops[1]);
                var otherwise = Source(b, ops[2]);
                otherwise = name switch
                {
                    "CSINC" => Add(otherwise, new ConstExpr(1)),
                    "CSINV" => new UnaryExpr(UnaryOperator.BitNot, otherwise),
                    "CSNEG" => new UnaryExpr(UnaryOperator.Negate, otherwise),
                    _ => otherwise,
                };
                Select(b, ops[0], ConditionOf(b, ops[3]), whenTrue, otherwise);
                return;
            }
            case "CSET" or "CSETM":
                ExpectOperands(instruction, ops, 2);
                Select(b, ops[0], ConditionOf(b, ops[1]), new ConstExpr(name == "CSET" ? 1 : -1), Symbolic.Zero);
                return;
            case "CINC":
            {
                ExpectOperands(instruction, ops, 3);
                var source = Source(b, ops[1]);
                Select(b, ops[0], ConditionOf(b, ops[2]), Add(source, new ConstExpr(1)), source);
                return;
            }

            // ---------------------------------------------------------- branches
            case "B":
                ExpectOperands(instruction, ops, 1);
                b.EmitJump(null, Label(ops[0]));
                return;
            case "CBZ" or "CBNZ":
            {
                ExpectOperands(instruction, ops, 2);
                var op = name == "CBZ" ? BinaryOperator.Equal : BinaryOperator.NotEqual;
                b.EmitJump(new BinaryExpr(op, Source(b, ops[0]), Symbolic.Zero), Label(ops[1]));
                return;
            }
            case "TBZ" or "TBNZ":
            {
                ExpectOperands(instruction, ops, 3);
                if (!TryImmediate(ops[1], "#", out var bit) || bit is < 0 or > 63)
                    throw new AsmErrorException(ops[1].First.Start, $"expected a bit number such as '#0', found '{ops[1].Text}'");
                var tested = new BinaryExpr(BinaryOperator.BitAnd,
                    new BinaryExpr(BinaryOperator.ShiftRight, Source(b, ops[0]), new ConstExpr(bit)), new ConstExpr(1));
                var op = name == "TBZ" ? BinaryOperator.Equal : BinaryOperator.NotEqual;
                b.EmitJump(new BinaryExpr(op, tested, Symbolic.Zero), Label(ops[2]));
                return;
            }

            // ---------------------------------------------------------- barriers
            case "DMB" or "DSB":
                ExpectOperands(instruction, ops, 1);
                b.Emit(new FenceInstruction(Barrier(ops[0].Word?.ToUpperInvariant() ?? "", ops[0].First)));
                return;
            case "ISB":
                ExpectOperands(instruction, ops, 0, 1);
                b.Emit(new FenceInstruction(EventTag.Isb));
                return;

            // ---------------------------------------------------------- loads and stores
            case "LDR" or "LDRB" or "LDRH" or "LDRSB" or "LDRSH" or "LDRSW" or "LDUR" or "LDURB" or "LDURH":
                Load(b, instruction, ops, EventTag.None);
                return;
            case "LDAR" or "LDARB" or "LDARH":
                Load(b, instruction, ops, EventTag.AcquireSc);
                return;
            case "LDAPR" or "LDAPRB" or "LDAPRH" or "LDAPUR":
                Load(b, instruction, ops, EventTag.AcquirePc);
                return;
            case "LDXR" or "LDXRB" or "LDXRH":
                LoadExclusive(b, instruction, ops, EventTag.Exclusive);
                return;
            case "LDAXR" or "LDAXRB" or "LDAXRH":
                LoadExclusive(b, instruction, ops, EventTag.Exclusive | EventTag.AcquireSc);
                return;
            case "STR" or "STRB" or "STRH" or "STUR" or "STURB" or "STURH":
                Store(b, instruction, ops, EventTag.None);
                return;
            case "STLR" or "STLRB" or "STLRH" or "STLUR":
                Store(b, instruction, ops, EventTag.ReleaseL);
                return;
            case "STXR" or "STXRB" or "STXRH":
                StoreExclusive(b, instruction, ops, EventTag.Exclusive);
                return;
            case "STLXR" or "STLXRB" or "STLXRH":
                StoreExclusive(b, instruction, ops, EventTag.Exclusive | EventTag.ReleaseL);
                return;
        }
        throw new AsmErrorException(mnemonic.Start, $"unknown or unsupported AArch64 instruction '{mnemonic.Text}'");
    }

    // ------------------------------------------------------------------ operands

    private static (RegExpr A, RegExpr B) Flags(ThreadCodeBuilder b) => (new RegExpr(b.Register(FlagA)), new RegExpr(b.Register(FlagB)));

    private static void SetFlags(ThreadCodeBuilder b, ValueExpr a, ValueExpr c)
    {
        // Both values are computed before either flag register changes.
        var (fa, fb) = (b.Register(FlagA), b.Register(FlagB));
        var saved = b.Temporary();
        b.Emit(new AssignInstruction(saved, a));
        b.Emit(new AssignInstruction(fb, c));
        b.Emit(new AssignInstruction(fa, new RegExpr(saved)));
    }

    private ValueExpr ConditionOf(ThreadCodeBuilder b, AsmOperand operand)
    {
        var (a, c) = Flags(b);
        return operand.Word is { } word && Condition(word.ToUpperInvariant(), a, c) is { } condition
            ? condition
            : throw new AsmErrorException(operand.First.Start, $"expected a condition such as 'EQ' or 'NE', found '{operand.Text}'");
    }

    /// <summary>The register an operand names, in herd's X spelling; null for the zero register.</summary>
    private string? RegisterName(AsmOperand operand)
    {
        if (operand.Word is { } word && CanonicalRegister(word) is { } canonical) return canonical == ZeroRegister ? null : canonical;
        throw new AsmErrorException(operand.First.Start, $"expected a register such as 'W0' or 'X0', found '{operand.Text}'");
    }

    /// <summary>The register written, or -1 for the zero register (writes to it vanish).</summary>
    private int Destination(ThreadCodeBuilder b, AsmOperand operand) => RegisterName(operand) is { } name ? b.Register(name) : -1;

    private bool IsZeroRegister(AsmOperand operand) => RegisterName(operand) is null;

    /// <summary>A register's value (0 for the zero register) or an immediate <c>#n</c>.</summary>
    private ValueExpr Source(ThreadCodeBuilder b, AsmOperand operand)
    {
        if (TryImmediate(operand, "#", out var value)) return new ConstExpr(value);
        if (operand.IsMemory) throw new AsmErrorException(operand.First.Start, "unexpected memory operand: only loads and stores access memory");
        return RegisterName(operand) is { } name ? new RegExpr(b.Register(name)) : Symbolic.Zero;
    }

    /// <summary>A register with a shift or extension: <c>W1, LSL #2</c>, <c>W2, SXTW</c>.</summary>
    private ValueExpr Shifted(ThreadCodeBuilder b, AsmOperand operand, AsmOperand modifier) =>
        Modify(Source(b, operand), modifier.Tokens);

    private static ValueExpr Modify(ValueExpr value, IReadOnlyList<Token> tokens)
    {
        if (tokens.Count == 0 || tokens[0].Kind != TokenKind.Identifier)
            throw new AsmErrorException(tokens.Count > 0 ? tokens[0].Start : 0, "expected a shift or an extension such as 'LSL #2' or 'SXTW'");
        var kind = tokens[0].Text.ToUpperInvariant();
        long amount = 0;
        if (tokens.Count > 1)
        {
            var shift = new AsmOperand(tokens.Skip(1).ToList(), null, false);
            if (!TryImmediate(shift, "#", out amount) || amount is < 0 or > 63)
                throw new AsmErrorException(tokens[1].Start, $"expected a shift amount such as '#2' after '{tokens[0].Text}'");
        }
        return kind switch
        {
            "LSL" or "SXTW" or "UXTW" or "SXTX" or "UXTX" or "SXTB" or "UXTB" or "SXTH" or "UXTH" =>
                amount == 0 ? value : new BinaryExpr(BinaryOperator.ShiftLeft, value, new ConstExpr(amount)),
            "LSR" or "ASR" => amount == 0 ? value : new BinaryExpr(BinaryOperator.ShiftRight, value, new ConstExpr(amount)),
            _ => throw new AsmErrorException(tokens[0].Start, $"unknown shift or extension '{tokens[0].Text}'"),
        };
    }

    private void Assign(ThreadCodeBuilder b, AsmOperand destination, ValueExpr value)
    {
        var register = Destination(b, destination);
        if (register >= 0) b.Emit(new AssignInstruction(register, value));
    }

    /// <summary>
    /// <c>Rd := condition ? whenTrue : otherwise</c>. Two sources that are the same need no choice.
    /// Otherwise the choice is a branch on the flags, since the IR has no select: the value and the
    /// dependencies of Rd are herd's (those of the chosen source), but every later access also gets a
    /// control dependency on the flags' sources, which herd's CSEL (not a branch) does not give.
    /// </summary>
    private void Select(ThreadCodeBuilder b, AsmOperand destinationOperand, ValueExpr condition, ValueExpr whenTrue, ValueExpr otherwise)
    {
        var destination = Destination(b, destinationOperand);
        if (destination < 0) return;
        if (whenTrue == otherwise)
        {
            b.Emit(new AssignInstruction(destination, whenTrue));
            return;
        }
        var start = b.Position;
        b.Emit(new JumpInstruction(condition, start + 3));
        b.Emit(new AssignInstruction(destination, otherwise));
        b.Emit(new JumpInstruction(null, start + 4));
        b.Emit(new AssignInstruction(destination, whenTrue));
    }

    private static Token Label(AsmOperand operand) =>
        operand.Word is not null ? operand.First : throw new AsmErrorException(operand.First.Start, $"expected a label, found '{operand.Text}'");

    private static EventTag Barrier(string option, Token at) => option switch
    {
        "SY" or "ISH" or "OSH" or "NSH" => EventTag.DmbFull,
        "LD" or "ISHLD" or "OSHLD" or "NSHLD" => EventTag.DmbLoad,
        "ST" or "ISHST" or "OSHST" or "NSHST" => EventTag.DmbStore,
        _ => throw new AsmErrorException(at.Start, $"expected a barrier option (SY, ISH, ISHLD, ISHST, LD, ST, ...), found '{option}'"),
    };

    // ------------------------------------------------------------------ addressing

    /// <summary>
    /// The address of <c>[Xn]</c>, <c>[Xn,#imm]</c>, <c>[Xn,Xm]</c>, <c>[Xn,Wm,SXTW]</c>, <c>[Xn,Xm,LSL #3]</c>;
    /// a pre-index <c>[Xn,#imm]!</c> or post-index <c>[Xn],#imm</c> also updates Xn (before, resp. after, the access).
    /// </summary>
    private (ValueExpr Address, AssignInstruction? Before, AssignInstruction? After) Addressing(
        ThreadCodeBuilder b, AsmOperand memory, AsmOperand? postIndex)
    {
        if (!memory.IsMemory) throw new AsmErrorException(memory.First.Start, $"expected a memory operand such as '[X1]', found '{memory.Text}'");
        var parts = memory.Memory!;
        var baseOperand = new AsmOperand(parts[0], null, false);
        if (baseOperand.Word is not { } baseWord || CanonicalRegister(baseWord) is not { } baseName || baseName == ZeroRegister)
            throw new AsmErrorException(parts[0][0].Start, $"expected a base register such as 'X1' in the memory operand, found '{baseOperand.Text}'");
        var baseRegister = b.Register(baseName);
        ValueExpr address = new RegExpr(baseRegister);
        if (parts.Count > 3) throw new AsmErrorException(parts[3][0].Start, "too many parts in the memory operand");
        if (parts.Count >= 2)
        {
            var offsetOperand = new AsmOperand(parts[1], null, false);
            ValueExpr offset;
            if (TryImmediate(offsetOperand, "#", out var immediate))
            {
                if (parts.Count == 3) throw new AsmErrorException(parts[2][0].Start, "an immediate offset takes no shift or extension");
                offset = new ConstExpr(immediate);
            }
            else
            {
                offset = Source(b, offsetOperand);
                if (parts.Count == 3) offset = Modify(offset, parts[2]);
            }
            if (offset is not ConstExpr { Value: 0 }) address = Add(address, offset);
        }
        if (memory.Writeback)
        {
            if (postIndex is not null) throw new AsmErrorException(postIndex.First.Start, "an access is either pre-indexed ('!') or post-indexed, not both");
            return (new RegExpr(baseRegister), new AssignInstruction(baseRegister, address), null);
        }
        if (postIndex is not null)
        {
            if (parts.Count != 1) throw new AsmErrorException(postIndex.First.Start, "a post-indexed access takes '[Xn],#imm'");
            if (!TryImmediate(postIndex, "#", out var step))
                throw new AsmErrorException(postIndex.First.Start, $"expected a post-index immediate such as '#4', found '{postIndex.Text}'");
            return (address, null, new AssignInstruction(baseRegister, Add(new RegExpr(baseRegister), new ConstExpr(step))));
        }
        return (address, null, null);
    }

    private void Load(ThreadCodeBuilder b, AsmInstruction instruction, List<AsmOperand> ops, EventTag tags)
    {
        ExpectOperands(instruction, ops, 2, 3);
        var destination = Destination(b, ops[0]);
        var (address, before, after) = Addressing(b, ops[1], ops.Count == 3 ? ops[2] : null);
        if (before is not null) b.Emit(before);
        b.Emit(new LoadInstruction(destination, address, tags));
        if (after is not null) b.Emit(after);
    }

    private void Store(ThreadCodeBuilder b, AsmInstruction instruction, List<AsmOperand> ops, EventTag tags)
    {
        ExpectOperands(instruction, ops, 2, 3);
        var value = Source(b, ops[0]);
        var (address, before, after) = Addressing(b, ops[1], ops.Count == 3 ? ops[2] : null);
        if (before is not null) b.Emit(before);
        b.Emit(new StoreInstruction(address, value, tags));
        if (after is not null) b.Emit(after);
    }

    /// <summary>The address of an atomic or exclusive access: <c>[Xn]</c> or <c>[Xn,#0]</c> only.</summary>
    private ValueExpr SimpleAddress(ThreadCodeBuilder b, AsmOperand memory)
    {
        var (address, before, _) = Addressing(b, memory, null);
        if (before is not null || (memory.Memory!.Count > 1 && address is not RegExpr))
            throw new AsmErrorException(memory.First.Start, "this instruction takes a memory operand '[Xn]' with no offset");
        return address;
    }

    // ------------------------------------------------------------------ LSE atomics

    /// <summary>
    /// SWP, CAS, LD&lt;op&gt; and ST&lt;op&gt; with their A/L suffixes, as herd7's AArch64 semantics makes
    /// them: the read carries A (acquire) for *A/*AL forms, the write L for *L/*AL forms, both are
    /// Amo. When the register receiving the old value is the zero register, the read is a NoRet
    /// read and drops A (herd: <c>Annot.NoRet</c>). A failed CAS only reads, with A for CASA/CASAL.
    /// </summary>
    private void Atomic(ThreadCodeBuilder b, AsmInstruction instruction, List<AsmOperand> ops, string operation, string order)
    {
        var acquire = order is "A" or "AL";
        var release = order is "L" or "AL";
        var noReturnForm = operation.StartsWith("ST", StringComparison.Ordinal);
        if (noReturnForm && acquire)
            throw new AsmErrorException(instruction.Mnemonic.Start, $"'{instruction.Mnemonic.Text}' does not exist: store forms have no acquire variant");
        ExpectOperands(instruction, ops, noReturnForm ? 2 : 3);
        var source = ops[0];
        var result = noReturnForm ? null : ops[1];
        var address = SimpleAddress(b, ops[^1]);
        var writeTags = EventTag.Amo | (release ? EventTag.ReleaseL : EventTag.None);

        if (operation == "CAS")
        {
            // CAS Rs, Rt, [Xn]: Rs holds the expected value and receives the old one; the comparison
            // picks the write (herd's iico_ctrl), which orders writes only, unlike a data or control dependency.
            var noReturn = IsZeroRegister(source);
            var expected = Source(b, source);
            var desired = Source(b, result!);
            var readTags = noReturn ? EventTag.Amo | EventTag.NoReturn : EventTag.Amo | (acquire ? EventTag.AcquireSc : EventTag.None);
            var failureTags = noReturn ? EventTag.NoReturn : acquire ? EventTag.AcquireSc : EventTag.None;
            b.Emit(new CasInstruction(-1, Destination(b, source), address, expected, desired,
                readTags, writeTags, failureTags, Strong: true, SingleEvent: false, CasDependencies.Pick));
            return;
        }

        var returns = !noReturnForm && !IsZeroRegister(result!);
        var operand = Source(b, source);
        RmwOperation rmw;
        switch (operation[^3..])
        {
            case "SWP":
                rmw = RmwOperation.Exchange;
                break;
            case "ADD":
                rmw = RmwOperation.Add;
                break;
            case "SET":
                rmw = RmwOperation.Or;
                break;
            case "CLR":
                rmw = RmwOperation.And;
                operand = new UnaryExpr(UnaryOperator.BitNot, operand);
                break;
            default:
                throw new AsmErrorException(instruction.Mnemonic.Start,
                    $"'{instruction.Mnemonic.Text}' is not supported: the simulator has no exclusive-or read-modify-write");
        }
        var tags = returns ? EventTag.Amo | (acquire ? EventTag.AcquireSc : EventTag.None) : EventTag.Amo | EventTag.NoReturn;
        b.Emit(new RmwInstruction(returns ? Destination(b, result!) : -1, address, rmw, operand, tags, writeTags, SingleEvent: false));
    }

    // ------------------------------------------------------------------ exclusives

    private void LoadExclusive(ThreadCodeBuilder b, AsmInstruction instruction, List<AsmOperand> ops, EventTag tags)
    {
        ExpectOperands(instruction, ops, 2);
        b.Emit(new LoadInstruction(Destination(b, ops[0]), SimpleAddress(b, ops[1]), tags));
    }

    /// <summary>STXR Ws, Rt, [Xn]: pairs with the latest load-exclusive when the simulator runs the path (<see cref="StoreExclusiveInstruction"/>).</summary>
    private void StoreExclusive(ThreadCodeBuilder b, AsmInstruction instruction, List<AsmOperand> ops, EventTag writeTags)
    {
        ExpectOperands(instruction, ops, 3);
        b.Emit(new StoreExclusiveInstruction(Destination(b, ops[0]), SimpleAddress(b, ops[2]), Source(b, ops[1]), writeTags));
    }
}
