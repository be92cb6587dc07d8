using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Harness.Mapping;

namespace Harness.Benchmarks;

public enum Contention
{
    /// <summary>The line stays in this core's cache.</summary>
    Uncontended,

    /// <summary>Another thread keeps writing an int of the same line, so the line keeps leaving this core.</summary>
    Contended,
}

/// <summary>
/// Measures each <see cref="MeasuredOperation"/> of <see cref="Operations"/> on a cache line of its own,
/// alone and while another thread keeps writing to the same line. The figure is nanoseconds per operation:
/// BenchmarkDotNet divides each run by <see cref="OperationLoop.OperationsPerRun"/>.
/// </summary>
public abstract unsafe class OperationCosts
{
    // A 64-byte line aligned to 128 bytes is one line on 128-byte-line CPUs (Apple M) too.
    private const int LineAlignment = 128;

    private const int SlotValue = 1;

    private int* _line;
    private Thread? _contender;
    private int _contenderStarted;
    private int _stopContender;

    // Fields, not constants: the JIT must not specialise the loop on their values (_zero must stay opaque).
    private int _value = SlotValue;
    private int _zero = 0;

    [ParamsSource(nameof(Operations))]
    public MeasuredOperation Operation { get; set; } = null!;

    [Params(Contention.Uncontended, Contention.Contended)]
    public Contention Contention { get; set; }

    /// <summary>The rows of this table.</summary>
    public abstract IEnumerable<MeasuredOperation> Operations { get; }

    /// <summary>The CPUs the measuring thread and the contender are pinned to, contended; null: too few CPUs to pin apart.</summary>
    private (int Measuring, int Contending)? _cpus;

    [GlobalSetup]
    public void PrepareLine()
    {
        _line = (int*)NativeMemory.AlignedAlloc(LineAlignment, LineAlignment);
        new Span<int>(_line, LineAlignment / sizeof(int)).Fill(SlotValue);
        if (Contention != Contention.Contended) return;
        // Each on a CPU of its own: left to the scheduler, the two threads of a 2-core machine now and then
        // share a core, the line stops bouncing, and the iterations split into two populations.
        var allowed = Harness.Running.Affinity.AllowedCpus();
        _cpus = allowed.Count >= 2 && Harness.Running.Affinity.TryPinCurrentThread(allowed[0], out _) ? (allowed[0], allowed[1]) : null;
        _contender = new Thread(Contend) { IsBackground = true, Name = "contender" };
        _contender.Start();
        // Measure only once the line is really contended.
        SpinWait.SpinUntil(() => Volatile.Read(ref _contenderStarted) == 1);
    }

    [GlobalCleanup]
    public void ReleaseLine()
    {
        Volatile.Write(ref _stopContender, 1);
        _contender?.Join();
        _contender = null;
        if (_cpus is not null) Harness.Running.Affinity.TryUnpinCurrentThread(out _);
        _cpus = null;
        NativeMemory.AlignedFree(_line);
        _line = null;
    }

    [Benchmark(OperationsPerInvoke = OperationLoop.OperationsPerRun)]
    public int Cost() => Operation.Loop.Run(ref *_line, _value, _zero);

    private void Contend()
    {
        if (_cpus is { } cpus) Harness.Running.Affinity.TryPinCurrentThread(cpus.Contending, out _);
        ref var neighbour = ref Unsafe.Add(ref *_line, OperationLoop.NeighbourSlot);
        Volatile.Write(ref _contenderStarted, 1);
        for (var i = 0; Volatile.Read(ref _stopContender) == 0; i++) Volatile.Write(ref neighbour, i);
    }

    /// <summary>Numbers the rows of a group in the order given.</summary>
    protected static IReadOnlyList<MeasuredOperation> Catalogue(OperationGroup group, params (string Name, OperationLoop Loop)[] rows) =>
        rows.Select((row, index) => new MeasuredOperation(group, index, row.Name, row.Loop)).ToList();
}

/// <summary>What each .NET primitive costs by itself.</summary>
public class PrimitiveCosts : OperationCosts
{
    public static IReadOnlyList<MeasuredOperation> All { get; } = Catalogue(OperationGroup.Primitives,
        ("plain load", OperationLoop.For<PlainLoad>()),
        ("plain store", OperationLoop.For<PlainStore>()),
        ("Volatile.Read", OperationLoop.For<VolatileRead>()),
        ("Volatile.Write", OperationLoop.For<VolatileWrite>()),
        ("Interlocked.Exchange", OperationLoop.For<InterlockedExchange>()),
        ("Interlocked.CompareExchange (success)", OperationLoop.For<CompareExchangeSuccess>()),
        ("Interlocked.CompareExchange (failure)", OperationLoop.For<CompareExchangeFailure>()),
        ("Interlocked.Add", OperationLoop.For<InterlockedAdd>()),
        ("Interlocked.Increment", OperationLoop.For<InterlockedIncrement>()),
        ("Interlocked.Or", OperationLoop.For<InterlockedOr>()),
        ("Interlocked.And", OperationLoop.For<InterlockedAnd>()),
        ("Interlocked.MemoryBarrier", OperationLoop.For<MemoryBarrier>()),
        ("Volatile.ReadBarrier", OperationLoop.For<ReadBarrier>()),
        ("Volatile.WriteBarrier", OperationLoop.For<WriteBarrier>()));

    public override IEnumerable<MeasuredOperation> Operations => All;
}

/// <summary>
/// What each C++ ordering costs once <see cref="Scheme"/> has mapped it: the primitives each row runs are
/// the ones the scheme returns, composed when the row is built, so the benchmark cannot drift from the mapping.
/// </summary>
public class OrderingCosts : OperationCosts
{
    public static MappingScheme Scheme => MappingScheme.DotNet;

    /// <summary>A row per <see cref="OrderingCase.All"/>, in that order.</summary>
    public static IReadOnlyList<MeasuredOperation> All { get; } =
        Catalogue(OperationGroup.Orderings, OrderingCase.All.Select(ordering => (ordering.Name, OperationLoop.For(ordering.MappedBy(Scheme)))).ToArray());

    public override IEnumerable<MeasuredOperation> Operations => All;
}
