using System.Globalization;
using System.Text.RegularExpressions;

namespace Harness.Emitted;

/// <summary>The arm64 listing to herd's AArch64 dialect.</summary>
public sealed partial class Arm64Translator : EmittedThreadTranslator
{
    public override string Architecture => "AArch64";

    [GeneratedRegex(@"^\[(?<base>\w+)(,\s*#(?<offset>-?(0x)?[0-9A-Fa-f]+))?\](?<writeback>!)?$")]
    private static partial Regex MemoryOperand();

    /// <summary>An int array's element: <c>[x2, w1, UXTW #2]</c> (the array's data, the index).</summary>
    [GeneratedRegex(@"^\[(?<base>x\d+),\s*(?<index>w\d+),\s*UXTW #2\]$")]
    private static partial Regex ArrayElement();

    [GeneratedRegex(@"^(swp|cas|ldadd|ldset|ldclr|ldeor|stadd|stset|stclr|steor)(a|l|al)?$")]
    private static partial Regex AtomicMnemonic();

    protected override void Translate(EmittedInstruction instruction, RacingSectionListing section)
    {
        var m = instruction.Mnemonic;
        var ops = instruction.Operands;
        switch (m)
        {
            case "mul" when IsKernelInt(ops[2]) && !IsKernelInt(ops[1]):
            {
                // Tier0's index * locationStride, the element's memory index before at is added.
                var slot = Use(instruction, section, ops[1]);
                var target = Define(ops[0]);
                if (target != slot) Lines.Add($"MOV {target},{slot}");
                Indices[target] = new ElementIndex(target, Scaled: true, Placed: false);
                return;
            }
            case "add" when ops.Count == 3 && IsRegister(ops[2]) && Indices.TryGetValue(Data(ops[2]), out var scaled) && scaled is { Scaled: true, Placed: false }
                            && IsKernelInt(ops[1]):
            {
                // at + the scaled index (Tier0): the memory index of the element.
                var target = Define(ops[0]);
                if (target != scaled.Slot) Lines.Add($"MOV {target},{scaled.Slot}");
                Indices[target] = scaled with { Slot = target, Placed = true };
                return;
            }
            case "add" when ops.Count == 4 && IsRegister(ops[2]) && Indices.TryGetValue(Data(ops[2]), out var placed) && placed.Placed
                            && ops[3] == "UXTW #2" && TryAddress(ops[1], out _):
                // The array plus 4 * the memory index (Tier0); the data start 16 bytes into the array, which the add of
                // 16 that follows makes the element's address.
                Forget(Data(ops[0]));
                Addresses[Data(ops[0])] = (ElementBase(KeptIndex(instruction, section, placed.Slot)), -ArrayDataOffset);
                return;
            case "ldr" when IsArrayLength(instruction, section):
                // The array's length, for the range check that follows: no location of the test.
                Lines.Add($"MOV {Define(ops[0])},#{UnreachedSpinBound}");
                KernelInts.Add(Data(ops[0]));
                return;
            case "yield" or "nop" or "align":
                // align: padding the JIT prints before a loop's head, no instruction.
                return;
            case "mvn" or "neg" when IsRegister(ops[1]):
            {
                var source = Use(instruction, section, ops[1]);
                Lines.Add($"{m.ToUpperInvariant()} {Define(ops[0])},{source}");
                return;
            }
            case "dmb" or "dsb":
                Fences++;
                Lines.Add($"DMB {ops[0].ToUpperInvariant()}");
                return;
            case "isb":
                Fences++;
                Lines.Add("ISB");
                return;
            case "ldr" or "ldur" or "ldar" or "ldapr" or "ldapur" or "ldxr" or "ldaxr":
                Load(instruction, section, m switch { "ldur" => "LDR", "ldapur" => "LDAPR", _ => m.ToUpperInvariant() }, ops[0], ops[1]);
                return;
            case "str" or "stur" or "stlr" or "stlur":
                Store(instruction, section, m switch { "stur" => "STR", "stlur" => "STLR", _ => m.ToUpperInvariant() }, ops[0], ops[1]);
                return;
            case "stxr" or "stlxr":
            {
                var (b, offset) = SharedAddress(instruction, section, ops[2]);
                // The status gets a register of its own, so that its final value is the status even
                // when the JIT reuses the register for a later load.
                _status = (Data(ops[0]), PrivateRegister(instruction, section));
                DefinedData.Remove(Data(ops[0]));
                var value = Use(instruction, section, ops[1]);
                var address = BaseRegisterOnly(instruction, section, b, offset, AccessKind.Write, null);
                Lines.Add($"{m.ToUpperInvariant()} {_status.Value.Herd},{value},[{address}]");
                return;
            }
            case "ldp" or "stp":
                Pair(instruction, section, m == "ldp");
                return;
            case "mov" or "movz":
                Move(instruction, section, ops[0], ops[1]);
                return;
            case "movn" when ops.Count == 2 && ops[1].StartsWith('#'):
                // The JIT's -1 (Interlocked.Decrement's operand): the complement of the immediate.
                Move(instruction, section, ops[0], "#" + (~Number(ops[1])).ToString(CultureInfo.InvariantCulture));
                return;
            case "sxtw" or "uxtw" when !ops[1].StartsWith('#'):
                // Widening a 32-bit value: litmus values are small, so it is the value itself.
                Move(instruction, section, ops[0], ops[1]);
                return;
            case "add" or "sub" or "eor" or "orr" or "and":
                Arithmetic(instruction, section, m, ops);
                return;
            case "cmp" when Indices.ContainsKey(Data(ops[0])):
                RangeChecked = true;
                return;
            case "cmp" or "tst" or "cmn":
                SpinBoundsSetBefore(ops);
                _compared = (Use(instruction, section, ops[0]), Operand(instruction, section, ops[1]));
                Lines.Add($"{m.ToUpperInvariant()} {_compared.Value.Left},{_compared.Value.Right}");
                return;
            case "madd" when IsKernelInt(ops[2]) && IsKernelInt(ops[3]):
            {
                // index * locationStride + at: the memory index of the element the value in ops[1] selects.
                var slot = Use(instruction, section, ops[1]);
                var target = Define(ops[0]);
                if (target != slot) Lines.Add($"MOV {target},{slot}");
                Indices[target] = new ElementIndex(target, Scaled: true, Placed: true);
                return;
            }
            case "ubfiz" when Indices.TryGetValue(Data(ops[1]), out var index) && index.Placed
                              && Number(ops[2]) == 2 && Number(ops[3]) == 32:
                // The memory index, zero-extended and times 4: the element's byte offset from the array's
                // data, which an add then makes the element's address (for ldar/stlr, which take no index).
                _elementOffsets[Define(ops[0])] = KeptIndex(instruction, section, index.Slot);
                return;
            case "lsl" or "lsr" or "asr" when ops[2].StartsWith('#'):
            {
                var source = Use(instruction, section, ops[1]);
                Lines.Add($"MOV {Define(ops[0])},{source},{m.ToUpperInvariant()} #{Number(ops[2])}");
                return;
            }
            case "cset" or "csetm":
                Lines.Add($"{m.ToUpperInvariant()} {Define(ops[0])},{ops[1].ToUpperInvariant()}");
                return;
            case "cinc":
            {
                var source = Use(instruction, section, ops[1]);
                Lines.Add($"CINC {Define(ops[0])},{source},{ops[2].ToUpperInvariant()}");
                return;
            }
            case "csel" or "csinc" or "csinv" or "csneg":
            {
                var (whenTrue, otherwise) = (Use(instruction, section, ops[1]), Use(instruction, section, ops[2]));
                Lines.Add($"{m.ToUpperInvariant()} {Define(ops[0])},{whenTrue},{otherwise},{ops[3].ToUpperInvariant()}");
                return;
            }
            case "b":
                Lines.Add($"B {JumpTarget(ops[0])}");
                return;
            case "cbnz" when _status is { } status && status.Jit == Data(ops[0]):
                // The retry of a load-/store-exclusive loop: in the end the store succeeded.
                MustBeZero.Add(status.Herd);
                _status = null;
                return;
            case "cbz" or "cbnz":
                SpinBoundsSetBefore([ops[0]]);
                Lines.Add($"{m.ToUpperInvariant()} {Use(instruction, section, ops[0])},{JumpTarget(ops[1])}");
                return;
            case "tbz" or "tbnz":
                Lines.Add($"{m.ToUpperInvariant()} {Use(instruction, section, ops[0])},#{Number(ops[1])},{JumpTarget(ops[2])}");
                return;
        }
        if (ControlFlow.Of(instruction) is { Target: not null, FallsThrough: true } && m[0] == 'b')
        {
            // b.ne, or bne as the JIT prints it.
            var condition = (m.StartsWith("b.", StringComparison.Ordinal) ? m[2..] : m[1..]).ToUpperInvariant();
            if (condition == "NE" && IsCompareExchangeRetry(ops[0]) && _compared is { } compared && compared.Right.StartsWith('W'))
            {
                // The retry of a compare-exchange loop (Interlocked.And/Or without LSE atomics): back
                // to a new guess when the load-exclusive found another value than the last guess. As
                // with a store-exclusive's retry, in the end the compare succeeded: on the way out the
                // two values are equal, which a register of the thread's own records.
                var difference = PrivateRegister(instruction, section);
                Lines.Add($"EOR {difference},{compared.Left},{compared.Right}");
                MustBeZero.Add(difference);
                return;
            }
            Lines.Add($"B.{condition} {JumpTarget(ops[0])}");
            return;
        }
        if (AtomicMnemonic().Match(m) is { Success: true } atomic)
        {
            Atomic(instruction, section, atomic.Groups[1].Value, ops);
            return;
        }
        throw Unsupported(section, instruction, "is not an instruction the converter knows");
    }

