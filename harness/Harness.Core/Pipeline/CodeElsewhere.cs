using Harness.Emitted;
using Harness.Kernels.Abi;
using Harness.Simulation;
using Harness.Verdicts;

namespace Harness.Pipeline;

/// <summary>
/// The arm64 predictions beside an x64 run, taken one step further: the code the arm64 JIT emits for each
/// test's kernel (the linux-arm64 build under qemu, on both CPU profiles), judged by the ARMv8 model and
/// attached to the table's prediction for the same profile. Predicted, never observed: qemu runs the code
/// but cannot show weak behaviour.
/// </summary>
public static class CodeElsewhere
{
    /// <summary>The targets whose code is read, one per arm64 profile the reports show.</summary>
    public static IReadOnlyList<ListingTarget> Targets { get; } = [ListingTarget.QemuArm64LseRcpc, ListingTarget.QemuArm64V80];

    /// <summary>Why the arm64 code cannot be read here, said before any test runs; null when it can.</summary>
    public static string? Unavailable(string? arm64Build) =>
        JitListing.FindQemu() is null
            ? $"{JitListing.Qemu} is not installed (scripts/setup-qemu-arm64.sh installs it on Debian)"
            : JitListing.FindArm64Build(arm64Build) is null
                ? "no linux-arm64 build of the harness: make one with `dotnet publish harness/Harness.Cli -c Release -r linux-arm64 " +
                  "--self-contained -o artifacts/linux-arm64`, or pass --arm64-build"
                : null;

    /// <summary>
    /// The runs with <see cref="ElsewherePrediction.Code"/> filled in for every C test on every arm64 profile whose
    /// code could be read; the others are returned as they were. <paramref name="warn"/> hears about a kernel
    /// that could not be listed. All runs of a suite share one scheme and layout, the ones the kernels are made with.
    /// </summary>
    public static IReadOnlyList<TestRun> Attach(IReadOnlyList<TestRun> runs, string? arm64Build, Action<string> warn, CancellationToken stop = default)
    {
        var readable = runs.Where(r => !r.Test.IsHardwareTest).ToList();
        if (readable.Count == 0) return runs;
        var scheme = readable[0].Scheme;
        var packed = readable[0].Options.Layout == MemoryLayout.Packed;
        var analyses = EmittedAnalyzer.AnalyzeMany(readable.Select(r => r.Test).ToList(), scheme, packed, Targets, arm64Build,
            failed: (test, target, error) => warn($"{test.Name}: the code on {target.Name} could not be read: {error.Message}"), stop: stop);
        var byTest = analyses.ToLookup(a => a.Test.Name);
        return runs.Select(run => byTest.Contains(run.Test.Name) ? WithCode(run, byTest[run.Test.Name]) : run).ToList();
    }

    private static TestRun WithCode(TestRun run, IEnumerable<EmittedAnalysis> analyses)
    {
        var byProfile = analyses.GroupBy(a => a.Target.Profile.Name).ToDictionary(g => g.Key, g => g.First());
        var scStates = run.Predicted.Sc.States.ToHashSet();
        var elsewhere = run.Predicted.Elsewhere
            .Select(p => byProfile.TryGetValue(p.Profile.Name, out var analysis) ? p with { Code = Prediction(run, analysis, scStates) } : p)
            .ToList();
        return run with { Predicted = run.Predicted with { Elsewhere = elsewhere } };
    }

    private static CodePrediction Prediction(TestRun run, EmittedAnalysis analysis, HashSet<Programs.FinalState> scStates)
    {
        if (analysis.NotConverted is { } reason) return new CodePrediction(analysis.Target.Name, reason, false, [], []);
        var states = analysis.EmittedStates;
        return new CodePrediction(analysis.Target.Name, null, Simulator.Holds(run.Test.Condition, states), states,
            states.Where(s => !scStates.Contains(s)).ToList()) { Herd = analysis.Emitted?.HerdText };
    }
}
