using System.Diagnostics;
using System.Text.RegularExpressions;
using Harness.Emitted;
using Harness.Language;
using Harness.Mapping;
using Harness.Programs;
using Harness.Reports;
using Harness.Simulation;

namespace Harness.Hunting;

/// <summary>What a hunt does: how long, which cycles, whose code, where the results go.</summary>
public sealed record HuntSettings(
    TimeSpan Budget,
    int MaxThreads,
    IReadOnlyList<ListingTarget> Targets,
    bool Packed,
    int? Seed,
    int? MaxTests,
    string? Arm64Build,
    string OutputFolder)
{
    /// <summary>
    /// Tests handed to the emitted-code analysis at once: enough for one listing process to amortise
    /// its start over many kernels, few enough that the reports are rewritten every minute or so.
    /// </summary>
    public int BatchSize { get; init; } = 100;
}

/// <summary>What kind of disagreement a finding is.</summary>
public enum FindingKind
{
    /// <summary>The emitted code allows a state the mapping's instruction table forbids: the JIT emitted weaker code than the table says.</summary>
    WeakerThanTable,

    /// <summary>The emitted code allows a state the .NET memory model forbids: a promise of the runtime not kept.</summary>
    BreaksNetPromise,
}

/// <summary>
/// One test on one target whose emitted code allows states that the table or the .NET model forbids.
/// <see cref="Suspect"/> names a known limitation of the emitted-code converter that could explain
/// it: such a finding is not a JIT bug until the listing has been read by hand. <see cref="Known"/> names the
/// finding of FINDINGS.md it is an instance of: still reported, but no news (a nightly hunt fails on news).
/// </summary>
public sealed record HuntFinding(Cycle Cycle, string Target, FindingKind Kind, IReadOnlyList<FinalState> States, string? Suspect, string File)
{
    public string? Known { get; init; }

    /// <summary>Neither explained by a converter limitation nor an instance of a documented finding.</summary>
    public bool IsNew => Suspect is null && Known is null;
}

/// <summary>
/// A systematic hunt (issue 12 §4): the critical cycles of <see cref="CycleGenerator"/>, in order
/// of size, each written as a C# litmus test, its kernel's code read back from the JIT on each target
/// and judged by <see cref="EmittedAnalyzer"/> against the mapping's table and the .NET model, until
/// the budget is spent. The results are rewritten after each batch, so an interrupted hunt keeps
/// what it judged.
/// </summary>
public sealed class Hunt
{
    private readonly HuntSettings _settings;
    private readonly HuntTally _tally;
    private readonly Stopwatch _clock = new();

    public Hunt(HuntSettings settings)
    {
        _settings = settings;
        _tally = new HuntTally(settings, DateTimeOffset.UtcNow);
    }

    public HuntTally Tally => _tally;

    /// <summary>How many tests the first batch judges, before the pace is known.</summary>
    public const int FirstBatchSize = 10;

    /// <summary>Runs batches until the budget, the test limit, the generator or <paramref name="stop"/> ends it.</summary>
    public HuntTally Run(CancellationToken stop, Action<string>? progress = null)
    {
        _clock.Start();
        using var cycles = CycleGenerator.InOrderOfSize(_settings.MaxThreads, _settings.Seed).GetEnumerator();
        var exhausted = false;
        while (!exhausted && !stop.IsCancellationRequested && _clock.Elapsed < _settings.Budget && _tally.Generated != _settings.MaxTests)
        {
            var batch = new List<(Cycle Cycle, LitmusTest Test)>();
            var size = NextBatchSize();
            var generation = Stopwatch.StartNew();
            while (batch.Count < size && !(exhausted = !cycles.MoveNext()))
            {
                var cycle = cycles.Current;
                batch.Add((cycle, LitmusParser.Parse(CycleWriter.Write(cycle), cycle.Name + ".litmus")));
            }
            _tally.GenerationTime += generation.Elapsed;
            if (batch.Count == 0) break;
            // An interrupted batch is dropped whole: its children were stopped, so what it judged is not a sample of it.
            if (!Judge(batch, stop)) break;
            _tally.Elapsed = _clock.Elapsed;
            _tally.Write();
            progress?.Invoke(_tally.ProgressLine());
        }
        _tally.Elapsed = _clock.Elapsed;
        _tally.Stopped = stop.IsCancellationRequested ? HuntStop.Interrupted
            : _tally.ListingFailure is { } failure ? $"{HuntStop.ListingFailed}: {failure}"
            : exhausted ? HuntStop.Exhausted
            : _tally.Generated == _settings.MaxTests ? HuntStop.TestLimit
            : HuntStop.Budget;
        _tally.Write();
        return _tally;
    }

