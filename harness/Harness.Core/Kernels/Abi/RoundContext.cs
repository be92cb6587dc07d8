namespace Harness.Kernels.Abi;

/// <summary>
/// Everything one round of a kernel works on, shared by the runner and the generated code (the
/// kernel ABI). Fields rather than properties: the kernels copy them into locals once per round,
/// before any racing code. Every array the threads share starts on a cache-line boundary at its
/// base index, so that no two instances, locations or threads share a line by accident.
/// </summary>
public sealed class RoundContext
{
    /// <summary>
    /// The locations of every instance: location l of instance i is at
    /// <see cref="MemoryBase"/> + i * <see cref="InstanceStride"/> + l * <see cref="LocationStride"/>.
    /// </summary>
    public int[] Memory = [];

    public int MemoryBase;

    /// <summary>
    /// Per thread, the observed registers of every instance: register k of instance i at
    /// <see cref="RegisterBases"/>[t] + i * count + k. Each thread's array starts on a line of its own.
    /// </summary>
    public int[][] Registers = [];

    public int[] RegisterBases = [];

    /// <summary>
    /// Per instance, one line of start flags, one per thread (see <see cref="StartLine"/>): the flags
    /// of instance i start at <see cref="ReadyBase"/> + i * <see cref="ReadyStride"/>.
    /// </summary>
    public int[] Ready = [];

    public int ReadyBase;
    public int ReadyStride = 16;

    /// <summary>Per instance and thread (i * threads + t), how long to pause before the racing code.</summary>
    public int[] Delays = [];

    /// <summary>Per thread, per instance: 1 when a loop of the test hit <see cref="SpinBound"/> and the instance was abandoned.</summary>
    public byte[][] Stuck = [];

    public int Instances;
    public int Threads;
    public int Round;
    public int InstanceStride;
    public int LocationStride;

    /// <summary>True in hunt mode: threads enter each instance together through the start flags.</summary>
    public bool Synchronise;

    /// <summary>
    /// How many iterations a loop of the test may run before the instance is abandoned as not
    /// terminating. It is the only bound inside the racing code: a local counter, no memory access.
    /// </summary>
    public int SpinBound = 1000;

    /// <summary>
    /// Set when the round must end now (a test thread failed, the time budget ran out mid-round,
    /// or the user interrupted). Read only between instances and at the start line, never inside
    /// the racing code: a volatile read there would be an acquire (ldapr/ldar on arm64) among the
    /// test's own accesses, and the kernel would be stronger than the mapping it measures.
    /// </summary>
    public volatile bool Abandoned;
}
