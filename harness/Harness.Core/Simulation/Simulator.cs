using Harness.Mapping;
using Harness.Simulation.Executions;
using Harness.Simulation.Models;
using Harness.Programs;

namespace Harness.Simulation;

public sealed record SimulationOptions
{
    /// <summary>How many times a loop body may run before the path is cut (herd7's -unroll).</summary>
    public int LoopBound { get; init; } = 2;

    /// <summary>A test with more candidate executions than this stops with an error instead of running out of memory.</summary>
    public long MaxExecutions { get; init; } = 5_000_000;

    /// <summary>The mapping scheme through which the hardware models see the test.</summary>
    public MappingScheme Scheme { get; init; } = MappingScheme.DotNet;
}

/// <summary>
/// A model to simulate, and for the hardware models the instruction profile of the target
/// (x64 for tso; lse-rcpc or v8.0 for arm64).
/// </summary>
public sealed record ModelTarget(MemoryModel Model, InstructionProfile? Profile)
{
    public string? ProfileName => Model.Level == ProgramLevel.Arm64 ? Profile?.Name : null;
    public override string ToString() => ProfileName is null ? Model.Name : $"{Model.Name} ({ProfileName})";
}

/// <summary>The set of final states one model allows for one test, and the condition's verdict.</summary>
public sealed record ModelResult(
    LitmusTest Test,
    ModelTarget Target,
    IReadOnlyList<StateKey> Observed,
    IReadOnlyList<FinalState> States,
    bool ConditionHolds,
    bool Undefined,
    long CandidateExecutions,
    long CutExecutions)
{
    /// <summary>herd7's Ok / No, as DESIGN.md's JSON contract spells it.</summary>
    public string Verdict => ConditionHolds ? "allowed" : "forbidden";
}

public static class ModelCatalog
{
    public static readonly MemoryModel Sc = new SequentialConsistency();
    public static readonly MemoryModel Tso = new X86Tso();
    public static readonly MemoryModel Arm64 = new Armv8();
    public static readonly MemoryModel Rc11 = new Rc11();
    public static readonly MemoryModel Cpp20 = new Cpp20();

    public static IReadOnlyList<MemoryModel> All { get; } = [Sc, Tso, Arm64, Rc11, Cpp20];

    public static MemoryModel? Find(string name) => All.FirstOrDefault(m => m.Name == name);

    /// <summary>The model that judges code for an instruction profile: x86-TSO for x64, ARMv8 for arm64.</summary>
    public static MemoryModel HardwareModel(InstructionProfile profile) => profile.Level == ProgramLevel.X64 ? Tso : Arm64;

    /// <summary>The target a model is applied to, given the arm64 profile asked for.</summary>
    public static ModelTarget Target(MemoryModel model, InstructionProfile? arm64Profile = null) => model.Level switch
    {
        ProgramLevel.X64 => new ModelTarget(model, InstructionProfile.X64),
        ProgramLevel.Arm64 => new ModelTarget(model, arm64Profile ?? InstructionProfile.Arm64LseRcpc),
        _ => new ModelTarget(model, null),
    };
}

/// <summary>
/// Predicts, for each requested model, the exact set of final states a test may end in.
/// Models that judge the same program (the C++ source, or the code for one target) share one
/// enumeration of candidate executions.
/// </summary>
public static class Simulator
{
    public static IReadOnlyList<ModelResult> Simulate(LitmusTest test, IReadOnlyList<ModelTarget> targets, SimulationOptions? options = null)
    {
        options ??= new SimulationOptions();
        var results = new ModelResult?[targets.Count];
        foreach (var group in targets.Select((t, i) => (t, i)).GroupBy(p => ProfileFor(test, p.t)?.Name ?? "language"))
        {
            var members = group.ToList();
            var program = ProgramFor(test, members[0].t, options);
            var outcomes = members.Select(_ => new Outcome()).ToArray();
            var enumerator = new CandidateEnumerator(program, options.LoopBound, options.MaxExecutions);
            enumerator.Enumerate((execution, state, cut) =>
            {
                for (var m = 0; m < members.Count; m++)
                {
                    var judgement = members[m].t.Model.Judge(execution);
                    if (!judgement.IsConsistent) continue;
                    outcomes[m].Record(state, cut, judgement.Racy);
                }
            });
            for (var m = 0; m < members.Count; m++)
            {
                var states = outcomes[m].States.ToList();
                states.Sort();
                results[members[m].i] = new ModelResult(test, members[m].t, program.Observed, states,
                    Holds(test.Condition, states), outcomes[m].Racy, enumerator.Candidates, outcomes[m].Cut);
            }
        }
        return results.Select(r => r!).ToList();
    }

