using Harness.Language;
using Harness.Mapping;
using Harness.Running;
using Harness.Simulation.Executions;
using Harness.Verdicts;
using Harness.Programs;

namespace Harness.Tests.Reports;

/// <summary>Hand-made runs: real predictions from the simulator, a histogram chosen by the test.</summary>
public static class RunFixtures
{
    public static readonly string StoreBufferingRelaxed = Support.LitmusSamples.StoreBufferingRelaxed;
    public static readonly string StoreBufferingSeqCst = Support.LitmusSamples.StoreBufferingSeqCst;



    public static readonly MachineInfo Machine = new("x64", "Test CPU 9000", 2, "Linux 6.1", ".NET 10.0.0", "x64", "x64-test-cpu-9000-2c");

    /// <summary>SB's text with another condition line, e.g. <c>~exists (...)</c> or <c>forall (...)</c>.</summary>
    public static string StoreBufferingWith(string condition) =>
        StoreBufferingRelaxed.Replace(@"exists (0:r0=0 /\ 1:r0=0)", condition, StringComparison.Ordinal);

    /// <param name="counts">Per observed state, its values in the order of the test's observed keys, and its count.</param>
    public static TestRun Run(string litmus, IEnumerable<(long[] Values, long Count)> counts, MappingScheme? scheme = null,
        RunOptions? options = null, double seconds = 0.5, long didNotTerminate = 0, IReadOnlyList<string>? warnings = null,
        bool interrupted = false, string file = "SB.litmus", int? cpus = null, bool elsewhere = false)
    {
        scheme ??= MappingScheme.DotNet;
        var test = LitmusParser.Parse(litmus, file);
        var predicted = Predictions.For(test, scheme, InstructionProfile.X64, elsewhere: elsewhere);
        var observed = predicted.Sc.Observed;
        foreach (var (values, _) in counts)
            if (values.Length != observed.Count)
                throw new ArgumentException($"{test.Name} observes {string.Join(", ", observed)}: give one value for each", nameof(counts));
        var histogram = counts.ToDictionary(c => new FinalState(observed, c.Values), c => c.Count);
        var raw = new RawRun(histogram, histogram.Values.Sum() + didNotTerminate, seconds, didNotTerminate, warnings ?? [], interrupted, cpus);
        return TestRun.Judge(test, scheme, Machine, options ?? new RunOptions(), predicted, raw, fromCache: false);
    }

    /// <summary>SB with 100 weak outcomes out of 1000, and the state both stores precede never seen.</summary>
    public static TestRun StoreBufferingRun(RunOptions? options = null, bool interrupted = false) =>
        Run(StoreBufferingRelaxed, [([0, 0], 100), ([0, 1], 450), ([1, 0], 450)], options: options, interrupted: interrupted);
}
