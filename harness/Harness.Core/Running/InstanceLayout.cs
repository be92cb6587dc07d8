using Harness.Kernels.Abi;

namespace Harness.Running;

/// <summary>
/// The memory a run races on: every instance's locations, start flags and observed registers,
/// each array line-aligned. In the padded layout each location of each instance has a line of
/// its own; in the packed layout an instance's locations sit side by side, the instance still
/// starting on a line of its own.
/// </summary>
public sealed class InstanceLayout(
    AlignedInts memory, IReadOnlyList<AlignedInts> registers, AlignedInts ready, int readyStride, int lineInts, int locations)
{
    public int LineBytes => lineInts * sizeof(int);

    /// <summary>Ints from one instance to the next, and from one location to the next within an instance.</summary>
    public (int Instance, int Location) Strides(MemoryLayout layout)
    {
        var slots = Math.Max(1, locations);
        return layout == MemoryLayout.Padded
            ? (slots * lineInts, lineInts)
            : ((slots + lineInts - 1) / lineInts * lineInts, 1);
    }

    public long LocationAddress(int instance, int location, MemoryLayout layout)
    {
        var (instanceStride, locationStride) = Strides(layout);
        return memory.AddressOf(instance * instanceStride + location * locationStride);
    }

    public long StartFlagAddress(int instance, int thread) => ready.AddressOf(instance * readyStride + thread);

    /// <summary>The first observed register of <paramref name="thread"/>, instance 0: where its array starts.</summary>
    public long RegistersAddress(int thread) => registers[thread].AddressOf(0);

    /// <summary>Every array's first usable element, which must sit on a <see cref="CacheLine.AlignmentBytes"/> boundary.</summary>
    public IEnumerable<(string Array, long Address)> ArrayStarts =>
        new[] { ("locations", memory.AddressOf(0)), ("start flags", ready.AddressOf(0)) }
            .Concat(registers.Select((r, t) => ($"registers of P{t}", r.AddressOf(0))));
}
