using System.Text.RegularExpressions;

namespace Harness.Emitted;

/// <summary>
/// The x64 listing to herd's X86 dialect. herd's X86 names only the eight legacy registers, so
/// the JIT's registers are renamed onto the free ones (EAX keeps its name: CMPXCHG uses it).
/// </summary>
public sealed partial class X64Translator : EmittedThreadTranslator
{
    /// <summary>herd's X86 registers; EBP and ESP too, which the racing code never uses as such (stack slots are named by their slot).</summary>
    private static readonly string[] Legacy = ["EAX", "EBX", "ECX", "EDX", "ESI", "EDI", "EBP", "ESP"];
    private readonly Dictionary<string, string> _names = [];

    public override string Architecture => "X86";

    protected override Dictionary<string, string> Names => _names;

    [GeneratedRegex(@"^(?<size>byte|word|dword|qword|bword|gword)\s+ptr\s+\[(?<base>\w+)(?<offset>[+-](0x)?[0-9A-Fa-f]+)?\]$")]
    private static partial Regex MemoryOperand();

    /// <summary>An int array's element: <c>dword ptr [r12+4*rcx+0x10]</c> (the array, the index, the array header).</summary>
    [GeneratedRegex(@"^[bd]word\s+ptr\s+\[(?<base>\w+)\+4\*(?<index>\w+)(\+0x10)\]$")]
    private static partial Regex ArrayElement();

    /// <summary>A register computed by <c>lea</c>: <c>[rax+0x02]</c>, <c>[rax+rbx]</c>, <c>[rax+2*rbx-0x01]</c>.</summary>
    [GeneratedRegex(@"^\[(?<base>\w+)(\+((?<scale>[1248])\*)?(?<index>[a-z]\w*))?(?<offset>[+-](0x)?[0-9A-Fa-f]+)?\]$")]
    private static partial Regex LeaOperand();