    protected override string ElementOperand(string firstLocation, string offsetRegister) =>
        $"{firstLocation},{offsetRegister},LSL #{Programs.EventProgram.AddressShift}";

    protected override EpilogueStep Step(EmittedInstruction instruction)
    {
        var ops = instruction.Operands;
        var m = instruction.Mnemonic;
        if (m is "str" or "stur" or "strb" or "strh")
            return IsStack(ops[1], out var written) ? new EpilogueStep(false, null, [StackSlotPrefix + written], null)
                : new EpilogueStep(true, Data(ops[0]), [], null);
        if (m is "ldr" or "ldur" or "ldrsw" && ops.Count == 2 && IsStack(ops[1], out var reloaded))
            return new EpilogueStep(false, null, [Data(ops[0])], StackSlotPrefix + reloaded);
        if (m is "mov" or "sxtw" or "uxtw" && IsRegister(ops[1])) return new EpilogueStep(false, null, [Data(ops[0])], Data(ops[1]));
        if (m is "cmp" or "cmn" or "tst" || m.StartsWith("st", StringComparison.Ordinal) || ops.Count == 0 || ControlFlow.IsBranch(instruction))
            return EpilogueStep.Nothing;
        return new EpilogueStep(false, null, m == "ldp" ? [Data(ops[0]), Data(ops[1])] : [Data(ops[0])], null);
    }

