using Harness.Programs;
using Harness.Language.Source;

namespace Harness.Language.Hardware;

/// <summary>
/// herd7's X86 dialect (Intel operand order, <c>$</c> immediates, <c>[x]</c> memory operands)
/// and its 64-bit variant X86_64 (AT&amp;T syntax: <c>movq $1,(x)</c>, <c>%rax</c>, source first;
/// registers printed by their lower-case 64-bit name, <c>0:rax</c>, as herd7 does). XCHG with memory and LOCK-prefixed instructions are locked
/// read-modify-writes (herd's X annotation: <see cref="EventTag.Locked"/> on both events);
/// MFENCE is a fence; compares and ALU instructions set flags that Jcc branches test.
/// </summary>
internal sealed class X86Dialect(bool is64Bit) : AsmDialect
{
    private static readonly string[] Registers32 = ["EAX", "EBX", "ECX", "EDX", "ESI", "EDI", "EBP", "ESP"];
    private static readonly string[] Registers64 = ["RAX", "RBX", "RCX", "RDX", "RSI", "RDI", "RBP", "RSP"];

    private const string FlagA = "%flags.a";
    private const string FlagB = "%flags.b";

    public override ProgramLevel Level => ProgramLevel.X64;

    public override string? CanonicalRegister(string name)
    {
        var n = name.ToUpperInvariant();
        // The eight legacy registers, by any width: RAX, EAX, AX, AL, AH.
        for (var i = 0; i < Registers32.Length; i++)
        {
            var stem = Registers32[i][1..]; // "AX", "BX", ..., "SI", "BP"
            var low = stem.EndsWith('X') ? stem[..1] + "L" : stem + "L"; // AL, BL, ..., SIL, BPL
            var high = stem.EndsWith('X') ? stem[..1] + "H" : null;
            if (n == Registers32[i] || n == Registers64[i] || n == stem || n == low || n == high)
                return is64Bit ? Registers64[i].ToLowerInvariant() : Registers32[i];
        }
        if (is64Bit && n.Length >= 2 && n[0] == 'R')
        {
            var digits = n[1..].TrimEnd('D', 'W', 'B');
            if (digits.Length is 1 or 2 && int.TryParse(digits, out var r) && r is >= 8 and <= 15 && n.Length - 1 - digits.Length <= 1)
                return $"r{r}";
        }
        return null;
    }