    protected override void Translate(EmittedInstruction instruction, RacingSectionListing section)
    {
        var m = instruction.Mnemonic;
        var ops = instruction.Operands;
        if (IndexArithmetic(instruction)) return;
        // A compare with a 32-bit register the racing code never set: the spin bound, kept in a register by OSR code.
        if (m is "cmp" or "test")
            foreach (var operand in ops.Where(IsSetBeforeInt).Distinct().ToList())
                KernelIntSetBefore(instruction, section, operand);
        switch (m)
        {
            case "pause" or "nop" or "align":
                return;
            case "mfence":
                Fences++;
                Lines.Add("MFENCE");
                return;
            case "mov":
                Move(instruction, section, ops[0], ops[1]);
                return;
            case "lea" when LeaOperand().Match(ops[1]) is { Success: true } lea && IsData(lea.Groups["base"].Value):
            {
                // Arithmetic on values, not an address: d = base + scale*index + offset.
                var sum = Use(instruction, section, lea.Groups["base"].Value);
                var index = lea.Groups["index"].Success ? Use(instruction, section, lea.Groups["index"].Value) : null;
                var scale = lea.Groups["scale"].Success ? Number(lea.Groups["scale"].Value) : 1;
                var target = Define(instruction, section, ops[0]);
                if (index == target && scale == 1) (sum, index) = (index, sum);
                if (index == target) throw Unsupported(section, instruction, "scales the register it writes");
                if (target != sum) Lines.Add($"MOV {target},{sum}");
                for (var k = 0; k < scale && index is not null; k++) Lines.Add($"ADD {target},{index}");
                if (lea.Groups["offset"].Success) Lines.Add($"ADD {target},${Number(lea.Groups["offset"].Value)}");
                return;
            }
            case "imul" when ops.Count == 2 && !IsShared(ops[1]):
                Lines.Add($"IMUL {Use(instruction, section, ops[0])},{Operand(instruction, section, ops[1])}");
                return;
            case "lea":
            {
                var (b, offset) = SharedAddress(instruction, section, ops[1].Contains("ptr") ? ops[1] : "bword ptr " + ops[1]);
                _names.Remove(ops[0]);
                Addresses[ops[0]] = (b, offset);
                return;
            }
            case "xchg":
            {
                var (memory, register) = IsMemory(ops[0]) ? (ops[0], ops[1]) : (ops[1], ops[0]);
                var (b, offset) = SharedAddress(instruction, section, memory);
                var name = Use(instruction, section, register);
                Lines.Add($"XCHG [{Access(b, offset, AccessKind.ReadWrite, name, instruction)}],{name}");
                return;
            }
            case "lock or" or "lock add" or "lock and" when IsStack(ops[0]):
                // A locked operation on the thread's own stack orders like MFENCE (MemoryBarrier on x64).
                Fences++;
                Lines.Add("MFENCE");
                return;
            case "lock xadd":
            {
                var (b, offset) = SharedAddress(instruction, section, ops[0]);
                var name = Use(instruction, section, ops[1]);
                Lines.Add($"LOCK XADD [{Access(b, offset, AccessKind.ReadWrite, name, instruction)}],{name}");
                return;
            }
            case "lock cmpxchg":
            {
                var (b, offset) = SharedAddress(instruction, section, ops[0]);
                var name = Use(instruction, section, ops[1]);
                Use(instruction, section, "eax");
                Lines.Add($"LOCK CMPXCHG [{Access(b, offset, AccessKind.ReadWrite, "EAX", instruction)}],{name}");
                return;
            }
            case "lock add" or "lock or" or "lock and" or "lock sub" or "lock inc" or "lock dec":
            {
                var (b, offset) = SharedAddress(instruction, section, ops[0]);
                var operand = ops.Count > 1 ? "," + Operand(instruction, section, ops[1]) : "";
                Lines.Add($"{m.ToUpperInvariant()} [{Access(b, offset, AccessKind.ReadWrite, null, instruction)}]{operand}");
                return;
            }
            case "add" or "sub" when IsImmediate(ops[1]) && TryAddress(ops[0], out var address):
                // Stepping from one location to its neighbour (packed layout).
                Addresses[Canonical(ops[0])] = (address.Base, address.Offset + (m == "add" ? 1 : -1) * Number(ops[1]));
                return;
            case "xor" or "add" or "sub" or "and" or "or" when !IsMemory(ops[0]) && !IsShared(ops[1]):
            {
                var target = ops[0];
                var value = m == "xor" && ops[0] == ops[1] ? null : Operand(instruction, section, ops[1]);
                var name = m == "xor" && ops[0] == ops[1] ? Define(instruction, section, target) : Use(instruction, section, target);
                Lines.Add(value is null ? $"XOR {name},{name}" : $"{m.ToUpperInvariant()} {name},{value}");
                return;
            }
            case "inc" or "dec" when !IsMemory(ops[0]):
                Lines.Add($"{m.ToUpperInvariant()} {Use(instruction, section, ops[0])}");
                return;
            case "inc" or "dec" or "neg" or "not":
            {
                // A plain read-modify-write of a shared location: a read, then a write, not atomic.
                var (b, offset) = SharedAddress(instruction, section, ops[0]);
                Lines.Add($"{m.ToUpperInvariant()} [{Access(b, offset, AccessKind.ReadWrite, null, instruction)}]");
                return;
            }
            case "add" or "sub" or "and" or "or" or "xor" or "shl" or "shr" or "sar" when IsMemory(ops[0]):
            {
                var (b, offset) = SharedAddress(instruction, section, ops[0]);
                var operand = Operand(instruction, section, ops[1]);
                Lines.Add($"{m.ToUpperInvariant()} [{Access(b, offset, AccessKind.ReadWrite, null, instruction)}],{operand}");
                return;
            }
            case "shl" or "shr" or "sar":
                Lines.Add($"{m.ToUpperInvariant()} {Use(instruction, section, ops[0])},{Operand(instruction, section, ops[1])}");
                return;
            case "cmp" or "test":
                Lines.Add($"{m.ToUpperInvariant()} {Compared(instruction, section, ops[0])},{Compared(instruction, section, ops[1])}");
                return;
            case "jmp":
                Lines.Add($"JMP {JumpTarget(ops[0])}");
                return;
            case "movzx" or "movsx" or "movsxd" when !IsShared(ops[1]):
            {
                var source = Operand(instruction, section, ops[1]);
                var destination = Define(instruction, section, ops[0]);
                if (destination != source) Lines.Add($"MOV {destination},{source}");
                return;
            }
        }
        if (m.StartsWith('j') && ops.Count == 1)
        {
            Lines.Add($"{m.ToUpperInvariant()} {JumpTarget(ops[0])}");
            return;
        }
        if (m.StartsWith("set", StringComparison.Ordinal) && ops.Count == 1 && !IsMemory(ops[0]))
        {
            Lines.Add($"{m.ToUpperInvariant()} {Define(instruction, section, ops[0])}");
            return;
        }
        throw Unsupported(section, instruction, "is not an instruction the converter knows");
    }

