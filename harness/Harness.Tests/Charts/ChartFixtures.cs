using Harness.Language;
using Harness.Mapping;
using Harness.Running;
using Harness.Simulation.Executions;
using Harness.Verdicts;
using Harness.Programs;

namespace Harness.Tests.Charts;

/// <summary>Hand-made runs for the charts: real predictions, histograms chosen here, on an x64 or an arm64 machine.</summary>
public static class ChartFixtures
{
    public static readonly MachineInfo X64 = new("x64", "Test CPU 9000", 2, "Linux 6.1", ".NET 10.0.0", "x64", "x64-test-cpu-9000-2c");

    public static readonly MachineInfo Arm64 =
        new("arm64", "Neoverse-N1", 4, "Linux 6.1", ".NET 10.0.0", InstructionProfile.Arm64LseRcpc.Name, "arm64-neoverse-n1-4c");

    public const string IriwRelaxed = """
        C IRIW+rlx
        { [x]=0; [y]=0; }
        P0 (atomic_int* x) { atomic_store_explicit(x, 1, memory_order_relaxed); }
        P1 (atomic_int* y) { atomic_store_explicit(y, 1, memory_order_relaxed); }
        P2 (atomic_int* x, atomic_int* y) {
          int r0 = atomic_load_explicit(x, memory_order_relaxed);
          int r1 = atomic_load_explicit(y, memory_order_relaxed);
        }
        P3 (atomic_int* x, atomic_int* y) {
          int r0 = atomic_load_explicit(y, memory_order_relaxed);
          int r1 = atomic_load_explicit(x, memory_order_relaxed);
        }
        exists (2:r0=1 /\ 2:r1=0 /\ 3:r0=1 /\ 3:r1=0)
        """;

    /// <summary>Message passing that also observes three locations: states of five values.</summary>
    public const string MessagePassingWithLocations = """
        C MP+rlx+locations
        { [payload]=0; [ready_flag]=0; [spare]=0; }
        P0 (atomic_int* payload, atomic_int* ready_flag) {
          atomic_store_explicit(payload, 1, memory_order_relaxed);
          atomic_store_explicit(ready_flag, 1, memory_order_relaxed);
        }
        P1 (atomic_int* payload, atomic_int* ready_flag) {
          int r0 = atomic_load_explicit(ready_flag, memory_order_relaxed);
          int r1 = atomic_load_explicit(payload, memory_order_relaxed);
        }
        locations [payload; ready_flag; spare;]
        exists (1:r0=1 /\ 1:r1=0)
        """;

    /// <summary>A run that saw every state the hardware model allows, each as often as <paramref name="count"/> says.</summary>
    public static TestRun RunAllowed(string litmus, MachineInfo machine, Func<FinalState, long> count)
    {
        var test = LitmusParser.Parse(litmus, FileName(litmus));
        var predicted = Predictions.For(test, MappingScheme.DotNet, machine.InstructionProfile);
        var histogram = predicted.Hardware.States.ToDictionary(s => s, count);
        foreach (var unseen in histogram.Where(p => p.Value == 0).Select(p => p.Key).ToList()) histogram.Remove(unseen);
        var raw = new RawRun(histogram, histogram.Values.Sum(), 0.5, 0, [], false);
        return TestRun.Judge(test, MappingScheme.DotNet, machine, new RunOptions(), predicted, raw, fromCache: false);
    }

    /// <param name="counts">Per observed state, its values in the order of the test's observed keys, and its count.</param>
    public static TestRun Run(string litmus, MachineInfo machine, IEnumerable<(long[] Values, long Count)> counts, MappingScheme? scheme = null)
    {
        scheme ??= MappingScheme.DotNet;
        var test = LitmusParser.Parse(litmus, FileName(litmus));
        var predicted = Predictions.For(test, scheme, machine.InstructionProfile);
        var observed = predicted.Sc.Observed;
        var histogram = counts.ToDictionary(c => new FinalState(observed, c.Values), c => c.Count);
        var raw = new RawRun(histogram, histogram.Values.Sum(), 0.5, 0, [], false);
        return TestRun.Judge(test, scheme, machine, new RunOptions(), predicted, raw, fromCache: false);
    }

    private static string FileName(string litmus) => litmus.Split('\n')[0].Trim()[2..] + ".litmus";

    /// <summary>Every IRIW state, with counts from 1 to millions: 16 long-labelled columns.</summary>
    public static TestRun IriwOnArm()
    {
        var counts = new List<(long[], long)>();
        long count = 3;
        for (var bits = 0; bits < 16; bits++)
        {
            long[] values = [(bits >> 3) & 1, (bits >> 2) & 1, (bits >> 1) & 1, bits & 1];
            if (values is [1, 0, 1, 0]) counts.Add((values, 1)); // the weak state, once
            else if (bits % 5 != 2) counts.Add((values, count *= 3)); // some allowed states never seen
        }
        return Run(IriwRelaxed, Arm64, counts);
    }

    /// <summary>
    /// A catalogue-sized run: <paramref name="tests"/> renamed copies of SB, their weak frequency spread from
    /// 15% down to one in a million and zero, every 37th with a forbidden state seen.
    /// </summary>
    public static IReadOnlyList<TestRun> Catalogue(int tests)
    {
        var relaxed = Run(Support.LitmusSamples.StoreBufferingRelaxed, X64, [([0, 0], 1), ([0, 1], 1), ([1, 0], 1)]);
        var seqCst = Run(Support.LitmusSamples.StoreBufferingSeqCst, X64, [([0, 0], 1), ([0, 1], 1), ([1, 0], 1)]);
        const long iterations = 1_000_000;
        var runs = new List<TestRun>();
        for (var i = 0; i < tests; i++)
        {
            var forbidden = i % 37 == 5;
            var template = forbidden ? seqCst : relaxed;
            // Frequencies from 15% down to 1e-6 along the catalogue, and every 11th test never weak.
            var weak = i % 11 == 3 ? 0 : Math.Max(1, (long)(0.15 * iterations * Math.Pow(1e-5 / 0.15 * 0.1, (double)(i % 23) / 22)));
            var states = template.Histogram.Select(o => o.State).ToList();
            var histogram = new List<ObservedOutcome>
            {
                new(states[0], weak, template.Histogram[0].Class, true),
                new(states[1], (iterations - weak) / 2, OutcomeClass.Sc, false),
                new(states[2], iterations - weak - (iterations - weak) / 2, OutcomeClass.Sc, false),
            };
            var name = $"{(i % 3 == 0 ? "MP" : i % 3 == 1 ? "SB" : "IRIW+poaa+addr")}+{i:D3}";
            runs.Add(template with
            {
                Test = template.Test with { Name = name },
                Histogram = histogram.Where(o => o.Count > 0).ToList(),
                Iterations = iterations,
            });
        }
        return runs;
    }
}
