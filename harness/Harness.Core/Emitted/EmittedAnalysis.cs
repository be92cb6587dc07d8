using Harness.Language.Source;
using Harness.Kernels;
using Harness.Mapping;
using Harness.Simulation;
using Harness.Simulation.Models;
using Harness.Programs;

namespace Harness.Emitted;

/// <summary>
/// What the JIT emitted for one test on one target, and what that code allows compared with
/// what the mapping's instruction table predicts. <see cref="OnlyEmitted"/> non-empty is a
/// finding of its own: a state the JIT made possible that the mapping forbids. <see cref="Unexplained"/>
/// lists instructions of the racing sections that the test's own primitives do not explain: the
/// kernel adding something to the racing window, which must never happen.
/// </summary>
public sealed record EmittedAnalysis(
    LitmusTest Test,
    MappingScheme Scheme,
    bool Packed,
    ListingTarget Target,
    KernelPlan Plan,
    string Listing,
    IReadOnlyList<RacingSectionListing> Sections,
    EmittedTest? Emitted,
    string? NotConverted,
    IReadOnlyList<FinalState> TableStates,
    IReadOnlyList<FinalState> EmittedStates,
    IReadOnlyList<string> Unexplained)
{
    public IReadOnlyList<FinalState> OnlyEmitted => EmittedStates.Except(TableStates).ToList();
    public IReadOnlyList<FinalState> OnlyTable => Emitted is null ? [] : TableStates.Except(EmittedStates).ToList();
    public bool JitWeakerThanTable => OnlyEmitted.Count > 0;
    public MemoryModel Model => ModelCatalog.HardwareModel(Target.Profile);
}

/// <summary>Kernel (listing build) → JIT listing in a child process → herd assembly → hardware model, beside the table's prediction.</summary>
public static class EmittedAnalyzer
{
    public static EmittedAnalysis Analyze(LitmusTest test, MappingScheme scheme, bool packed, ListingTarget target,
        string? arm64Build = null, string? cacheDirectory = null)
    {
        var plan = KernelGenerator.Generate(test, scheme, KernelOptionsFor(packed, target));
        var (image, _) = KernelCompiler.CompileImage(plan, cacheDirectory);
        return Analyze(plan, image, target, arm64Build);
    }

    /// <summary>How long a child may take over a few kernels (qemu starts slowly; a batch gets more).</summary>
    private static readonly TimeSpan ListingTimeout = TimeSpan.FromMinutes(3);

    /// <summary>The kernel a target reads: tiered configurations need thread methods tiering may compile.</summary>
    private static KernelOptions KernelOptionsFor(bool packed, ListingTarget target) =>
        new(Packed: packed, Tiered: target.Configuration.Tiered);