    private void Move(EmittedInstruction instruction, RacingSectionListing section, string destination, string source)
    {
        if (IsMemory(destination))
        {
            if (IsStack(destination, out var spill) && !IsImmediate(source) && !_names.ContainsKey(Canonical(source))
                && TryAddress(source, out var parkedAddress))
            {
                // A location's address parked on the stack (a callee's argument, in code that keeps everything there).
                Addresses[SpilledAddress(spill)] = parkedAddress;
                return;
            }
            if (IsStack(destination, out spill))
            {
                // Register pressure: a value parked on the thread's own stack and reloaded later. The
                // slot is a register of the thread's own (the JIT may change the register it came from).
                var parked = Operand(instruction, section, source);
                var slotRegister = Allocate(instruction, section, "[" + spill + "]");
                Spilled[spill] = slotRegister;
                Lines.Add($"MOV {slotRegister},{parked}");
                return;
            }
            var (b, offset) = SharedAddress(instruction, section, destination);
            Lines.Add($"MOV [{Access(b, offset, AccessKind.Write, null, instruction)}],{Operand(instruction, section, source)}");
            return;
        }
        if (IsMemory(source))
        {
            if (IsStack(source, out var slot) && Spilled.TryGetValue(slot, out var parked))
            {
                var reloaded = Define(instruction, section, destination);
                if (reloaded != parked) Lines.Add($"MOV {reloaded},{parked}");
                return;
            }
            if (IsStack(source, out slot) && source.StartsWith("dword", StringComparison.Ordinal))
            {
                Lines.Add($"MOV {Define(instruction, section, destination)},${UnreachedSpinBound}");
                KernelInts.Add(Canonical(destination));
                return;
            }
            if (IsStack(source, out slot))
            {
                // A location's address reloaded from where the JIT spilled it.
                _names.Remove(destination);
                Addresses[Canonical(destination)] = Addresses.TryGetValue(SpilledAddress(slot), out var spilledAddress) ? spilledAddress : (slot, 0);
                return;
            }
            var (b, offset) = SharedAddress(instruction, section, source);
            var name = Define(instruction, section, destination);
            Lines.Add($"MOV {name},[{Access(b, offset, AccessKind.Read, name, instruction)}]");
            return;
        }
        if (!IsImmediate(source) && Indices.TryGetValue(Canonical(source), out var index))
        {
            // A memory index copied to the register the address is computed with (Tier0 code).
            var copy = Canonical(destination);
            Addresses.Remove(copy);
            Forget(copy);
            _names.Remove(copy);
            Indices[copy] = index;
            return;
        }
        if (!IsImmediate(source) && TryAddress(source, out var address))
        {
            Addresses[Canonical(destination)] = address;
            return;
        }
        var value = Operand(instruction, section, source);
        Lines.Add($"MOV {Define(instruction, section, destination)},{value}");
    }