    /// <summary>herd's AArch64 register is the JIT's own, on every path (one not set there keeps the kernel's 0, as herd's initial 0 does).</summary>
    protected override string? HerdRegisterAtEnd(string register, IReadOnlyList<State> exits) => register == "WZR" ? null : register;

    /// <summary>The herd operands of the latest compare.</summary>
    private (string Left, string Right)? _compared;

    /// <summary>
    /// A branch back to a label with a load-exclusive after it: the compare-exchange loop going round
    /// again. Its iterations beyond the two attempts the JIT lays out would only multiply the paths the
    /// simulator explores (minutes per test), so it is modelled as the store-exclusive's retry is.
    /// </summary>
    private bool IsCompareExchangeRetry(string target)
    {
        var label = Lines.IndexOf($"{HerdLabel(target.Trim())}:");
        return label >= 0 && Lines.Skip(label).Any(l => l.StartsWith("LDAXR ", StringComparison.Ordinal) || l.StartsWith("LDXR ", StringComparison.Ordinal));
    }

    /// <summary>The latest store-exclusive's status register: the JIT's, and the herd register of its own it got.</summary>
    private (string Jit, string Herd)? _status;

    private List<int>? _freeRegisters;

    /// <summary>
    /// A herd register no instruction of the section names (from X28 down), for a value the JIT keeps
    /// somewhere a later instruction may overwrite: a store-exclusive's status, a stack slot.
    /// </summary>
    private string PrivateRegister(EmittedInstruction instruction, RacingSectionListing section)
    {
        _freeRegisters ??= Enumerable.Range(0, 29).Reverse()
            .Except(section.Instructions.Concat(section.Epilogue).SelectMany(i => i.Operands)
                .SelectMany(o => RegisterMention().Matches(o)).Select(m => int.Parse(m.Groups[1].Value)))
            .ToList();
        if (_freeRegisters.Count == 0) throw Unsupported(section, instruction, "needs more registers than the section leaves free");
        var register = _freeRegisters[0];
        _freeRegisters.RemoveAt(0);
        return $"W{register}";
    }

