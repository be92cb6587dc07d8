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
        var plan = KernelGenerator.Generate(test, scheme, new KernelOptions(Packed: packed));
        var (image, _) = KernelCompiler.CompileImage(plan, cacheDirectory);
        return Analyze(plan, image, target, arm64Build);
    }

    /// <summary>
    /// Many tests on many targets: the entry point of <c>harness asm</c> over a folder and of
    /// <c>harness hunt</c>. Results come in the order of <paramref name="tests"/>, then of
    /// <paramref name="targets"/>; a test whose code cannot be read on a target is reported
    /// through <paramref name="failed"/> and left out, so that one bad kernel does not stop a hunt.
    /// </summary>
    public static IReadOnlyList<EmittedAnalysis> AnalyzeMany(IReadOnlyList<LitmusTest> tests, MappingScheme scheme, bool packed,
        IReadOnlyList<ListingTarget> targets, string? arm64Build = null, Action<LitmusTest, ListingTarget, Exception>? failed = null)
    {
        var analyses = new List<EmittedAnalysis>();
        foreach (var test in tests)
        {
            foreach (var target in targets)
            {
                try
                {
                    analyses.Add(Analyze(test, scheme, packed, target, arm64Build));
                }
                catch (Exception e) when (failed is not null && e is ListingUnavailableException or ListingFormatException or LitmusException)
                {
                    failed(test, target, e);
                }
            }
        }
        return analyses;
    }

    /// <summary>The code the JIT emits for this very kernel image (the one a run loaded), judged.</summary>
    public static EmittedAnalysis Analyze(KernelPlan plan, byte[] image, ListingTarget target, string? arm64Build = null)
    {
        var capture = JitListing.CaptureCached(target, image, plan.TypeName, arm64Build, TimeSpan.FromMinutes(3));
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
        var unexplained = RacingCodeAudit.Unexplained(sections, tableProgram, target.Architecture);
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