    protected override EpilogueStep Step(EmittedInstruction instruction)
    {
        var ops = instruction.Operands;
        if (instruction.Mnemonic == "mov" && IsMemory(ops[0]))
            return IsStack(ops[0], out var written) ? new EpilogueStep(false, null, [StackSlotPrefix + written], null)
                : new EpilogueStep(true, IsImmediate(ops[1]) ? null : Canonical(ops[1]), [], null);
        if (instruction.Mnemonic is "mov" or "movzx" or "movsx" or "movsxd" && IsStack(ops[1], out var reloaded))
            return new EpilogueStep(false, null, [Canonical(ops[0])], StackSlotPrefix + reloaded);
        if (instruction.Mnemonic is "mov" or "movzx" or "movsx" or "movsxd" && !IsMemory(ops[1]) && !IsImmediate(ops[1]))
            return new EpilogueStep(false, null, [Canonical(ops[0])], Canonical(ops[1]));
        if (instruction.Mnemonic is "cmp" or "test" || ops.Count == 0 || IsMemory(ops[0]) || ControlFlow.IsBranch(instruction)) return EpilogueStep.Nothing;
        return new EpilogueStep(false, null, instruction.Mnemonic == "xchg" ? [Canonical(ops[0]), Canonical(ops[1])] : [Canonical(ops[0])], null);
    }

    /// <summary>
    /// The herd name of the register on the ways out that set it; a way out that did not set it
    /// keeps the value from before the racing code, the 0 the kernel gave the observed register,
    /// which herd's initial 0 stands for as long as no other register took that name there.
    /// </summary>
    protected override string? HerdRegisterAtEnd(string register, IReadOnlyList<State> exits)
    {
        var names = exits.Select(e => e.Names.GetValueOrDefault(register)).Where(n => n is not null).Distinct().ToList();
        if (names.Count != 1) return null;
        var name = names[0]!;
        return exits.All(e => e.Names.GetValueOrDefault(register) == name || !e.Names.ContainsValue(name)) ? name : null;
    }

    protected override string ElementOperand(string firstLocation, string offsetRegister) => $"{firstLocation}+{offsetRegister}";

    private bool IsData(string register) => _names.ContainsKey(Canonical(register)) && !KernelInts.Contains(Canonical(register));

    /// <summary>
    /// The steps from a value read to the index of the array element it selects
    /// (<c>imul ecx, stride; add ecx, at; cmp ecx, length; jae throw</c>): bookkeeping, no herd code.
    /// </summary>
    private bool IndexArithmetic(EmittedInstruction instruction)
    {
        var ops = instruction.Operands;
        if (ops.Count != 2) return false;
        var target = IsMemory(ops[0]) ? null : Canonical(ops[0]);
        // A 32-bit register the racing code reads without setting it holds an int the kernel set before (OSR code keeps the stride there).
        bool IsKernelInt(string operand) => IsStack(operand, out _) ? operand.StartsWith("dword", StringComparison.Ordinal)
            : !IsMemory(operand) && !IsImmediate(operand) && (KernelInts.Contains(Canonical(operand))
                || IsSetBeforeInt(operand));
        switch (instruction.Mnemonic)
        {
            case "imul" when target is not null && IsData(ops[0]) && !Indices.ContainsKey(target) && IsKernelInt(ops[1]):
                Indices[target] = new ElementIndex(_names[target], Scaled: true, Placed: false);
                return true;
            case "add" when target is not null && Indices.TryGetValue(target, out var index) && index.Scaled && !index.Placed && IsKernelInt(ops[1]):
                Indices[target] = index with { Placed = true };
                return true;
            case "cmp" when target is not null && Indices.ContainsKey(target):
                RangeChecked = true;
                return true;
        }
        return false;
    }