    [GeneratedRegex(@"\b[wx](\d+)\b")]
    private static partial Regex RegisterMention();

    private void Load(EmittedInstruction instruction, RacingSectionListing section, string herd, string destination, string memory)
    {
        if (IsStack(memory, out var slot))
        {
            var register = Data(destination);
            if (Spilled.TryGetValue(slot, out var parked))
            {
                Addresses.Remove(register);
                Forget(register);
                DefinedData.Add(register);
                if (register != parked) Lines.Add($"MOV {register},{parked}");
                return;
            }
            if (destination.StartsWith('w'))
            {
                // A 32-bit int the kernel set before the racing code (see UnreachedSpinBound).
                Lines.Add($"MOV {Define(destination)},#{UnreachedSpinBound}");
                KernelInts.Add(register);
                return;
            }
            // A location's address (or the instance's base) reloaded from where the JIT spilled it.
            Forget(register);
            Addresses[register] = _parkedAddresses.TryGetValue(slot, out var parkedAddress) ? parkedAddress : (slot, 0);
            return;
        }
        var (b, offset) = SharedAddress(instruction, section, memory);
        var target = Data(destination);
        Addresses.Remove(target);
        Forget(target);
        DefinedData.Add(target);
        var address = herd == "LDR"
            ? Access(b, offset, AccessKind.Read, target, instruction)
            : BaseRegisterOnly(instruction, section, b, offset, AccessKind.Read, target);
        Lines.Add($"{herd} {target},[{address}]");
    }

    private void Store(EmittedInstruction instruction, RacingSectionListing section, string herd, string source, string memory)
    {
        if (IsStack(memory, out var spill))
        {
            // Register pressure: a value parked on the thread's own stack and reloaded later. The
            // slot is a register of the thread's own (the JIT may change the register it came from).
            if (source[0] == 'x' && TryAddress(source, out var parkedAddress))
            {
                // An address parked (Tier0 keeps a callee's arguments on its stack): reloaded, it is the same address.
                _parkedAddresses[spill] = parkedAddress;
                return;
            }
            var parked = Use(instruction, section, source);
            // A slot keeps its herd register when written again after its value died: every way out then finds the
            // slot's last value in the same register (Tier0 writes r1's slot on one path and leaves it on another).
            if (!Spilled.TryGetValue(spill, out var slotRegister))
            {
                if (!_slotRegisters.TryGetValue(spill, out slotRegister)) slotRegister = _slotRegisters[spill] = PrivateRegister(instruction, section);
                Spilled[spill] = slotRegister;
            }
            Lines.Add($"MOV {slotRegister},{parked}");
            return;
        }
        var (b, offset) = SharedAddress(instruction, section, memory);
        var value = Use(instruction, section, source);
        var address = herd == "STR"
            ? Access(b, offset, AccessKind.Write, null, instruction)
            : BaseRegisterOnly(instruction, section, b, offset, AccessKind.Write, null);
        Lines.Add($"{herd} {value},[{address}]");
    }

