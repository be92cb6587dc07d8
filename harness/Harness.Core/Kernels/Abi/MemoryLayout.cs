namespace Harness.Kernels.Abi;

/// <summary>How a run lays out the racing locations; the generated kernel and the runner agree on it.</summary>
public enum MemoryLayout
{
    /// <summary>Every location of every instance on its own cache line.</summary>
    Padded,

    /// <summary>An instance's locations side by side, as a program would declare them (hunts JIT pairing bugs).</summary>
    Packed,
}