    /// <summary>
    /// The program a model judges: a C test lowered for the model's level (through the mapping
    /// scheme and profile for a hardware model); a hardware test's own instructions, which only
    /// the model of its architecture can judge.
    /// </summary>
    private static EventProgram ProgramFor(LitmusTest test, ModelTarget target, SimulationOptions options)
    {
        if (test.HardwareProgram is { } program)
        {
            if (program.Level != target.Model.Level)
                throw new SimulationException($"model {target.Model.Name} does not apply to {test.Architecture} test {test.Name}");
            return program;
        }
        if (test.IsDotNetTest && target.Model.Level == ProgramLevel.Language && target.Model != ModelCatalog.Sc)
            throw new SimulationException($"model {target.Model.Name} does not apply to {test.Architecture} test {test.Name}: " +
                "C++'s models know nothing of .NET primitives");
        var lowering = ProfileFor(test, target) is { } profile
            ? new MappedTarget(options.Scheme, profile)
            : (LoweringTarget)LanguageTarget.Instance;
        return Lowering.Lower(test, lowering);
    }

    /// <summary>
    /// The instructions a model judges a test through. SC looks at no annotation, only at which
    /// events there are: a C# test, which has no C++ program, is judged by SC on its x64 code,
    /// where each primitive is its own events (an Interlocked call a read and a write joined by rmw).
    /// </summary>
    private static InstructionProfile? ProfileFor(LitmusTest test, ModelTarget target) =>
        target.Profile ?? (test.IsDotNetTest && target.Model == ModelCatalog.Sc ? InstructionProfile.X64 : null);

    /// <summary>
    /// The models that can judge a test: all of them for C, its architecture's for a hardware test,
    /// all but C++'s (RC11, C++20) for a C# test, whose primitives C++ does not know.
    /// </summary>
    public static IEnumerable<MemoryModel> ApplicableModels(LitmusTest test) =>
        test.HardwareProgram is { } program ? ModelCatalog.All.Where(m => m.Level == program.Level)
        : test.IsDotNetTest ? ModelCatalog.All.Where(m => m.Level != ProgramLevel.Language || m == ModelCatalog.Sc)
        : ModelCatalog.All;

    /// <summary>herd7's Ok: exists P — some state satisfies P; ~exists P — none does; forall P — all do.</summary>
    public static bool Holds(FinalCondition condition, IReadOnlyCollection<FinalState> states) => condition.Quantifier switch
    {
        Quantifier.Exists => states.Any(s => s.Satisfies(condition.Proposition)),
        Quantifier.NotExists => !states.Any(s => s.Satisfies(condition.Proposition)),
        Quantifier.ForAll => states.All(s => s.Satisfies(condition.Proposition)),
        _ => throw new ArgumentOutOfRangeException(nameof(condition)),
    };

    public static bool Satisfies(this FinalState state, Proposition proposition) => proposition switch
    {
        AtomProposition atom => state.TryGet(atom.Key, out var value) && value == atom.Value,
        AndProposition and => state.Satisfies(and.Left) && state.Satisfies(and.Right),
        OrProposition or => state.Satisfies(or.Left) || state.Satisfies(or.Right),
        NotProposition not => !state.Satisfies(not.Operand),
        ImpliesProposition implies => !state.Satisfies(implies.Left) || state.Satisfies(implies.Right),
        ConstantProposition constant => constant.Value,
        _ => throw new ArgumentOutOfRangeException(nameof(proposition)),
    };

    private sealed class Outcome
    {
        public HashSet<FinalState> States { get; } = [];
        public long Cut { get; private set; }
        public bool Racy { get; private set; }

        public void Record(FinalState? state, bool cut, bool racy)
        {
            if (cut) Cut++;
            else if (state is not null) States.Add(state);
            Racy |= racy && !cut;
        }
    }
}