    public override void Emit(ThreadCodeBuilder b, AsmInstruction instruction)
    {
        var name = instruction.Name;
        var rest = instruction.Rest;
        var locked = false;
        var mnemonic = instruction.Mnemonic;
        if (name == "LOCK")
        {
            if (rest.Count == 0 || rest[0].Kind != TokenKind.Identifier)
                throw new AsmErrorException(mnemonic.End, "expected an instruction after 'LOCK'");
            locked = true;
            mnemonic = rest[0];
            name = mnemonic.Text.ToUpperInvariant();
            rest = rest.Skip(1).ToList();
        }
        name = WithoutSizeSuffix(name);
        var ops = is64Bit ? AttOperands(rest) : AsmInstruction.SplitOperands(rest);
        var at = new AsmInstruction(mnemonic, rest);

        if (locked && name == "XOR")
            throw new AsmErrorException(mnemonic.Start, "'LOCK XOR' is not supported: the simulator has no exclusive-or read-modify-write");
        if (locked && name is not ("XADD" or "ADD" or "SUB" or "OR" or "AND" or "INC" or "DEC" or "XCHG" or "CMPXCHG"))
            throw new AsmErrorException(mnemonic.Start, $"'LOCK {mnemonic.Text}' is not supported (LOCK goes with XADD, ADD, SUB, OR, AND, INC, DEC, XCHG, CMPXCHG)");

        switch (name)
        {
            case "NOP":
                ExpectOperands(at, ops, 0);
                return;
            case "MFENCE":
                ExpectOperands(at, ops, 0);
                b.Emit(new FenceInstruction(EventTag.MFence));
                return;
            case "LFENCE" or "SFENCE":
                // x86-TSO already orders what these order.
                ExpectOperands(at, ops, 0);
                return;
            case "MOV":
                ExpectOperands(at, ops, 2);
                Move(b, ops[0], ops[1]);
                return;
            case "XCHG":
                ExpectOperands(at, ops, 2);
                Exchange(b, ops[0], ops[1]);
                return;
            case "XADD":
                ExpectOperands(at, ops, 2);
                FetchAndAdd(b, ops[0], ops[1], locked);
                return;
            case "CMPXCHG":
                ExpectOperands(at, ops, 2);
                if (!locked) throw new AsmErrorException(mnemonic.Start, "only 'LOCK CMPXCHG' is supported");
                CompareExchange(b, ops[0], ops[1]);
                return;
            case "ADD" or "SUB" or "AND" or "OR" or "XOR":
                ExpectOperands(at, ops, 2);
                Arithmetic(b, name, ops[0], Value(b, ops[1]), locked);
                return;
            case "INC" or "DEC":
                ExpectOperands(at, ops, 1);
                Arithmetic(b, name == "INC" ? "ADD" : "SUB", ops[0], new ConstExpr(1), locked);
                return;
            case "NEG" or "NOT":
            {
                ExpectOperands(at, ops, 1);
                var register = Register(b, ops[0]);
                var op = name == "NEG" ? UnaryOperator.Negate : UnaryOperator.BitNot;
                b.Emit(new AssignInstruction(register, new UnaryExpr(op, new RegExpr(register))));
                SetFlags(b, new RegExpr(register), new ConstExpr(0));
                return;
            }
            case "CMP":
                ExpectOperands(at, ops, 2);
                SetFlags(b, Value(b, ops[0]), Value(b, ops[1]));
                return;
            case "TEST":
                ExpectOperands(at, ops, 2);
                SetFlags(b, new BinaryExpr(BinaryOperator.BitAnd, Value(b, ops[0]), Value(b, ops[1])), new ConstExpr(0));
                return;
            case "JMP":
                ExpectOperands(at, ops, 1);
                b.EmitJump(null, Label(ops[0]));
                return;
            case "MOVZX" or "MOVSX":
                // Beyond herd's X86, for the code the JIT emits: widening a register that holds a small value.
                ExpectOperands(at, ops, 2);
                Move(b, ops[0], ops[1]);
                return;
            case "SHL" or "SHR" or "SAR" or "IMUL":
                ExpectOperands(at, ops, 2);
                Arithmetic(b, name, ops[0], Value(b, ops[1]), locked);
                return;
        }
        if (name.Length > 3 && name.StartsWith("SET", StringComparison.Ordinal)
            && Condition(name[3..], new RegExpr(b.Register(FlagA)), new RegExpr(b.Register(FlagB))) is { } flag)
        {
            // Beyond herd's X86, for the code the JIT emits: a comparison's outcome as 0 or 1.
            ExpectOperands(at, ops, 1);
            b.Emit(new AssignInstruction(Register(b, ops[0]), flag));
            return;
        }
        if (name.Length > 1 && name[0] == 'J'
            && Condition(name[1..], new RegExpr(b.Register(FlagA)), new RegExpr(b.Register(FlagB))) is { } condition)
        {
            ExpectOperands(at, ops, 1);
            b.EmitJump(condition, Label(ops[0]));
            return;
        }
        throw new AsmErrorException(mnemonic.Start, $"unknown or unsupported X86 instruction '{mnemonic.Text}'");
    }

    private static readonly HashSet<string> Known =
    [
        "NOP", "MFENCE", "LFENCE", "SFENCE", "MOV", "XCHG", "XADD", "CMPXCHG", "ADD", "SUB", "AND", "OR", "XOR",
        "INC", "DEC", "NEG", "NOT", "CMP", "TEST", "MOVZX", "MOVSX", "SHL", "SHR", "SAR", "IMUL",
    ];

    /// <summary>X86_64 spells sizes as suffixes (MOVL, XCHGQ): they make no difference here.</summary>
    private string WithoutSizeSuffix(string name) =>
        !Known.Contains(name) && name.Length > 2 && name[^1] is 'B' or 'W' or 'L' or 'Q' && Known.Contains(name[..^1]) ? name[..^1] : name;

    /// <summary>
    /// AT&amp;T operands in Intel form: <c>%</c> dropped, <c>disp(base)</c> as <c>[base+disp]</c>, and the
    /// operands reversed (AT&amp;T writes the source first).
    /// </summary>
    private static List<AsmOperand> AttOperands(IReadOnlyList<Token> tokens)
    {
        var intel = new List<Token>();
        var displacementStart = 0;
        for (var i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (t.Is("%"))
            {
                if (i + 1 >= tokens.Count || tokens[i + 1].Kind != TokenKind.Identifier)
                    throw new AsmErrorException(t.Start, "expected a register name after '%'");
                continue;
            }
            if (t.Is(",")) displacementStart = intel.Count + 1;
            if (t.Is("["))
                throw new AsmErrorException(t.Start, "X86_64 tests use AT&T syntax: write memory operands as '(x)'");
            if (!t.Is("("))
            {
                intel.Add(t);
                continue;
            }
            var displacement = intel.Skip(displacementStart).ToList();
            intel.RemoveRange(displacementStart, intel.Count - displacementStart);
            intel.Add(t with { Text = "[" });
            var close = i + 1;
            while (close < tokens.Count && !tokens[close].Is(")")) close++;
            if (close >= tokens.Count) throw new AsmErrorException(t.Start, "'(' has no matching ')'");
            intel.AddRange(tokens.Skip(i + 1).Take(close - i - 1).Where(x => !x.Is("%")));
            if (displacement.Count > 0)
            {
                intel.Add(displacement[0] with { Kind = TokenKind.Punctuator, Text = "+" });
                intel.AddRange(displacement);
            }
            intel.Add(tokens[close] with { Text = "]" });
            i = close;
        }
        var operands = AsmInstruction.SplitOperands(intel);
        operands.Reverse();
        return operands;
    }