    /// <summary>
    /// The first batch small, to learn the pace (a test takes a tenth of a second on this machine's JIT and
    /// seconds under qemu); then a full batch, or what is likely to fit in the budget left at that pace;
    /// never more than the test limit allows.
    /// </summary>
    private int NextBatchSize()
    {
        var size = _tally.Generated == 0 ? Math.Min(_settings.BatchSize, FirstBatchSize) : _settings.BatchSize;
        if (_settings.MaxTests is { } max) size = Math.Min(size, max - _tally.Generated);
        if (_tally.Generated > 0 && _tally.AnalysisTime > TimeSpan.Zero)
        {
            var perTest = _tally.AnalysisTime / _tally.Generated;
            var fits = (int)Math.Ceiling((_settings.Budget - _clock.Elapsed) / perTest);
            size = Math.Min(size, Math.Max(1, fits));
        }
        return Math.Max(0, size);
    }

    /// <summary>
    /// Judges the batch and counts it; false, with nothing counted, when <paramref name="stop"/> ended it or a target's
    /// code could not be read at all (the hunt then ends: every later batch would fail the same way).
    /// </summary>
    private bool Judge(List<(Cycle Cycle, LitmusTest Test)> batch, CancellationToken stop)
    {
        var analysis = Stopwatch.StartNew();
        var tests = batch.Select(b => b.Test).ToList();
        var cycleOf = batch.ToDictionary(b => b.Test, b => b.Cycle);
        var unreadable = new List<(Cycle Cycle, string Target, string Reason)>();
        IReadOnlyList<EmittedAnalysis> analyses;
        try
        {
            analyses = EmittedAnalyzer.AnalyzeMany(tests, MappingScheme.DotNet, _settings.Packed, _settings.Targets, _settings.Arm64Build,
                (test, target, error) => unreadable.Add((cycleOf[test], target.Name, error.Message)), stop: stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return false;
        }
        catch (ListingUnavailableException unavailable)
        {
            _tally.ListingFailure = unavailable.Message;
            return false;
        }
        foreach (var (cycle, target, reason) in unreadable) _tally.Unreadable(cycle, target, reason);
        var netStates = new Dictionary<LitmusTest, HashSet<FinalState>>();
        foreach (var result in analyses)
        {
            var cycle = cycleOf[result.Test];
            if (!netStates.TryGetValue(result.Test, out var net))
                netStates[result.Test] = net = Simulator.Simulate(result.Test, [ModelCatalog.Target(ModelCatalog.Net)])[0].States.ToHashSet();
            _tally.Judged(cycle, result, result.EmittedStates.Where(s => !net.Contains(s)).ToList());
        }
        _tally.Generated += batch.Count;
        _tally.CountSize(batch.Select(b => b.Cycle.Size));
        _tally.AnalysisTime += analysis.Elapsed;
        return true;
    }

    /// <summary>
    /// The converter's known limitation that could make the emitted code look weaker than it is, or null.
    /// Two Interlocked results kept in one thread: the JIT keeps the first on the stack while the
    /// second is computed in the same register, and the converter has been seen to read the register
    /// for both (the twelve x64 "disagreements" of the first hunt were all this).
    /// </summary>
    public static string? KnownConverterLimitation(Cycle cycle)
    {
        var perThread = 0;
        foreach (var step in cycle.Steps)
        {
            if (step.Access.IsRmwRead() && ++perThread >= 2)
                return "two Interlocked results kept in one thread: the converter may read the second's register for the first, which the JIT saved to the stack";
            if (step.Edge.IsExternal()) perThread = 0;
        }
        return null;
    }

    /// <summary>
    /// The documented finding a finding on <paramref name="architecture"/> is an instance of, or null: on arm64 a
    /// failed compare-exchange after an earlier access of its thread with nothing the architecture counts between
    /// (program order, or a control dependency, which orders no later read on ARMv8) is FINDINGS.md 2 (an earlier
    /// store) or 4 (an earlier load): its read, an acquire at most, is not ordered after that access, which the
    /// .NET model's full fence promises.
    /// </summary>
    public static string? KnownFinding(Cycle cycle, string architecture)
    {
        if (architecture != "arm64") return null;
        var steps = cycle.Steps;
        for (var i = 0; i < steps.Count; i++)
        {
            var before = steps[(i + steps.Count - 1) % steps.Count];
            if (steps[i].Access != CycleAccess.FailedCompareExchange) continue;
            if (before.Edge == CycleEdge.Po)
                return before.Access.IsWrite()
                    ? "FINDINGS.md 2: a failed compare-exchange's read is not ordered after an earlier store"
                    : "FINDINGS.md 4: a failed compare-exchange's read is not ordered after an earlier load";
            if (before.Edge == CycleEdge.Ctrl)
                return "FINDINGS.md 4: a failed compare-exchange's read is not ordered after an earlier load, a control dependency between or not";
        }
        return null;
    }

    /// <summary>A reason with what varies from test to test (thread numbers, operands) taken out, so that reasons group.</summary>
    public static string ReasonGroup(string reason)
    {
        var line = reason.Split('\n')[0];
        line = Regex.Replace(line, @"'(\S+)[^']*'", "'$1 …'");
        line = Regex.Replace(line, @"\bP\d+\b", "Pn");
        line = Regex.Replace(line, @"\bon [a-z]\b", "on a location");
        line = Regex.Replace(line, @"\b\d+:r\d+\b", "n:rn");
        return Regex.Replace(line, @"\b\d+\b", "n");
    }
}
