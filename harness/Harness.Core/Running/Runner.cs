using System.Diagnostics;
using Harness.Kernels;
using Harness.Formatting;
using Harness.Simulation.Executions;
using Harness.Programs;
using Harness.Kernels.Abi;

namespace Harness.Running;

public enum RunMode
{
    /// <summary>Maximise weak outcomes per second: threads enter each instance together, timing, placement and layout vary.</summary>
    Hunt,

    /// <summary>Maximise iterations per second: threads run free through the round.</summary>
    Throughput,
}

public enum PlacementMode
{
    /// <summary>Threads pinned, the thread-to-CPU assignment changed between rounds.</summary>
    Vary,

    /// <summary>Thread t pinned to the t-th allowed CPU for the whole run.</summary>
    Fixed,

    /// <summary>No pinning: the OS schedules.</summary>
    None,
}

public sealed record RunOptions
{
    public RunMode Mode { get; init; } = RunMode.Hunt;

    /// <summary>Null lets the mode choose: padded for throughput, alternating for hunt.</summary>
    public MemoryLayout? Layout { get; init; }

    /// <summary>Instances per round; 0 lets the mode choose.</summary>
    public int Size { get; init; }

    public long Iterations { get; init; } = 1_000_000;
    public TimeSpan? TimeBudget { get; init; }
    public PlacementMode Placement { get; init; } = PlacementMode.Vary;

    /// <summary>The CPUs to run on; null means every CPU the process may use.</summary>
    public IReadOnlyList<int>? Cpus { get; init; }

    public int SpinBound { get; init; } = 1000;
    public int Seed { get; init; } = 20261124;

    /// <summary>How many times the simulator unrolls a test's loops for the predictions (herd7's -unroll).</summary>
    public int LoopBound { get; init; } = 2;

    /// <summary>The cache line that pads locations apart; null reads this machine's (<see cref="CacheLine.Bytes"/>).</summary>
    public int? CacheLineBytes { get; init; }

    public int EffectiveSize => Size > 0 ? Size : Mode == RunMode.Hunt ? 1000 : 10_000;
}

/// <summary>
/// A test thread failed while running its kernel; the run stopped instead of hanging.
/// <see cref="Completed"/> holds the rounds that ended before the failure, never the failed one.
/// </summary>
public sealed class KernelRunException(string message, Exception inner, RawRun completed) : Exception(message, inner)
{
    public RawRun Completed => completed;
}

/// <summary>What a run observed, before any judgement.</summary>
public sealed record RawRun(
    IReadOnlyDictionary<FinalState, long> Counts,
    long Iterations,
    double Seconds,
    long DidNotTerminate,
    IReadOnlyList<string> Warnings,
    bool Interrupted,
    int? Cpus = null);

/// <summary>
/// Runs a compiled kernel on dedicated threads, one per test thread, round after round.
/// Between rounds the last thread to arrive at the round barrier counts the outcomes, resets
/// the instances and sets up the next round (timing offsets, placement, layout); inside a
/// round the threads run only generated code.
/// </summary>
public sealed class Runner
{
    private readonly CompiledKernel _kernel;
    private readonly RunOptions _options;
    private readonly OutcomeCounter _counter;
    private readonly RoundContext _context = new();
    private readonly List<string> _warnings = [];
    private readonly Random _random;
    private readonly IReadOnlyList<int> _cpus;
    private readonly int[] _placement;
    private readonly int[] _pinnedTo;
    private readonly int _threads;
    private readonly int _locations;
    private readonly int _size;
    private readonly int _lineInts;
    private readonly CancellationToken _cancellation;

    /// <summary>Where every instance's locations, start flags and registers live (the tests check the addresses).</summary>
    public InstanceLayout Layout { get; }

    private long _done;
    private long _abandoned;
    private double _seconds;
    private long _roundStarted;
    private readonly Action<RawRun>? _progress;
    private long _lastProgress;
    private volatile bool _stop;
    private Exception? _failure;
    private string? _pinningFailure;
    private bool _interrupted;
    private readonly long _deadline;

