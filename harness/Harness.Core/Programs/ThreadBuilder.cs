namespace Harness.Programs;

/// <summary>
/// Collects one thread's instructions, registers and labels while a frontend lowers its source
/// (a C thread's statements, a hardware thread's instructions) into the program IR.
/// </summary>
public class ThreadBuilder(Func<string, int> location)
{
    private readonly List<Instruction> _code = [];
    private readonly List<string> _registers = [];
    private readonly Dictionary<string, int> _labels = new(StringComparer.Ordinal);
    private int _temporaries;

    public ThreadBuilder(IReadOnlyDictionary<string, int> locations) : this(name => locations[name]) { }

    public int Position => _code.Count;

    /// <summary>The code so far.</summary>
    public IReadOnlyList<Instruction> Code => _code;

    public IReadOnlyList<string> Registers => _registers;

    public void Emit(Instruction instruction) => _code.Add(instruction);

    /// <summary>Emits a jump whose target is fixed later with <see cref="Patch"/>.</summary>
    public int EmitJump(ValueExpr? condition)
    {
        _code.Add(new JumpInstruction(condition, -1));
        return _code.Count - 1;
    }

    public void Patch(int jump, int target) => _code[jump] = ((JumpInstruction)_code[jump]) with { Target = target };

    /// <summary>Makes <paramref name="label"/> point at the next instruction; false if it points somewhere already.</summary>
    public bool TryDefineLabel(string label) => _labels.TryAdd(label, _code.Count);

    public bool TryFindLabel(string label, out int position) => _labels.TryGetValue(label, out position);

    public ConstExpr AddressOf(int location) => new(EventProgram.AddressOf(location));

    public ConstExpr AddressOf(string locationName) => AddressOf(Location(locationName));

    public int Location(string name) => location(name);

    public int Register(string name)
    {
        var index = _registers.IndexOf(name);
        if (index >= 0) return index;
        _registers.Add(name);
        return _registers.Count - 1;
    }

    /// <summary>A register for an intermediate value; its name cannot clash with a source identifier.</summary>
    public int Temporary() => Register($"%t{_temporaries++}");
}