    private void Move(ThreadCodeBuilder b, AsmOperand destination, AsmOperand source)
    {
        if (destination.IsMemory)
        {
            if (source.IsMemory) throw new AsmErrorException(source.First.Start, "X86 has no memory-to-memory MOV");
            b.Emit(new StoreInstruction(Address(b, destination), Value(b, source), EventTag.None));
            return;
        }
        var register = Register(b, destination);
        if (source.IsMemory) b.Emit(new LoadInstruction(register, Address(b, source), EventTag.None));
        else b.Emit(new AssignInstruction(register, Value(b, source)));
    }

    private void Exchange(ThreadCodeBuilder b, AsmOperand first, AsmOperand second)
    {
        if (first.IsMemory && second.IsMemory) throw new AsmErrorException(second.First.Start, "X86 has no memory-to-memory XCHG");
        if (!first.IsMemory && !second.IsMemory)
        {
            var (r1, r2) = (Register(b, first), Register(b, second));
            var saved = b.Temporary();
            b.Emit(new AssignInstruction(saved, new RegExpr(r1)));
            b.Emit(new AssignInstruction(r1, new RegExpr(r2)));
            b.Emit(new AssignInstruction(r2, new RegExpr(saved)));
            return;
        }
        var (memory, reg) = first.IsMemory ? (first, second) : (second, first);
        var register = Register(b, reg);
        // XCHG with a memory operand is always locked.
        b.Emit(new RmwInstruction(register, Address(b, memory), RmwOperation.Exchange, new RegExpr(register),
            EventTag.Locked, EventTag.Locked, SingleEvent: false));
    }

    private void FetchAndAdd(ThreadCodeBuilder b, AsmOperand destination, AsmOperand source, bool locked)
    {
        var register = Register(b, source);
        if (!destination.IsMemory)
        {
            var target = Register(b, destination);
            var saved = b.Temporary();
            b.Emit(new AssignInstruction(saved, new RegExpr(target)));
            b.Emit(new AssignInstruction(target, Add(new RegExpr(target), new RegExpr(register))));
            b.Emit(new AssignInstruction(register, new RegExpr(saved)));
            SetFlags(b, new RegExpr(target), new ConstExpr(0));
            return;
        }
        var address = Address(b, destination);
        var addend = b.Temporary();
        b.Emit(new AssignInstruction(addend, new RegExpr(register)));
        if (locked)
            b.Emit(new RmwInstruction(register, address, RmwOperation.Add, new RegExpr(addend), EventTag.Locked, EventTag.Locked, SingleEvent: false));
        else
        {
            b.Emit(new LoadInstruction(register, address, EventTag.None));
            b.Emit(new StoreInstruction(address, Add(new RegExpr(register), new RegExpr(addend)), EventTag.None));
        }
        SetFlags(b, Add(new RegExpr(register), new RegExpr(addend)), new ConstExpr(0));
    }

    /// <summary>LOCK CMPXCHG [m],r: if [m] = EAX then [m] := r, else EAX := [m]; ZF tells which.</summary>
    private void CompareExchange(ThreadCodeBuilder b, AsmOperand destination, AsmOperand source)
    {
        if (!destination.IsMemory) throw new AsmErrorException(destination.First.Start, "only 'LOCK CMPXCHG' with a memory destination is supported");
        var desired = Value(b, source);
        var accumulator = b.Register(CanonicalRegister("EAX")!);
        var (status, old) = (b.Temporary(), b.Temporary());
        b.Emit(new CasInstruction(status, old, Address(b, destination), new RegExpr(accumulator), desired,
            EventTag.Locked, EventTag.Locked, EventTag.Locked, Strong: true, SingleEvent: false));
        // On success the old value equals EAX; on failure EAX receives it: either way EAX = old.
        b.Emit(new AssignInstruction(accumulator, new RegExpr(old)));
        SetFlags(b, new RegExpr(status), new ConstExpr(1));
    }

