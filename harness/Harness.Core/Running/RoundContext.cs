namespace Harness.Running;

/// <summary>
/// Everything one round of a kernel works on, shared by the runner and the generated code.
/// Fields rather than properties: the kernels copy them into locals once per round.
/// </summary>
public sealed class RoundContext
{
    /// <summary>The locations of every instance: location l of instance i is at i * InstanceStride + l * LocationStride.</summary>
    public int[] Memory = [];

    /// <summary>Per thread, the observed registers of every instance: register k of instance i at i * count + k.</summary>
    public int[][] Registers = [];

    /// <summary>Per instance, one cache line of start flags, one per thread (see <see cref="StartLine"/>).</summary>
    public int[] Ready = [];

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

    /// <summary>How many iterations a loop of the test may run before the instance is abandoned as not terminating.</summary>
    public int SpinBound = 1000;

    /// <summary>
    /// Set when the round must end now (a test thread failed, the time budget ran out mid-round,
    /// or the user interrupted): threads stop waiting at the start line and loops of the test give up.
    /// </summary>
    public volatile bool Abandoned;
}
