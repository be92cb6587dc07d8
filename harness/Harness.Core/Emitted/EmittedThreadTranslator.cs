using System.Globalization;
using System.Text.RegularExpressions;

namespace Harness.Emitted;

/// <summary>What an access does to shared memory, for matching it with the test's own accesses.</summary>
public enum AccessKind { Read, Write, ReadWrite }

/// <summary>
/// A shared-memory access of the emitted code. The JIT's address is a base (a stack slot the
/// location's address was spilled to, or a register set before the racing code) and a byte
/// offset; which location of the test that is gets decided once the whole section is read.
/// </summary>
public sealed record EmittedAccess(
    string Base, long Offset, AccessKind Kind, string? ValueRegister, EmittedInstruction Instruction, int FencesBefore)
{
    public int Location { get; set; } = -1;

    /// <summary>
    /// For an element of a C# array indexed by a value the thread read (an address dependency): the
    /// herd register holding the element's offset from the instance's first location; its location
    /// is known only when the simulator runs it.
    /// </summary>
    public string? Element { get; init; }

    /// <summary>An arm64 load- or store-exclusive: one half of a read-modify-write done as an LL/SC pair.</summary>
    public bool Exclusive => RacingCodeAudit.Arm64(Instruction).Kind == RacingCodeAudit.Kind.Exclusive;
}

/// <summary>Why a racing section could not be turned into a hardware program: the listing is still shown.</summary>
public sealed class UnsupportedEmittedCodeException(string message) : Exception(message);

/// <summary>
/// Turns one thread's racing section, as the JIT printed it, into herd7 assembly for the same
/// architecture: shared accesses address the test's locations, registers keep their data flow
/// (so dependencies survive), address arithmetic and stack reloads disappear, and a lock-prefixed
/// operation on the thread's own stack (x64's MemoryBarrier) becomes the full fence it acts as.
/// Locations are placeholders <c>{loc:N}</c> (access N) until the caller binds them.
/// </summary>
public abstract partial class EmittedThreadTranslator
{
    protected readonly List<string> Lines = [];
    protected readonly List<EmittedAccess> AccessList = [];
    protected readonly Dictionary<string, (string Base, long Offset)> Addresses = [];
    protected readonly HashSet<string> DefinedData = [];

    /// <summary>Stack slots the racing code parked a data register in, with the herd register it holds.</summary>
    protected readonly Dictionary<string, string> Spilled = [];
    protected int Fences;

    /// <summary>Registers holding an int the kernel set before the racing code (the location stride, the instance's first slot, an array's length, the spin bound).</summary>
    protected readonly HashSet<string> KernelInts = [];

    /// <summary>
    /// Registers holding a memory index computed from a value read: the kernel's
    /// <c>memory[at + k * locationStride]</c>, with k in the herd register <see cref="ElementIndex.Slot"/>.
    /// Scaled once multiplied by the stride, Placed once <c>at</c> is added.
    /// </summary>
    protected readonly Dictionary<string, ElementIndex> Indices = [];

    protected sealed record ElementIndex(string Slot, bool Scaled, bool Placed);

    /// <summary>Set by the range check of an index (a compare with the array's length): the branch after it, to the throw, is never taken.</summary>
    protected bool RangeChecked;

    /// <summary>
    /// What an int the kernel set before the racing code stands for when it is compared: its spin bound,
    /// the one such int a loop of the racing code counts to. Counting to it would only cut paths the
    /// simulator's own loop bound cuts first, so it stands for a bound never reached.
    /// </summary>
    protected const int UnreachedSpinBound = 1_000_000;

    /// <summary>A register written anew: whatever it held before is forgotten.</summary>
    protected virtual void Forget(string register)
    {
        KernelInts.Remove(register);
        Indices.Remove(register);
    }

    /// <summary>Registers a store-exclusive reports its status in, which the retry loop makes zero in the end.</summary>
    public List<string> MustBeZero { get; } = [];

    public IReadOnlyList<EmittedAccess> Accesses => AccessList;
    public IReadOnlyList<string> HerdLines => Lines;

    public abstract string Architecture { get; }

    /// <summary>Where a jump out of the racing section lands: the end of the thread's code.</summary>
    protected const string ExitLabel = "Lexit";

    private HashSet<string> _sectionLabels = [];
    private bool _exits;

    /// <summary>What the bookkeeping knew at each way out of the racing code (jumps out, and the fall-through at its end).</summary>
    private readonly List<State> _exitStates = [];

    /// <summary>
    /// For each register the kernel stores after the end mark (its observed registers, in order),
    /// the herd register holding that value when the racing code ends; null where the stored value
    /// is none the racing code left (a constant, or a register set after the mark).
    /// </summary>
    public IReadOnlyList<string?> StoredAfterEnd { get; private set; } = [];