    /// <summary>
    /// The memory operand of an instruction herd takes only <c>[Xn]</c> for (acquire, release, exclusive and
    /// atomic accesses): an array element's address is first added up in a register of the thread's own,
    /// as the JIT itself does.
    /// </summary>
    private string BaseRegisterOnly(EmittedInstruction instruction, RacingSectionListing section, string baseName, long offset, AccessKind kind, string? valueRegister)
    {
        var operand = Access(baseName, offset, kind, valueRegister, instruction);
        if (!IsElement(baseName)) return operand;
        var register = "X" + PrivateRegister(instruction, section)[1..];
        Lines.Add($"ADD {register},{operand}");
        return register;
    }

    /// <summary>ldp/stp: two accesses, at the address and four bytes on (kernels use 32-bit ints), with no order between them.</summary>
    private void Pair(EmittedInstruction instruction, RacingSectionListing section, bool load)
    {
        var ops = instruction.Operands;
        if (IsStack(ops[2], out var slot))
        {
            if (!load) throw Unsupported(section, instruction, "spills to the stack inside the racing code");
            Addresses[Data(ops[0])] = (slot, 0);
            Addresses[Data(ops[1])] = (slot + "+8", 0);
            return;
        }
        if (!ops[0].StartsWith('w')) throw Unsupported(section, instruction, "pairs 64-bit registers; kernel locations are 32-bit");
        var (b, offset) = SharedAddress(instruction, section, ops[2]);
        for (var k = 0; k < 2; k++)
        {
            if (load)
            {
                var target = Data(ops[k]);
                Addresses.Remove(target);
                Forget(target);
                DefinedData.Add(target);
                Lines.Add($"LDR {target},[{Access(b, offset + 4 * k, AccessKind.Read, target, instruction)}]");
            }
            else
            {
                Lines.Add($"STR {Use(instruction, section, ops[k])},[{Access(b, offset + 4 * k, AccessKind.Write, null, instruction)}]");
            }
        }
    }

    private void Atomic(EmittedInstruction instruction, RacingSectionListing section, string operation, IReadOnlyList<string> ops)
    {
        var herd = instruction.Mnemonic.ToUpperInvariant();
        var (b, offset) = SharedAddress(instruction, section, ops[^1]);
        if (operation.StartsWith("st", StringComparison.Ordinal))
        {
            var value = Use(instruction, section, ops[0]);
            var memory = BaseRegisterOnly(instruction, section, b, offset, AccessKind.ReadWrite, null);
            Lines.Add($"{herd} {value},[{memory}]");
            return;
        }
        // cas Ws, Wt, [Xn]: Ws holds the expected value and receives the old one; swp/ldadd Ws, Wt: Wt receives it.
        var source = Use(instruction, section, ops[0]);
        var other = operation == "cas" ? Use(instruction, section, ops[1]) : Data(ops[1]);
        var result = operation == "cas" ? source : other;
        Forget(result);
        // The old value overwrites the register, which may have held the address itself (ldaddal w1, w0, [x0]).
        Addresses.Remove(result);
        DefinedData.Add(result);
        var address = BaseRegisterOnly(instruction, section, b, offset, AccessKind.ReadWrite, result);
        Lines.Add($"{herd} {source},{other},[{address}]");
    }

    /// <summary>A register the racing code uses as an address without setting it holds a base the JIT set up before.</summary>
    private bool TryAddress(string register, out (string Base, long Offset) address)
    {
        var name = Data(register);
        if (Addresses.TryGetValue(name, out address)) return true;
        if (DefinedData.Contains(name) || name == "WZR" || !register.StartsWith('x')) return false;
        address = (name + "@entry", 0);
        return true;
    }

    private void Move(EmittedInstruction instruction, RacingSectionListing section, string destination, string source)
    {
        var target = Data(destination);
        if (IsRegister(source) && TryAddress(source, out var address))
        {
            Forget(target);
            Addresses[target] = address;
            return;
        }
        Addresses.Remove(target);
        Forget(target);
        Lines.Add($"MOV {target},{Operand(instruction, section, source)}");
        DefinedData.Add(target);
    }