    private (string Base, long Offset) SharedAddress(EmittedInstruction instruction, RacingSectionListing section, string memory)
    {
        if (ArrayElement().Match(memory) is { Success: true } element)
        {
            if (!Indices.TryGetValue(Canonical(element.Groups["index"].Value), out var index) || !index.Placed)
                throw Unsupported(section, instruction, "indexes memory with a register the converter cannot relate to the test's locations");
            var elementOffset = Allocate(instruction, section, "[element offset]");
            Lines.Add($"MOV {elementOffset},{index.Slot}");
            Lines.Add($"SHL {elementOffset},${Programs.EventProgram.AddressShift}");
            return (ElementBase(elementOffset), 0);
        }
        var match = MemoryOperand().Match(memory);
        if (!match.Success) throw Unsupported(section, instruction, "uses an addressing form the converter does not read");
        var register = Canonical(match.Groups["base"].Value);
        var offset = match.Groups["offset"].Success ? Number(match.Groups["offset"].Value) : 0;
        if (Addresses.TryGetValue(register, out var address)) return (address.Base, address.Offset + offset);
        if (_names.ContainsKey(register))
            throw Unsupported(section, instruction, "addresses memory through a loaded value (an address dependency), which is not converted");
        return (register + "@entry", offset);
    }

    /// <summary>
    /// An address register: one the racing code loaded an address into, or a 64-bit register it
    /// uses without setting, which holds a base the JIT set up before (data lives in 32-bit ones).
    /// </summary>
    private bool TryAddress(string register, out (string Base, long Offset) address)
    {
        var canonical = Canonical(register);
        if (Addresses.TryGetValue(canonical, out address)) return true;
        var is64Bit = register.StartsWith('r') && !char.IsAsciiLetter(register[^1]) || register is "rax" or "rbx" or "rcx" or "rdx" or "rsi" or "rdi";
        if (!is64Bit || _names.ContainsKey(canonical)) return false;
        address = (canonical + "@entry", 0);
        return true;
    }

    /// <summary>A compared operand: a register, an immediate, or a read of a shared location.</summary>
    private string Compared(EmittedInstruction instruction, RacingSectionListing section, string operand)
    {
        if (!IsShared(operand)) return Operand(instruction, section, operand);
        var (b, offset) = SharedAddress(instruction, section, operand);
        return $"[{Access(b, offset, AccessKind.Read, null, instruction)}]";
    }

    private static bool IsMemory(string operand) => operand.Contains('[');

    private static bool IsImmediate(string operand) => operand.Length > 0 && (char.IsAsciiDigit(operand[0]) || operand[0] == '-');

    private static bool IsStack(string operand) => IsStack(operand, out _);

    private static bool IsStack(string operand, out string slot)
    {
        var match = MemoryOperand().Match(operand);
        slot = match.Success ? match.Groups["base"].Value + match.Groups["offset"].Value : "";
        return match.Success && match.Groups["base"].Value is "rbp" or "rsp";
    }

    /// <summary>The 64-bit name of a register of any width: eax, ax and rax are one register.</summary>
    private static string Canonical(string register)
    {
        var r = register.ToLowerInvariant();
        if (r.StartsWith('r') && r.Length >= 2 && char.IsAsciiDigit(r[1])) return "r" + new string(r[1..].TakeWhile(char.IsAsciiDigit).ToArray());
        if (r.Length == 3 && r[0] is 'e' or 'r') return "r" + r[1..];
        if (r.Length == 2) return "r" + (r[1] is 'l' or 'h' ? r[0] + "x" : r);
        // The low bytes of rsi, rdi, rbp, rsp: sil, dil, bpl, spl.
        if (r is "sil" or "dil" or "bpl" or "spl") return "r" + r[..2];
        throw new FormatException(register);
    }

    private string Define(EmittedInstruction instruction, RacingSectionListing section, string register)
    {
        var canonical = Canonical(register);
        Addresses.Remove(canonical);
        Forget(canonical);
        return Allocate(instruction, section, canonical);
    }