    /// <param name="progress">Called between rounds at most once a second with what has been seen so far.</param>
    public Runner(CompiledKernel kernel, RunOptions options, IEnumerable<FinalState> expected, CancellationToken cancellation = default,
        Action<RawRun>? progress = null)
    {
        _progress = progress;
        _kernel = kernel;
        _options = options;
        _cancellation = cancellation;
        _threads = kernel.Plan.Threads;
        _locations = kernel.Plan.Locations.Count;
        _size = options.EffectiveSize;
        _random = new Random(options.Seed);
        _counter = new OutcomeCounter(kernel.Plan, expected);
        _cpus = options.Cpus is { Count: > 0 } cpus ? cpus : Affinity.AllowedCpus();
        _placement = new int[_threads];
        _pinnedTo = Enumerable.Repeat(-1, _threads).ToArray();
        _lastProgress = Stopwatch.GetTimestamp();
        _deadline = options.TimeBudget is { } budget ? Stopwatch.GetTimestamp() + (long)(budget.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;

        if (_threads > StartLine.MaxThreads)
            throw new ArgumentException($"{kernel.Plan.Test.Name} has {_threads} threads; the runner runs at most {StartLine.MaxThreads}");
        var lineBytes = options.CacheLineBytes ?? CacheLine.Bytes;
        if (!CacheLine.IsPlausible(lineBytes)) throw new ArgumentException($"a cache line of {lineBytes} bytes is not a power of two from 16 to 1024");
        _lineInts = lineBytes / sizeof(int);
        var oversubscribed = _threads > _cpus.Count;
        if (oversubscribed)
            _warnings.Add($"{_threads} threads on {Counted.Of(_cpus.Count, "CPU")}: threads take turns, so weak behaviour is unlikely to show; " +
                "instances are not started together (that would need every thread running at once)");
        if (_cpus.Count == 1)
            _warnings.Add("one CPU: the threads never run at the same time, so nothing weak can show");
        if (options.Placement != PlacementMode.None && !Affinity.Supported)
            _warnings.Add($"{Environment.OSVersion.Platform}: no thread pinning on this OS; threads run unpinned");

        // The padded layout is the larger: a line per location of every instance.
        var memory = new AlignedInts(_size * Math.Max(1, _locations) * _lineInts);
        _context.Memory = memory.Array;
        _context.MemoryBase = memory.Base;
        var registers = kernel.Plan.ObservedRegisters.Select(r => new AlignedInts(_size * Math.Max(1, r.Count))).ToArray();
        _context.Registers = registers.Select(r => r.Array).ToArray();
        _context.RegisterBases = registers.Select(r => r.Base).ToArray();
        _context.ReadyStride = StartLine.Stride(lineBytes);
        var ready = new AlignedInts(_size * _context.ReadyStride);
        _context.Ready = ready.Array;
        _context.ReadyBase = ready.Base;
        Layout = new InstanceLayout(memory, registers, ready, _context.ReadyStride, _lineInts, _locations);
        _context.Delays = new int[_size * _threads];
        _context.Stuck = Enumerable.Range(0, _threads).Select(_ => new byte[_size]).ToArray();
        _context.Threads = _threads;
        _context.SpinBound = options.SpinBound;
        _context.Synchronise = options.Mode == RunMode.Hunt && !oversubscribed;
    }

    public RawRun Run()
    {
        using var barrier = new Barrier(_threads, _ => BetweenRounds());
        // The watchdog: a round that outlives the budget by a second, or an interruption, ends at once.
        using var interrupt = _cancellation.Register(() => _context.Abandoned = true);
        using var watchdog = _options.TimeBudget is { } budget
            ? new Timer(_ => _context.Abandoned = true, null, budget + TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan)
            : null;
        var workers = Enumerable.Range(0, _threads).Select(t => new Thread(() => Work(t, barrier))
        {
            IsBackground = true,
            Name = $"litmus P{t}",
        }).ToList();
        foreach (var worker in workers) worker.Start();
        foreach (var worker in workers) worker.Join();
        if (_failure is not null)
            throw new KernelRunException($"a test thread failed: {_failure.GetType().Name}: {_failure.Message}", _failure,
                new RawRun(_counter.Snapshot(), _done, _seconds, _abandoned, _warnings, Interrupted: false, _cpus.Count));
        if (_pinningFailure is not null) _warnings.Add(_pinningFailure);
        return new RawRun(_counter.Snapshot(), _done, _seconds, _abandoned, _warnings, _interrupted, _cpus.Count);
    }

    private void Work(int thread, Barrier barrier)
    {
        try
        {
            RunRounds(thread, barrier);
        }
        catch (Exception e)
        {
            // Leave the barrier so the other threads are not left waiting for this one forever.
            Interlocked.CompareExchange(ref _failure, e is BarrierPostPhaseException { InnerException: { } inner } ? inner : e, null);
            _stop = true;
            _context.Abandoned = true;
            try
            {
                barrier.RemoveParticipant();
            }
            catch (InvalidOperationException)
            {
                // The barrier is already unwinding.
            }
        }
    }

    private void RunRounds(int thread, Barrier barrier)
    {
        var run = _kernel.Threads[thread];
        while (true)
        {
            barrier.SignalAndWait();
            if (_stop) return;
            var cpu = _placement[thread];
            if (_pinnedTo[thread] != cpu) Place(thread, cpu);
            run(_context);
        }
    }

    /// <summary>
    /// Pins the calling test thread to <paramref name="cpu"/>, or unpins it for -1. The OS may
    /// refuse (a restrictive cgroup or container, a CPU taken offline): the run then goes on
    /// with every thread unpinned, and says so once, rather than failing or half pinned.
    /// </summary>
    private void Place(int thread, int cpu)
    {
        string failure;
        var placed = cpu >= 0 ? Affinity.TryPinCurrentThread(cpu, out failure) : Affinity.TryUnpinCurrentThread(out failure);
        if (placed || cpu < 0)
        {
            _pinnedTo[thread] = cpu;
            return;
        }
        Interlocked.CompareExchange(ref _pinningFailure,
            $"pinning a test thread to CPU {cpu} failed ({failure}); the threads ran unpinned from then on", null);
    }

    /// <summary>Runs on one thread while the others wait: count the round that ended, prepare the next.</summary>
    private void BetweenRounds()
    {
        var now = Stopwatch.GetTimestamp();
        // A round in which a thread failed is discarded whole: the failed thread's instances never ran.
        if (_context.Round > 0 && _failure is null)
        {
            _seconds += (double)(now - _roundStarted) / Stopwatch.Frequency;
            _abandoned += _counter.Count(_context, _locations);
            _done += _context.Instances;
        }
        if (_progress is not null && now - _lastProgress > Stopwatch.Frequency)
        {
            _lastProgress = now;
            _progress(new RawRun(_counter.Snapshot(), _done, _seconds, _abandoned, _warnings, Interrupted: false, _cpus.Count));
        }
        if (_cancellation.IsCancellationRequested) _interrupted = true;
        if (_done >= _options.Iterations || now >= _deadline || _interrupted || _stop || _context.Abandoned)
        {
            _stop = true;
            return;
        }

        _context.Round++;
        _context.Instances = (int)Math.Min(_size, _options.Iterations - _done);
        ChooseLayout();
        ResetInstances();
        ChooseDelays();
        ChoosePlacement();
        _roundStarted = Stopwatch.GetTimestamp();
    }

    private void ChooseLayout()
    {
        // A packed kernel addresses its locations at fixed neighbouring offsets: it runs only packed.
        var layout = _kernel.Plan.Options.Packed
            ? MemoryLayout.Packed
            : _options.Layout ?? (_options.Mode == RunMode.Hunt && _random.Next(4) == 0 ? MemoryLayout.Packed : MemoryLayout.Padded);
        (_context.InstanceStride, _context.LocationStride) = Layout.Strides(layout);
    }

    private void ResetInstances()
    {
        var initial = _kernel.Plan.InitialValues;
        var memory = _context.Memory;
        for (var i = 0; i < _context.Instances; i++)
        {
            var at = _context.MemoryBase + i * _context.InstanceStride;
            for (var l = 0; l < _locations; l++) memory[at + l * _context.LocationStride] = initial[l];
        }
        foreach (var stuck in _context.Stuck) Array.Clear(stuck, 0, _context.Instances);
    }

    /// <summary>
    /// Hunt mode shifts the threads against each other by a few pauses per instance, with a
    /// spread that changes from round to round: the weak window of a test is often narrower
    /// than the jitter of the start flags, so trying several offsets finds it.
    /// </summary>
    private void ChooseDelays()
    {
        var delays = _context.Delays;
        if (_options.Mode != RunMode.Hunt)
        {
            Array.Clear(delays);
            return;
        }
        var spread = _random.Next(4) switch { 0 => 0, 1 => 2, 2 => 4, _ => 8 };
        for (var i = 0; i < _context.Instances * _threads; i++) delays[i] = spread == 0 ? 0 : _random.Next(spread);
    }

    private void ChoosePlacement()
    {
        if (_options.Placement == PlacementMode.None || !Affinity.Supported || _pinningFailure is not null)
        {
            Array.Fill(_placement, -1);
            return;
        }
        if (_options.Placement == PlacementMode.Fixed || _context.Round == 1)
        {
            for (var t = 0; t < _threads; t++) _placement[t] = _cpus[t % _cpus.Count];
            return;
        }
        // Vary: a fresh assignment of threads to CPUs, distinct CPUs while there are enough.
        var order = _cpus.OrderBy(_ => _random.Next()).ToArray();
        for (var t = 0; t < _threads; t++) _placement[t] = order[t % order.Length];
    }
}