    /// <summary>The herd register each stack slot was given, kept for the slot after its value dies.</summary>
    private readonly Dictionary<string, string> _slotRegisters = [];

    /// <summary>Stack slots the racing code parked an address in, with the address.</summary>
    private readonly Dictionary<string, (string Base, long Offset)> _parkedAddresses = [];

    /// <summary>
    /// The memory index an element address is made of, copied into a register of the thread's own: the JIT may reuse
    /// the index's register (for the value stored) before the access the address is for.
    /// </summary>
    private string KeptIndex(EmittedInstruction instruction, RacingSectionListing section, string index)
    {
        var kept = PrivateRegister(instruction, section);
        Lines.Add($"MOV {kept},{index}");
        return kept;
    }

    /// <summary>Where an int array's elements start, past its method table and length.</summary>
    private const long ArrayDataOffset = 16;

    /// <summary>
    /// <c>ldr wN, [xA, #0x08]</c> right before the compare of a memory index with wN: the length of the kernel's memory
    /// array, read for the range check (Tier0 reads it from the array, optimised code from where it kept it).
    /// </summary>
    private bool IsArrayLength(EmittedInstruction instruction, RacingSectionListing section)
    {
        if (instruction.Operands is not [var destination, var memory] || !destination.StartsWith('w') || MemoryOperand().Match(memory) is not { Success: true } match
            || !match.Groups["offset"].Success || Number(match.Groups["offset"].Value) != 8) return false;
        var at = section.Lines.ToList().FindIndex(l => ReferenceEquals(l.Instruction, instruction));
        var next = section.Lines.Skip(at + 1).FirstOrDefault(l => l.Instruction is not null)?.Instruction;
        return at >= 0 && next is { Mnemonic: "cmp", Operands: [var index, var length] } && length == destination && Indices.ContainsKey(Data(index));
    }

    /// <summary>Registers holding an element's byte offset from the array's data (<c>ubfiz</c> of a memory index), with the index's herd register.</summary>
    private readonly Dictionary<string, string> _elementOffsets = [];

    protected override void Forget(string register)
    {
        base.Forget(register);
        _elementOffsets.Remove(register);
    }

    private void Arithmetic(EmittedInstruction instruction, RacingSectionListing section, string operation, IReadOnlyList<string> ops)
    {
        var target = Data(ops[0]);
        if (operation == "add" && IsRegister(ops[2]) && _elementOffsets.TryGetValue(Data(ops[2]), out var elementOf) && TryAddress(ops[1], out _))
        {
            // The array's data plus the element's byte offset: the element's address.
            Forget(target);
            Addresses[target] = (ElementBase(elementOf), 0);
            return;
        }
        if (TryAddress(ops[1], out var address))
        {
            if (operation is not ("add" or "sub") || !ops[2].StartsWith('#'))
                throw Unsupported(section, instruction, "computes an address from data (an address dependency), which is not converted");
            Forget(target);
            Addresses[target] = (address.Base, address.Offset + (operation == "add" ? 1 : -1) * Number(ops[2]));
            return;
        }
        Addresses.Remove(target);
        Forget(target);
        Lines.Add($"{operation.ToUpperInvariant()} {target},{Use(instruction, section, ops[1])},{Operand(instruction, section, ops[2])}");
        DefinedData.Add(target);
    }

    /// <summary>
    /// A 32-bit register compared (or tested for zero) that the racing code never set: the spin bound, which OSR code keeps
    /// in a register rather than reloading it from its slot; from here on it is the bound never reached, as a reloaded one is.
    /// </summary>
    private void SpinBoundsSetBefore(IEnumerable<string> operands)
    {
        foreach (var operand in operands.Where(IsSetBeforeInt).Distinct().ToList())
        {
            Lines.Add($"MOV {Define(operand)},#{UnreachedSpinBound}");
            KernelInts.Add(Data(operand));
        }
    }

    /// <summary>An int the kernel set before the racing code: reloaded from its slot, or a 32-bit register the racing code reads without setting it (OSR code keeps the stride there).</summary>
    private bool IsKernelInt(string operand) => IsRegister(operand) && KernelInts.Contains(Data(operand)) || IsSetBeforeInt(operand);

