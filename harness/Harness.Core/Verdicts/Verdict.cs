using Harness.Language;
using Harness.Mapping;
using Harness.Running;
using Harness.Simulation;
using Harness.Simulation.Executions;

namespace Harness.Verdicts;

/// <summary>How an observed state stands against the predictions (jcstress's grading, for memory models).</summary>
public enum OutcomeClass
{
    /// <summary>Allowed by sequential consistency: an interleaving.</summary>
    Sc,

    /// <summary>Not SC, but allowed by the hardware model and by C++20: the interesting case.</summary>
    WeakAllowed,

    /// <summary>Forbidden by the hardware model for the code the JIT emits: a JIT bug, a hardware erratum or a model gap.</summary>
    ForbiddenHardware,

    /// <summary>Allowed by the hardware but forbidden by C++20: the mapping scheme is unsound.</summary>
    ForbiddenCpp20,
}

public static class OutcomeClassNames
{
    public static string ToJsonName(this OutcomeClass c) => c switch
    {
        OutcomeClass.Sc => "sc",
        OutcomeClass.WeakAllowed => "weak-allowed",
        OutcomeClass.ForbiddenHardware => "forbidden-hw",
        OutcomeClass.ForbiddenCpp20 => "forbidden-cpp20",
        _ => throw new ArgumentOutOfRangeException(nameof(c)),
    };

    public static bool IsForbidden(this OutcomeClass c) => c is OutcomeClass.ForbiddenHardware or OutcomeClass.ForbiddenCpp20;
}

public sealed record ObservedOutcome(FinalState State, long Count, OutcomeClass Class, bool SatisfiesCondition);

/// <summary>The simulator's predictions a run is judged against.</summary>
public sealed record Predictions(ModelResult Sc, ModelResult Hardware, ModelResult Cpp20)
{
    public IEnumerable<ModelResult> All => [Sc, Hardware, Cpp20];

    public static Predictions For(LitmusTest test, MappingScheme scheme, InstructionProfile profile)
    {
        var hardwareModel = ModelCatalog.HardwareModel(profile);
        var targets = new[]
        {
            ModelCatalog.Target(ModelCatalog.Sc),
            ModelCatalog.Target(hardwareModel, profile.Level == Simulation.Programs.ProgramLevel.Arm64 ? profile : null),
            ModelCatalog.Target(ModelCatalog.Cpp20),
        };
        var results = Simulator.Simulate(test, targets, new SimulationOptions { Scheme = scheme });
        return new Predictions(results[0], results[1], results[2]);
    }

    public OutcomeClass Classify(FinalState state)
    {
        if (!Hardware.States.Contains(state)) return OutcomeClass.ForbiddenHardware;
        // A racy test is undefined in C++: C++20 then promises nothing, so it forbids nothing.
        if (!Cpp20.Undefined && !Cpp20.States.Contains(state)) return OutcomeClass.ForbiddenCpp20;
        return Sc.States.Contains(state) ? OutcomeClass.Sc : OutcomeClass.WeakAllowed;
    }
}

/// <summary>A test's run judged: the histogram graded, the allowed states never seen, and the verdict.</summary>
public sealed record TestRun(
    LitmusTest Test,
    MappingScheme Scheme,
    MachineInfo Machine,
    RunOptions Options,
    Predictions Predicted,
    IReadOnlyList<ObservedOutcome> Histogram,
    IReadOnlyList<FinalState> AllowedUnseen,
    long Iterations,
    double Seconds,
    long DidNotTerminate,
    IReadOnlyList<string> Warnings,
    bool Interrupted,
    bool KernelFromCache)
{
    public bool ForbiddenObserved => Histogram.Any(o => o.Class.IsForbidden());
    /// <summary>Observations of states sequential consistency forbids, allowed or not.</summary>
    public long WeakCount => Histogram.Where(o => o.Class != OutcomeClass.Sc).Sum(o => o.Count);
    public long Positive => Histogram.Where(o => o.SatisfiesCondition).Sum(o => o.Count);
    public long Negative => Histogram.Where(o => !o.SatisfiesCondition).Sum(o => o.Count);

    /// <summary>litmus7's observation of the condition's proposition: Never, Sometimes or Always.</summary>
    public string Observation => Positive == 0 ? "Never" : Negative == 0 ? "Always" : "Sometimes";

    /// <summary>"forbidden" when a state some model forbids was observed (exit 1), else "ok".</summary>
    public string Verdict => ForbiddenObserved ? "forbidden" : "ok";

    public static TestRun Judge(LitmusTest test, MappingScheme scheme, MachineInfo machine, RunOptions options,
        Predictions predicted, RawRun raw, bool fromCache)
    {
        var histogram = raw.Counts
            .Select(p => new ObservedOutcome(p.Key, p.Value, predicted.Classify(p.Key), p.Key.Satisfies(test.Condition.Proposition)))
            .OrderBy(o => o.State)
            .ToList();
        var unseen = predicted.Hardware.States.Where(s => !raw.Counts.ContainsKey(s)).ToList();
        return new TestRun(test, scheme, machine, options, predicted, histogram, unseen, raw.Iterations, raw.Seconds,
            raw.DidNotTerminate, raw.Warnings, raw.Interrupted, fromCache);
    }
}
