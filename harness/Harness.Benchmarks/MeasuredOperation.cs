using Harness.Mapping;
using Harness.Programs;

namespace Harness.Benchmarks;

/// <summary>The two tables: .NET primitives by themselves, and C++ orderings as a mapping scheme writes them.</summary>
public enum OperationGroup { Primitives, Orderings }

/// <summary>
/// One row of the benchmark tables: its group, its place in that group, its name and the loop that measures
/// it. BenchmarkDotNet shows it by <see cref="ToString"/> and sorts it with <see cref="CompareTo"/>, so tables
/// keep the order of the catalogue rather than the alphabet's.
/// </summary>
public sealed class MeasuredOperation(OperationGroup group, int index, string name, OperationLoop loop) : IComparable
{
    public OperationGroup Group => group;

    public int Index => index;

    public string Name => name;

    public OperationLoop Loop => loop;

    public IReadOnlyList<DotNetPrimitive> Primitives => loop.Primitives;

    /// <summary>The primitives as the kernel generator's comments write them: <c>VolatileWrite + MemoryBarrier</c>.</summary>
    public string Executes => Primitives.Count == 0 ? "nothing" : string.Join(" + ", Primitives);

    public int CompareTo(object? other) => other is MeasuredOperation operation
        ? (group.CompareTo(operation.Group) is var byGroup and not 0 ? byGroup : index.CompareTo(operation.Index))
        : 1;

    public override string ToString() => name;
}