    private void Arithmetic(ThreadCodeBuilder b, string name, AsmOperand destination, ValueExpr operand, bool locked)
    {
        var (binary, rmw) = name switch
        {
            "ADD" => (BinaryOperator.Add, (RmwOperation?)RmwOperation.Add),
            "SUB" => (BinaryOperator.Sub, RmwOperation.Sub),
            "AND" => (BinaryOperator.BitAnd, RmwOperation.And),
            "OR" => (BinaryOperator.BitOr, RmwOperation.Or),
            "SHL" => (BinaryOperator.ShiftLeft, null),
            "IMUL" => (BinaryOperator.Mul, null),
            "SHR" or "SAR" => (BinaryOperator.ShiftRight, null),
            _ => (BinaryOperator.BitXor, (RmwOperation?)null),
        };
        if (!destination.IsMemory)
        {
            if (locked) throw new AsmErrorException(destination.First.Start, "LOCK needs a memory destination");
            var register = Register(b, destination);
            b.Emit(new AssignInstruction(register, new BinaryExpr(binary, new RegExpr(register), operand)));
            SetFlags(b, new RegExpr(register), new ConstExpr(0));
            return;
        }
        var address = Address(b, destination);
        var old = b.Temporary();
        if (locked)
        {
            var operation = rmw ?? throw new InvalidOperationException("LOCK XOR and shifts are rejected before");
            b.Emit(new RmwInstruction(old, address, operation, operand, EventTag.Locked, EventTag.Locked, SingleEvent: false));
        }
        else
        {
            b.Emit(new LoadInstruction(old, address, EventTag.None));
            b.Emit(new StoreInstruction(address, new BinaryExpr(binary, new RegExpr(old), operand), EventTag.None));
        }
        SetFlags(b, new BinaryExpr(binary, new RegExpr(old), operand), new ConstExpr(0));
    }

    /// <summary>The flags as the two values a following Jcc compares (an ALU result is compared with 0).</summary>
    private static void SetFlags(ThreadCodeBuilder b, ValueExpr a, ValueExpr c)
    {
        var (fa, fb) = (b.Register(FlagA), b.Register(FlagB));
        b.Emit(new AssignInstruction(fa, a));
        b.Emit(new AssignInstruction(fb, c));
    }

    private int Register(ThreadCodeBuilder b, AsmOperand operand)
    {
        if (operand.Word is { } word && CanonicalRegister(word) is { } canonical) return b.Register(canonical);
        throw new AsmErrorException(operand.First.Start, $"expected a register, found '{operand.Text}'");
    }

    /// <summary>A register, an immediate <c>$n</c>, or (read first into a temporary) a memory operand.</summary>
    private ValueExpr Value(ThreadCodeBuilder b, AsmOperand operand)
    {
        if (operand.IsMemory)
        {
            var loaded = b.Temporary();
            b.Emit(new LoadInstruction(loaded, Address(b, operand), EventTag.None));
            return new RegExpr(loaded);
        }
        if (TryImmediate(operand, "$", out var value)) return new ConstExpr(value);
        if (operand.Word is { } word && CanonicalRegister(word) is { } canonical) return new RegExpr(b.Register(canonical));
        throw new AsmErrorException(operand.First.Start, $"expected a register, an immediate such as '$1' or a memory operand, found '{operand.Text}'");
    }

    /// <summary><c>[x]</c>, <c>[EAX]</c>, <c>[x+ECX]</c>, <c>[EBX+4]</c>: a sum of locations, registers and displacements.</summary>
    private ValueExpr Address(ThreadCodeBuilder b, AsmOperand operand)
    {
        var parts = operand.Memory!;
        if (parts.Count != 1) throw new AsmErrorException(operand.First.Start, "unexpected ',' in an X86 memory operand");
        ValueExpr? address = null;
        var tokens = parts[0];
        var i = 0;
        var negative = false;
        while (i < tokens.Count)
        {
            var t = tokens[i++];
            ValueExpr term;
            if (t.Kind == TokenKind.Identifier)
            {
                if (negative) throw new AsmErrorException(t.Start, "cannot subtract a register or a location in an address");
                term = CanonicalRegister(t.Text) is { } register ? new RegExpr(b.Register(register)) : b.AddressOf(t.Text);
            }
            else if (t.Kind == TokenKind.Integer && TextScanner.TryParseNumber(t.Text, out var displacement))
            {
                term = new ConstExpr(negative ? -displacement : displacement);
            }
            else throw new AsmErrorException(t.Start, $"expected a location, a register or a number in the memory operand, found {t.Describe()}");
            address = address is null ? term : Add(address, term);
            if (i >= tokens.Count) break;
            var sign = tokens[i++];
            if (!sign.Is("+") && !sign.Is("-")) throw new AsmErrorException(sign.Start, $"expected '+' or ']' in the memory operand, found {sign.Describe()}");
            if (i >= tokens.Count) throw new AsmErrorException(sign.End, "expected a term after the sign in the memory operand");
            negative = sign.Is("-");
        }
        return address!;
    }

    private static Token Label(AsmOperand operand) =>
        operand.Word is not null ? operand.First : throw new AsmErrorException(operand.First.Start, $"expected a label, found '{operand.Text}'");
}