    /// <summary>What the bookkeeping knew where a forward jump left for each label, to resume from there.</summary>
    private readonly Dictionary<string, State> _atLabel = [];

    /// <summary>Whether the instruction just translated can fall through to the next line.</summary>
    private bool _fallsThrough = true;

    /// <summary>
    /// The translation's knowledge of registers at one point: which hold a location's address, which
    /// hold a value (and under what herd name), which stack slots hold a value. It follows control
    /// flow, not the listing's order: a block reached only by a jump starts from what the jump knew.
    /// </summary>
    protected sealed record State(
        Dictionary<string, (string Base, long Offset)> Addresses,
        Dictionary<string, string> Spilled,
        Dictionary<string, string> Names);

    /// <summary>The translator's register names (JIT register → herd register), saved and restored with the rest.</summary>
    protected virtual Dictionary<string, string> Names => [];

    private State Save() => new(new(Addresses), new(Spilled), new(Names));

    private void Restore(State state)
    {
        Replace(Addresses, state.Addresses);
        Replace(Spilled, state.Spilled);
        Replace(Names, state.Names);
    }

    private static void Replace<TKey, TValue>(Dictionary<TKey, TValue> target, Dictionary<TKey, TValue> source) where TKey : notnull
    {
        target.Clear();
        foreach (var (key, value) in source) target[key] = value;
    }

    public void Translate(RacingSectionListing section)
    {
        _sectionLabels = section.Lines.Where(l => l.Label is not null).Select(l => l.Label!).ToHashSet();
        var slotsLive = SlotLiveness.LiveBefore(section, StackSlotsOf);
        var throwing = ControlFlow.ThrowBlockLines(section.Lines);
        for (var index = 0; index < section.Lines.Count; index++)
        {
            var line = section.Lines[index];
            if (throwing.Contains(index))
            {
                // A block that only throws (an index out of range): its path ends there, and it is reached only through a branch never taken.
                _fallsThrough = false;
                continue;
            }
            // A stack slot no instruction from here on reads (nor the kernel's stores after the end) frees its herd register.
            foreach (var slot in Spilled.Keys.Where(slot => !slotsLive[index].Contains(slot)).ToList()) Release(slot);
            if (line.Label is { } label)
            {
                // Reached only by jumps: the registers hold what they held where the (first) jump left.
                if (!_fallsThrough && _atLabel.TryGetValue(label, out var state)) Restore(state);
                _fallsThrough = true;
                Lines.Add($"{HerdLabel(label)}:");
                continue;
            }
            try
            {
                var flow = ControlFlow.Of(line.Instruction!);
                if (RangeChecked && flow.Target is not null)
                    // The index of a litmus test's array stays within the kernel's memory: the throw is never reached.
                    RangeChecked = false;
                else if (flow.Target is null && !flow.FallsThrough && line.Instruction!.Mnemonic is "call" or "bl")
                {
                    // A throw helper (an index out of range): reached only through a branch never taken.
                }
                else Translate(line.Instruction!, section);
                _fallsThrough = flow.FallsThrough;
            }
            catch (FormatException)
            {
                throw new UnsupportedEmittedCodeException($"P{section.Thread}: cannot read '{line.Instruction}'");
            }
        }
        if (_fallsThrough) _exitStates.Add(Save());
        if (_exits) Lines.Add($"{ExitLabel}:");
        StoredAfterEnd = ReadEpilogue(section);
    }

    /// <summary>The stack slots an instruction reads and the ones it writes (without reading them), by the names <see cref="Spilled"/> uses.</summary>
    protected virtual (IEnumerable<string> Read, IEnumerable<string> Written) StackSlotsOf(EmittedInstruction instruction) => ([], []);

    /// <summary>Forgets a stack slot whose value no later instruction reads, and the herd register it held.</summary>
    protected virtual void Release(string slot) => Spilled.Remove(slot);

    /// <summary>What one instruction after the end mark does to registers: the register it stores (null for a constant), the registers it sets, the register it copies.</summary>
    protected sealed record EpilogueStep(bool Stores, string? StoredRegister, IReadOnlyList<string> Defined, string? CopyOf)
    {
        public static readonly EpilogueStep Nothing = new(false, null, [], null);
    }

    /// <summary>The step of an instruction after the end mark, over canonical register names.</summary>
    protected abstract EpilogueStep Step(EmittedInstruction instruction);

    /// <summary>The herd register a JIT register's value at the end of the racing code is in, the same on every way out; null when none is.</summary>
    protected abstract string? HerdRegisterAtEnd(string register, IReadOnlyList<State> exits);

