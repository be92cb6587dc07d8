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

    /// <summary>
    /// Allowed by the hardware model for the code the JIT emits, forbidden by the .NET model for the
    /// .NET program that ran: the runtime broke a promise of its own memory model document.
    /// </summary>
    ForbiddenNet,
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
        OutcomeClass.ForbiddenNet => "forbidden-net",
        _ => throw new ArgumentOutOfRangeException(nameof(c)),
    };

    public static bool IsForbidden(this OutcomeClass c) => c is OutcomeClass.ForbiddenHardware or OutcomeClass.ForbiddenCpp20 or OutcomeClass.ForbiddenNet;

    /// <summary>Known not to be sequentially consistent: weak, allowed or not (a beyond-bound state may still be SC).</summary>
    public static bool IsWeak(this OutcomeClass c) => c.IsForbidden() || c == OutcomeClass.WeakAllowed;
}

public sealed record ObservedOutcome(FinalState State, long Count, OutcomeClass Class, bool SatisfiesCondition);

/// <summary>
/// What the hardware model of a target this machine is not allows for the test, as the scheme maps it
/// there: a prediction shown beside the observation, never observed here and never used to grade it.
/// <see cref="Source"/> says where the code the model judged came from: <c>table</c>, the instruction
/// table of docs/mapping.md for <see cref="Profile"/> (the code the JIT emits there was not read).
/// <see cref="WeakStates"/> are the <see cref="States"/> that sequential consistency forbids.
/// </summary>
public sealed record ElsewherePrediction(
    InstructionProfile Profile,
    string Source,
    bool ConditionHolds,
    long CutExecutions,
    IReadOnlyList<FinalState> States,
    IReadOnlyList<FinalState> WeakStates)
{
    public const string TableSource = "table";

    /// <summary>The model's name as run.json's "predicted" keys spell it: <c>tso</c> or <c>arm64</c>.</summary>
    public string Model => ModelCatalog.HardwareModel(Profile).Name;

    /// <summary>herd7's Ok / No for the condition as written, as DESIGN.md's JSON contract spells it.</summary>
    public string Verdict => ConditionHolds ? "allowed" : "forbidden";

    /// <summary>"arm64 (v8.0)", "tso": the target as the simulator names it.</summary>
    public string Target => ModelCatalog.Target(ModelCatalog.HardwareModel(Profile), Profile).ToString();

    /// <summary>
    /// The same model on the code the JIT really emits for the kernel on that target (read under qemu), when it was
    /// read: where it differs from the table's prediction, the JIT and docs/mapping.md disagree for this test.
    /// </summary>
    public CodePrediction? Code { get; init; }
}

/// <summary>
/// What a target's hardware model allows for the code its JIT emitted for the test's kernel: predicted from a
/// listing (read under qemu on an x64 machine), not observed. <see cref="NotJudged"/> says why there is no answer.
/// </summary>
public sealed record CodePrediction(
    string Target,
    string? NotJudged,
    bool ConditionHolds,
    IReadOnlyList<FinalState> States,
    IReadOnlyList<FinalState> WeakStates)
{
    public bool Judged => NotJudged is null;

    /// <summary>The racing code as it was read: a herd7 litmus test in the target's assembly; null when not converted.</summary>
    public string? Herd { get; init; }

    /// <summary>herd7's Ok / No for the condition as written, as run.json spells it.</summary>
    public string Verdict => ConditionHolds ? "allowed" : "forbidden";
}

/// <summary>
/// The simulator's predictions a run is judged against, each complete up to the loop bound: SC, the
/// hardware model on the code the JIT emits, C++20 (n/a for a test written in C#) and the .NET model
/// on the .NET program that ran.
/// </summary>
public sealed record Predictions(ModelResult Sc, ModelResult Hardware, ModelResult Cpp20, ModelResult Net, int LoopBound)
{
    public IEnumerable<ModelResult> All => [Sc, Hardware, Cpp20, Net];

    /// <summary>
    /// The other hardware targets' predictions (x64 for an arm64 machine; the arm64 profiles but this
    /// machine's own): what the test would be allowed to show there. Empty when not asked for.
    /// </summary>
    public IReadOnlyList<ElsewherePrediction> Elsewhere { get; init; } = [];

    /// <summary>Every hardware profile the harness predicts for but the machine's own, in the reports' order.</summary>
    public static IReadOnlyList<InstructionProfile> ProfilesElsewhere(InstructionProfile own) =>
        new[] { InstructionProfile.X64 }.Concat(InstructionProfile.Arm64Profiles).Where(p => p.Name != own.Name).ToList();

    /// <summary>
    /// <see cref="Elsewhere"/> for a C test: the ARMv8 or x86-TSO model over each other profile's
    /// instruction table. A hardware test's instructions belong to one architecture, so it has none.
    /// </summary>
    public static IReadOnlyList<ElsewherePrediction> ForElsewhere(LitmusTest test, MappingScheme scheme, InstructionProfile own,
        IReadOnlyCollection<FinalState> scStates, int loopBound = 2)
    {
        if (test.IsHardwareTest) return [];
        var profiles = ProfilesElsewhere(own);
        var targets = profiles
            .Select(p => ModelCatalog.Target(ModelCatalog.HardwareModel(p), p))
            .ToList();
        var results = Simulator.Simulate(test, targets, new SimulationOptions { Scheme = scheme, LoopBound = loopBound });
        return profiles.Select((p, i) => new ElsewherePrediction(p, ElsewherePrediction.TableSource, results[i].ConditionHolds,
            results[i].CutExecutions, results[i].States, results[i].States.Where(s => !scStates.Contains(s)).ToList())).ToList();
    }

