using Harness.Mapping;
using Harness.Running;
using Harness.Simulation;
using Harness.Programs;

namespace Harness.Verdicts;

/// <summary>How an observed state stands against the predictions (jcstress's grading, for memory models).</summary>
public enum OutcomeClass
{
    /// <summary>Allowed by sequential consistency: an interleaving.</summary>
    Sc,

    /// <summary>Not SC, but allowed by the hardware model and by C++20: the interesting case.</summary>
    WeakAllowed,

    /// <summary>
    /// Outside a predicted set that is incomplete: the simulator cut executions at the loop bound,
    /// and the state may need more iterations than the bound allows (a loop that spun longer).
    /// Neither an alarm nor a known weak state; a larger --loop-bound decides.
    /// </summary>
    BeyondBound,

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
        OutcomeClass.BeyondBound => "beyond-bound",
        OutcomeClass.ForbiddenHardware => "forbidden-hw",
        OutcomeClass.ForbiddenCpp20 => "forbidden-cpp20",
        _ => throw new ArgumentOutOfRangeException(nameof(c)),
    };

    public static bool IsForbidden(this OutcomeClass c) => c is OutcomeClass.ForbiddenHardware or OutcomeClass.ForbiddenCpp20;

    /// <summary>Known not to be sequentially consistent: weak, allowed or not (a beyond-bound state may still be SC).</summary>
    public static bool IsWeak(this OutcomeClass c) => c is OutcomeClass.WeakAllowed or OutcomeClass.ForbiddenHardware or OutcomeClass.ForbiddenCpp20;
}

public sealed record ObservedOutcome(FinalState State, long Count, OutcomeClass Class, bool SatisfiesCondition);

/// <summary>The simulator's predictions a run is judged against, each complete up to the loop bound.</summary>
/// <param name="Cpp20">C++20's set; null for a C# test, which has no C++ program to judge.</param>
public sealed record Predictions(ModelResult Sc, ModelResult Hardware, ModelResult? Cpp20, int LoopBound)
{
    public IEnumerable<ModelResult> All => Cpp20 is null ? [Sc, Hardware] : [Sc, Hardware, Cpp20];

    /// <summary>Some model's set lacks the executions that need more loop iterations than the bound.</summary>
    public bool CutByLoopBound => All.Any(r => r.CutExecutions > 0);

    public static Predictions For(LitmusTest test, MappingScheme scheme, InstructionProfile profile, int loopBound = 2)
    {
        var hardwareModel = ModelCatalog.HardwareModel(profile);
        var targets = new List<ModelTarget>
        {
            ModelCatalog.Target(ModelCatalog.Sc),
            ModelCatalog.Target(hardwareModel, profile.Level == Programs.ProgramLevel.Arm64 ? profile : null),
        };
        if (!test.IsDotNetTest) targets.Add(ModelCatalog.Target(ModelCatalog.Cpp20));
        var results = Simulator.Simulate(test, targets, new SimulationOptions { Scheme = scheme, LoopBound = loopBound });
        return new Predictions(results[0], results[1], results.Count > 2 ? results[2] : null, loopBound);
    }

    /// <summary>
    /// A state outside a model's set is forbidden by that model only when the set is complete: when
    /// the simulator cut executions at the loop bound, the state may just need more iterations.
    /// </summary>
    public OutcomeClass Classify(FinalState state)
    {
        if (!Hardware.States.Contains(state)) return Hardware.CutExecutions > 0 ? OutcomeClass.BeyondBound : OutcomeClass.ForbiddenHardware;
        // A racy test is undefined in C++: C++20 then promises nothing, so it forbids nothing.
        if (Cpp20 is { Undefined: false } && !Cpp20.States.Contains(state))
            return Cpp20.CutExecutions > 0 ? OutcomeClass.BeyondBound : OutcomeClass.ForbiddenCpp20;
        if (Sc.States.Contains(state)) return OutcomeClass.Sc;
        return Sc.CutExecutions > 0 ? OutcomeClass.BeyondBound : OutcomeClass.WeakAllowed;
    }
}

/// <summary>
/// What the code the JIT emitted for the kernel that ran allows, beside the table's prediction.
/// <see cref="Unobservable"/>: states the table allows that this code can never produce (the JIT
/// merged or removed racing accesses), so "not seen" says nothing about them. <see cref="OnlyEmitted"/>:
/// states the code allows that the table forbids (a finding). <see cref="NotJudged"/> says why the
/// code could not be judged, in which case nothing is claimed either way. <see cref="Unexplained"/>:
/// instructions in the racing code that the test's own primitives do not explain — the kernel
/// adding to the racing window, a defect of the harness that makes the run understate.
/// </summary>
public sealed record EmittedCodeCheck(
    string Target,
    string Profile,
    string? NotJudged,
    IReadOnlyList<FinalState> Unobservable,
    IReadOnlyList<FinalState> OnlyEmitted,
    IReadOnlyList<string> Causes,
    IReadOnlyList<string> Removed,
    IReadOnlyList<string> Unexplained)
{
    public bool Judged => NotJudged is null;
    public bool Finding => OnlyEmitted.Count > 0;
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
    IReadOnlyList<FinalState> Unobservable,
    EmittedCodeCheck? Emitted,
    long Iterations,
    double Seconds,
    long DidNotTerminate,
    IReadOnlyList<string> Warnings,
    bool Interrupted,
    bool KernelFromCache)
{
    public bool ForbiddenObserved => Histogram.Any(o => o.Class.IsForbidden());
    /// <summary>Observations of states sequential consistency forbids, allowed or not (beyond-bound ones are not known to be).</summary>
    public long WeakCount => Histogram.Where(o => o.Class.IsWeak()).Sum(o => o.Count);

    /// <summary>Observations of states outside predictions that the loop bound cut short.</summary>
    public long BeyondBoundCount => Histogram.Where(o => o.Class == OutcomeClass.BeyondBound).Sum(o => o.Count);
    public long Positive => Histogram.Where(o => o.SatisfiesCondition).Sum(o => o.Count);
    public long Negative => Histogram.Where(o => !o.SatisfiesCondition).Sum(o => o.Count);

    /// <summary>litmus7's observation of the condition's proposition: Never, Sometimes or Always.</summary>
    public string Observation => Positive == 0 ? "Never" : Negative == 0 ? "Always" : "Sometimes";

    /// <summary>"forbidden" when a state some model forbids was observed (exit 1), else "ok".</summary>
    public string Verdict => ForbiddenObserved ? "forbidden" : "ok";

    /// <param name="emitted">What the code the JIT emitted for the kernel allows, when it was read.</param>
    public static TestRun Judge(LitmusTest test, MappingScheme scheme, MachineInfo machine, RunOptions options,
        Predictions predicted, RawRun raw, bool fromCache, EmittedCodeCheck? emitted = null)
    {
        var histogram = raw.Counts
            .Select(p => new ObservedOutcome(p.Key, p.Value, predicted.Classify(p.Key), p.Key.Satisfies(test.Condition.Proposition)))
            .OrderBy(o => o.State)
            .ToList();
        var unobservable = emitted?.Unobservable.Where(s => !raw.Counts.ContainsKey(s)).ToList() ?? [];
        var unseen = predicted.Hardware.States.Where(s => !raw.Counts.ContainsKey(s) && !unobservable.Contains(s)).ToList();
        return new TestRun(test, scheme, machine, options, predicted, histogram, unseen, unobservable, emitted, raw.Iterations, raw.Seconds,
            raw.DidNotTerminate, raw.Warnings, raw.Interrupted, fromCache);
    }
}