    private List<string?> ReadEpilogue(RacingSectionListing section)
    {
        // Which register of the racing code's end each register holds as the epilogue runs (null: overwritten since).
        var holds = new Dictionary<string, string?>();
        string? Origin(string register) => holds.TryGetValue(register, out var origin) ? origin : register;
        var stored = new List<string?>();
        foreach (var instruction in section.Epilogue)
        {
            EpilogueStep step;
            try
            {
                step = Step(instruction);
            }
            catch (FormatException)
            {
                continue;
            }
            if (step.Stores) stored.Add(step.StoredRegister is { } register && Origin(register) is { } origin ? AtEnd(origin) : null);
            foreach (var defined in step.Defined) holds[defined] = step.CopyOf is { } copied ? Origin(copied) : null;
        }
        return stored;

        string? AtEnd(string origin) => origin.StartsWith(StackSlotPrefix, StringComparison.Ordinal)
            ? SpilledAtEnd(origin[StackSlotPrefix.Length..])
            : HerdRegisterAtEnd(origin, _exitStates);
    }

    /// <summary>
    /// How an epilogue step names a stack slot among registers: code that keeps every local on the
    /// stack (Tier0) stores an observed register after reloading it from the slot the racing code parked it in.
    /// </summary>
    protected const string StackSlotPrefix = "stack:";

    /// <summary>The herd register the racing code parked in <paramref name="slot"/>, the same on every way out; null when none is.</summary>
    private string? SpilledAtEnd(string slot)
    {
        var names = _exitStates.Select(e => e.Spilled.GetValueOrDefault(slot)).Distinct().ToList();
        return names is [{ } name] ? name : null;
    }

    /// <summary>
    /// The herd label a jump goes to. A label outside the section is where the racing code ends
    /// (the end mark, or the kernel giving up a spin at its bound): the thread's code ends there.
    /// </summary>
    protected string JumpTarget(string operand)
    {
        var jitLabel = operand.StartsWith("SHORT ", StringComparison.Ordinal) ? operand["SHORT ".Length..].Trim() : operand.Trim();
        if (_sectionLabels.Contains(jitLabel))
        {
            _atLabel.TryAdd(jitLabel, Save());
            return HerdLabel(jitLabel);
        }
        _exits = true;
        _exitStates.Add(Save());
        return ExitLabel;
    }

    protected abstract void Translate(EmittedInstruction instruction, RacingSectionListing section);

    protected static string HerdLabel(string jitLabel) => "L" + jitLabel.Replace("G_M000_", "").Replace("_", "");

    /// <summary>Records a shared access and returns the placeholder its location operand is written as.</summary>
    protected string Access(string baseName, long offset, AccessKind kind, string? valueRegister, EmittedInstruction instruction)
    {
        var element = baseName.StartsWith(ElementPrefix, StringComparison.Ordinal) ? baseName[ElementPrefix.Length..] : null;
        AccessList.Add(new EmittedAccess(baseName, offset, kind, valueRegister, instruction, Fences) { Element = element });
        var placeholder = $"{{loc:{AccessList.Count - 1}}}";
        return element is null ? placeholder : ElementOperand(placeholder, element);
    }

    private const string ElementPrefix = "element:";

    protected static bool IsElement(string baseName) => baseName.StartsWith(ElementPrefix, StringComparison.Ordinal);

    /// <summary>
    /// The base an address resolves to when it is an array element chosen by a value: the herd
    /// register holding the element's offset from the instance's first location (locations are
    /// 1 &lt;&lt; <see cref="Programs.EventProgram.AddressShift"/> apart in the simulator).
    /// </summary>
    protected static string ElementBase(string offsetRegister) => ElementPrefix + offsetRegister;

    /// <summary>The memory operand of an element access: the first location's operand plus the offset register.</summary>
    protected abstract string ElementOperand(string firstLocation, string offsetRegister);

    protected static long Number(string text)
    {
        text = text.TrimStart('#', '$');
        var negative = text.StartsWith('-');
        if (negative || text.StartsWith('+')) text = text[1..];
        var value = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? long.Parse(text[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture)
            : long.Parse(text, CultureInfo.InvariantCulture);
        return negative ? -value : value;
    }

    protected static UnsupportedEmittedCodeException Unsupported(RacingSectionListing section, EmittedInstruction instruction, string why) =>
        new($"P{section.Thread}: '{instruction}' {why}");

    /// <summary>The herd text of the thread with every access bound to its location.</summary>
    public IReadOnlyList<string> Bind(Func<int, string> locationOperand)
    {
        return Lines.Select(line => Placeholder().Replace(line, m => AccessList[int.Parse(m.Groups[1].Value)] is var access && access.Element is not null
            ? locationOperand(0)
            : locationOperand(access.Location))).ToList();
    }

    [GeneratedRegex(@"\{loc:(\d+)\}")]
    private static partial Regex Placeholder();
}