    /// <summary>Some model's set lacks the executions that need more loop iterations than the bound.</summary>
    public bool CutByLoopBound => All.Any(r => r.CutExecutions > 0);

    /// <param name="elsewhere">Also predict for every other hardware profile (<see cref="Elsewhere"/>).</param>
    public static Predictions For(LitmusTest test, MappingScheme scheme, InstructionProfile profile, int loopBound = 2, bool elsewhere = false)
    {
        var hardwareModel = ModelCatalog.HardwareModel(profile);
        var targets = new List<ModelTarget>
        {
            ModelCatalog.Target(ModelCatalog.Sc),
            ModelCatalog.Target(hardwareModel, profile.Level == Programs.ProgramLevel.Arm64 ? profile : null),
            ModelCatalog.Target(ModelCatalog.Cpp20),
            ModelCatalog.Target(ModelCatalog.Net),
        };
        if (!test.IsDotNetTest) targets.Add(ModelCatalog.Target(ModelCatalog.Cpp20));
        var results = Simulator.Simulate(test, targets, new SimulationOptions { Scheme = scheme, LoopBound = loopBound });
        var predictions = new Predictions(results[0], results[1], results[2], results[3], loopBound);
        return elsewhere
            ? predictions with { Elsewhere = ForElsewhere(test, scheme, profile, results[0].States.ToHashSet(), loopBound) }
            : predictions;
    }

    /// <summary>
    /// A state outside a model's set is forbidden by that model only when the set is complete: when
    /// the simulator cut executions at the loop bound, the state may just need more iterations.
    /// The .NET model is asked before C++20: when both forbid a state, the .NET program could not
    /// produce it, so the runtime is at fault, not the mapping from C++.
    /// </summary>
    public OutcomeClass Classify(FinalState state)
    {
        if (!Hardware.States.Contains(state)) return Hardware.CutExecutions > 0 ? OutcomeClass.BeyondBound : OutcomeClass.ForbiddenHardware;
        if (!Net.States.Contains(state)) return Net.CutExecutions > 0 ? OutcomeClass.BeyondBound : OutcomeClass.ForbiddenNet;
        // A racy test is undefined in C++: C++20 then promises nothing, so it forbids nothing; nor does it judge a C# test.
        if (Cpp20.NotApplicable is null && !Cpp20.Undefined && !Cpp20.States.Contains(state))
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

    /// <summary>
    /// The racing code as it was read and judged: a herd7 litmus test in the target's assembly (kept, unlike the JIT's
    /// whole listing, so that a report shows the code its verdict rests on); null when not converted.
    /// </summary>
    public string? Herd { get; init; }
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

    /// <summary>How many CPUs the runner placed the test's threads on; null when not recorded (older result files).</summary>
    public int? Cpus { get; init; }

    public int Threads => Test.Threads.Count;

    /// <summary>More threads than CPUs: they took turns, so the racing code rarely overlapped and "Never" says little.</summary>
    public bool Oversubscribed => Cpus is { } cpus && Threads > cpus;

    /// <summary>"oversubscribed: 3 threads on 2 CPUs", the words every report uses; null when not oversubscribed.</summary>
    public string? OversubscribedText => Oversubscribed ? $"oversubscribed: {Threads} threads on {Cpus} CPU{(Cpus == 1 ? "" : "s")}" : null;

    /// <summary>
    /// Whether the outcome the condition asks about was seen: a state satisfying the proposition
    /// for <c>exists</c> and <c>~exists</c>, one breaking it for <c>forall</c>.
    /// </summary>
    public bool WitnessSeen => Test.Condition.Quantifier == Quantifier.ForAll ? Negative > 0 : Positive > 0;

    /// <summary>The states the hardware model allows that would be the condition's witness.</summary>
    public IEnumerable<FinalState> AllowedWitnesses =>
        Predicted.Hardware.States.Where(s => s.Satisfies(Test.Condition.Proposition) != (Test.Condition.Quantifier == Quantifier.ForAll));

    /// <summary>
    /// Why a witness that was not seen could not have been, or hardly: the threads took turns, or the
    /// code the JIT emitted cannot produce any allowed witness. Empty when the witness was seen, or when
    /// nothing stood in its way (then "Never" means what it says, for as long as the run lasted).
    /// </summary>
    public IReadOnlyList<string> UnseenCaveats
    {
        get
        {
            if (WitnessSeen) return [];
            var caveats = new List<string>();
            if (OversubscribedText is { } turns) caveats.Add(turns);
            var witnesses = AllowedWitnesses.ToList();
            if (witnesses.Count > 0 && witnesses.All(Unobservable.Contains)) caveats.Add("not observable with the JIT's code");
            return caveats;
        }
    }

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
            raw.DidNotTerminate, raw.Warnings, raw.Interrupted, fromCache) { Cpus = raw.Cpus };
    }
}