    /// <summary>
    /// Many tests on many targets: the entry point of <c>harness asm</c> over a folder and of
    /// <c>harness hunt</c>. The kernels are compiled in parallel, every target's uncached kernels are
    /// listed by one child of its own, the targets' children at once, and the code is judged in
    /// parallel as soon as its target's listing is there. Results come in the order of
    /// <paramref name="tests"/>, then of <paramref name="targets"/>, each handed to
    /// <paramref name="analysed"/> as soon as it and all before it are ready; a test whose code
    /// cannot be read on a target is reported through <paramref name="failed"/> (in the same order)
    /// and left out, so that one bad kernel does not stop a hunt. A target whose code cannot be read
    /// at all (no qemu, no arm64 build, a child that fails) throws <see cref="ListingUnavailableException"/>.
    /// <paramref name="stop"/> ends the children at once and throws <see cref="OperationCanceledException"/>.
    /// </summary>
    public static IReadOnlyList<EmittedAnalysis> AnalyzeMany(IReadOnlyList<LitmusTest> tests, MappingScheme scheme, bool packed,
        IReadOnlyList<ListingTarget> targets, string? arm64Build = null, Action<LitmusTest, ListingTarget, Exception>? failed = null,
        Action<EmittedAnalysis>? analysed = null, CancellationToken stop = default)
    {
        // Kernels: one per test and kind of kernel the targets need, Roslyn running in parallel.
        var kinds = targets.Select(t => KernelOptionsFor(packed, t)).Distinct().ToList();
        var kernels = new KernelOrError[kinds.Count, tests.Count];
        Parallel.For(0, kinds.Count * tests.Count, new ParallelOptions { CancellationToken = stop }, k =>
        {
            var (kind, test) = (k / tests.Count, k % tests.Count);
            kernels[kind, test] = CompileKernel(tests[test], scheme, kinds[kind]);
        });

        // Listings: per target one batch of the kernels compiled, the targets' children running concurrently.
        var listings = targets.Select(target => Task.Run(() =>
        {
            var kind = kinds.IndexOf(KernelOptionsFor(packed, target));
            var compiled = Enumerable.Range(0, tests.Count).Where(i => kernels[kind, i].Image is not null).ToList();
            var outcomes = JitListing.CaptureMany(target,
                compiled.Select(i => new ListingRequest(kernels[kind, i].Image!, kernels[kind, i].Plan!.TypeName)).ToList(), arm64Build, ListingTimeout, stop);
            var byTest = new ListingOutcome?[tests.Count];
            for (var j = 0; j < compiled.Count; j++) byTest[compiled[j]] = outcomes[j];
            return byTest;
        })).ToArray();

        // Judgements: in parallel, each as soon as its target's listing is there.
        var judgements = new List<(int Test, int Target, Task<AnalysisOrError> Judgement)>();
        for (var i = 0; i < tests.Count; i++)
        {
            for (var t = 0; t < targets.Count; t++)
            {
                var (test, target, kernel) = (i, targets[t], kernels[kinds.IndexOf(KernelOptionsFor(packed, targets[t])), i]);
                var listing = listings[t];
                judgements.Add((i, t, listing.ContinueWith(done => done.IsCompletedSuccessfully
                    ? JudgeOne(kernel, target, done.Result[test])
                    : new AnalysisOrError(null, null), TaskScheduler.Default)));
            }
        }

        var analyses = new List<EmittedAnalysis>();
        foreach (var (test, target, judgement) in judgements)
        {
            // A target whose child could not run fails the whole call, once, with its own reason.
            listings[target].GetAwaiter().GetResult();
            var (analysis, error) = judgement.GetAwaiter().GetResult();
            if (analysis is not null)
            {
                analyses.Add(analysis);
                analysed?.Invoke(analysis);
            }
            else if (failed is not null && error is ListingUnavailableException or ListingFormatException or LitmusException or KernelCompilationException)
                failed(tests[test], targets[target], error);
            else System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error!);
        }
        return analyses;
    }

    private sealed record KernelOrError(KernelPlan? Plan, byte[]? Image, Exception? Error);

    private sealed record AnalysisOrError(EmittedAnalysis? Analysis, Exception? Error);

    private static KernelOrError CompileKernel(LitmusTest test, MappingScheme scheme, KernelOptions options)
    {
        try
        {
            var plan = KernelGenerator.Generate(test, scheme, options);
            return new KernelOrError(plan, KernelCompiler.CompileImage(plan).Image, null);
        }
        catch (Exception e) when (e is LitmusException or KernelCompilationException)
        {
            return new KernelOrError(null, null, e);
        }
    }

    private static AnalysisOrError JudgeOne(KernelOrError kernel, ListingTarget target, ListingOutcome? listing)
    {
        if (kernel.Error is { } compileError) return new AnalysisOrError(null, compileError);
        try
        {
            var capture = listing!.Value;
            return new AnalysisOrError(Judge(kernel.Plan!, target.CompiledAs(capture.Profile), capture.Listing), null);
        }
        catch (Exception e) when (e is ListingUnavailableException or ListingFormatException or LitmusException)
        {
            return new AnalysisOrError(null, e);
        }
    }

    /// <summary>The code the JIT emits for this very kernel image (the one a run loaded), judged.</summary>
    public static EmittedAnalysis Analyze(KernelPlan plan, byte[] image, ListingTarget target, string? arm64Build = null, CancellationToken stop = default)
    {
        var capture = JitListing.CaptureCached(target, image, plan.TypeName, arm64Build, ListingTimeout, stop);
        return Judge(plan, target.CompiledAs(capture.Profile), capture.Listing);
    }

    /// <summary>The comparison alone, for a listing already read (tests feed recorded listings through here).</summary>
    public static EmittedAnalysis Judge(KernelPlan plan, ListingTarget target, string listing)
    {
        var marker = target.Architecture == "arm64" ? Kernels.Abi.RacingSection.Arm64Marker : Kernels.Abi.RacingSection.X64Marker;
        var sections = JitListingReader.Read(listing, marker);
        var test = plan.Test;
        var modelTarget = ModelCatalog.Target(ModelCatalog.HardwareModel(target.Profile), target.Profile.Level == ProgramLevel.Arm64 ? target.Profile : null);
        var table = Simulator.Simulate(test, [modelTarget], new SimulationOptions { Scheme = plan.Scheme })[0];
        var tableProgram = Lowering.Lower(test, new MappedTarget(plan.Scheme, target.Profile));
        var unexplained = RacingCodeAudit.Unexplained(sections, tableProgram, target.Architecture, target.Profile.MixesAcquireLoads);
        EmittedTest emitted;
        try
        {
            emitted = EmittedTestBuilder.Build(plan, tableProgram, sections, target.Architecture);
        }
        catch (UnsupportedEmittedCodeException e)
        {
            return new EmittedAnalysis(test, plan.Scheme, plan.Options.Packed, target, plan, listing, sections, null, e.Message, table.States, [], unexplained);
        }
        var result = Simulator.Simulate(emitted.Test, [modelTarget])[0];
        var states = new HashSet<FinalState>();
        foreach (var state in result.States)
        {
            if (emitted.MustBeZero.Any(k => state[k] != 0)) continue;
            states.Add(new FinalState(table.Observed, table.Observed.Select(k => state[emitted.SourceToEmitted[k]]).ToArray()));
        }
        var sorted = states.ToList();
        sorted.Sort();
        return new EmittedAnalysis(test, plan.Scheme, plan.Options.Packed, target, plan, listing, sections, emitted, null, table.States, sorted, unexplained);
    }
}