    /// <summary>The herd register of a JIT register (its own legacy name when free) or of a stack slot.</summary>
    private string Allocate(EmittedInstruction instruction, RacingSectionListing section, string key)
    {
        if (_names.TryGetValue(key, out var existing)) return existing;
        var legacy = key switch { "rax" => "EAX", "rbx" => "EBX", "rcx" => "ECX", "rdx" => "EDX", "rsi" => "ESI", "rdi" => "EDI", _ => null };
        var name = legacy is not null && !_names.ContainsValue(legacy) ? legacy : Legacy.FirstOrDefault(l => !_names.ContainsValue(l) && l != "EAX");
        if (name is null) throw Unsupported(section, instruction, "needs more registers than herd's X86 names");
        _names[key] = name;
        return name;
    }

    private string Use(EmittedInstruction instruction, RacingSectionListing section, string register) =>
        Indices.ContainsKey(Canonical(register))
            ? throw Unsupported(section, instruction, $"uses {register}, a memory index, as a value")
            : _names.TryGetValue(Canonical(register), out var name)
            ? name
            : throw Unsupported(section, instruction, $"uses {register}, which the JIT set before the racing code");

    /// <summary>A 32-bit register the racing code reads before it sets it: an int the kernel set before (OSR code keeps its spin bound there, not on the stack).</summary>
    private bool IsSetBeforeInt(string register) =>
        !IsMemory(register) && !IsImmediate(register) && (register.StartsWith('e') || register.EndsWith('d'))
        && !_names.ContainsKey(Canonical(register)) && !Addresses.ContainsKey(Canonical(register));

    /// <summary>Such an int compared, from here on in a herd register of its own: as one reloaded from its stack slot, the spin bound never reached.</summary>
    private void KernelIntSetBefore(EmittedInstruction instruction, RacingSectionListing section, string register)
    {
        var herd = Define(instruction, section, register);
        Lines.Add($"MOV {herd},${UnreachedSpinBound}");
        KernelInts.Add(Canonical(register));
    }

    private string Operand(EmittedInstruction instruction, RacingSectionListing section, string operand) =>
        IsImmediate(operand) ? "$" + Number(operand)
        : IsStack(operand, out var slot) ? StackValue(instruction, section, operand, slot)
        : Use(instruction, section, operand);

    /// <summary>
    /// A value read from the thread's own stack: the herd register of what the racing code parked
    /// there, or an int the kernel set before it (the spin bound, as a move from such a slot reads it).
    /// </summary>
    private string StackValue(EmittedInstruction instruction, RacingSectionListing section, string operand, string slot) =>
        Spilled.TryGetValue(slot, out var parked) ? parked
        : operand.StartsWith("dword", StringComparison.Ordinal) ? $"${UnreachedSpinBound}"
        : throw Unsupported(section, instruction, "reads a stack slot the racing code did not write");

    /// <summary>How <see cref="EmittedThreadTranslator.Addresses"/> names a stack slot holding an address the racing code put there.</summary>
    private static string SpilledAddress(string slot) => "[" + slot + "]";

    /// <summary>A memory operand other threads can see (not the thread's own stack).</summary>
    private static bool IsShared(string operand) => IsMemory(operand) && !IsStack(operand);

    protected override (IEnumerable<string> Read, IEnumerable<string> Written) StackSlotsOf(EmittedInstruction instruction)
    {
        var ops = instruction.Operands;
        var read = new List<string>();
        var written = new List<string>();
        for (var k = 0; k < ops.Count; k++)
        {
            if (!IsStack(ops[k], out var slot)) continue;
            var overwritten = k == 0 && ops.Count == 2 && instruction.Mnemonic is "mov" or "movzx" or "movsx" or "movsxd";
            (overwritten ? written : read).Add(slot);
        }
        return (read, written);
    }

    protected override void Release(string slot)
    {
        base.Release(slot);
        _names.Remove("[" + slot + "]");
    }
}