    /// <summary>A 32-bit register the racing code reads without having set it: an int the kernel set before.</summary>
    private bool IsSetBeforeInt(string operand) =>
        IsRegister(operand) && operand[0] == 'w' && operand != "wzr" && !DefinedData.Contains(Data(operand)) && !Addresses.ContainsKey(Data(operand));

    /// <summary>A data register written anew: no longer an address, a kernel int or an index.</summary>
    private string Define(string register)
    {
        var name = Data(register);
        Addresses.Remove(name);
        Forget(name);
        DefinedData.Add(name);
        return name;
    }

    private (string Base, long Offset) SharedAddress(EmittedInstruction instruction, RacingSectionListing section, string memory)
    {
        if (ArrayElement().Match(memory) is { Success: true } element)
        {
            if (!Indices.TryGetValue(Data(element.Groups["index"].Value), out var index))
                throw Unsupported(section, instruction, "indexes memory with a register the converter cannot relate to the test's locations");
            return (ElementBase(index.Slot), 0);
        }
        var match = MemoryOperand().Match(memory);
        if (!match.Success || match.Groups["writeback"].Success)
            throw Unsupported(section, instruction, "uses an addressing form the converter does not read");
        var register = Data(match.Groups["base"].Value);
        var offset = match.Groups["offset"].Success ? Number(match.Groups["offset"].Value) : 0;
        if (Addresses.TryGetValue(register, out var address)) return (address.Base, address.Offset + offset);
        if (DefinedData.Contains(register))
            throw Unsupported(section, instruction, "addresses memory through a loaded value (an address dependency), which is not converted");
        // Set before the racing code: the register itself names the base.
        return (register + "@entry", offset);
    }

    /// <summary>The stack slots an instruction reads and writes, named as <see cref="IsStack"/> names them (ldp/stp: two).</summary>
    protected override (IEnumerable<string> Read, IEnumerable<string> Written) StackSlotsOf(EmittedInstruction instruction)
    {
        var ops = instruction.Operands;
        var m = instruction.Mnemonic;
        if (ops.Count < 2 || !IsStack(ops[^1], out var slot)) return ([], []);
        string[] slots = m is "ldp" or "stp" ? [slot, slot + "+8"] : [slot];
        return m.StartsWith("st", StringComparison.Ordinal) ? ([], slots) : (slots, []);
    }

    protected override void Release(string slot)
    {
        base.Release(slot);
        _parkedAddresses.Remove(slot);
    }

    private static bool IsStack(string memory, out string slot)
    {
        var match = MemoryOperand().Match(memory);
        var b = match.Success ? match.Groups["base"].Value : "";
        slot = match.Success ? $"{b}{(match.Groups["offset"].Success ? "+" + Number(match.Groups["offset"].Value) : "")}" : "";
        return b is "fp" or "sp" or "x29";
    }

    private static bool IsRegister(string operand) => operand.Length > 1 && operand[0] is 'w' or 'x' && (operand[1..].All(char.IsAsciiDigit) || operand[1..] == "zr");

    /// <summary>herd's name for a data register (herd writes W and X alike as the same register).</summary>
    private static string Data(string register) =>
        register is "wzr" or "xzr" ? "WZR" : register.Length > 1 && register[0] is 'w' or 'x' ? "W" + register[1..] : throw new FormatException(register);

    private string Use(EmittedInstruction instruction, RacingSectionListing section, string register)
    {
        var name = Data(register);
        if (Indices.ContainsKey(name) || _elementOffsets.ContainsKey(name)) throw Unsupported(section, instruction, $"uses {register}, a memory index, as a value");
        if (name != "WZR" && !DefinedData.Contains(name))
            throw Unsupported(section, instruction, $"uses {register}, which the JIT set before the racing code");
        return name;
    }

    private string Operand(EmittedInstruction instruction, RacingSectionListing section, string operand) =>
        operand.StartsWith('#') ? "#" + Number(operand) : Use(instruction, section, operand);
}
