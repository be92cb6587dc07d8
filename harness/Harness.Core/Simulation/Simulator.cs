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

    /// <summary>Whether the model judges a C test through a mapping scheme: the hardware models and the .NET ones.</summary>
    public bool UsesScheme => Model.Level != ProgramLevel.Language;
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
    /// <summary>Why the model cannot judge this test (C++'s models and a test written in C#); null when it did.</summary>
    public string? NotApplicable { get; init; }

    /// <summary>
    /// For a hardware model's result on a C or C# test: the states it allows that the .NET model forbids
    /// (<see cref="Simulation.Promises"/>); null when not checked.
    /// </summary>
    public PromiseCheck? Promises { get; init; }

    /// <summary>herd7's Ok / No, as DESIGN.md's JSON contract spells it; "n/a" for a model that does not apply.</summary>
    public string Verdict => NotApplicable is not null ? "n/a" : ConditionHolds ? "allowed" : "forbidden";
}

public static class ModelCatalog
{
    public static readonly MemoryModel Sc = new SequentialConsistency();
    public static readonly MemoryModel Tso = new X86Tso();
    public static readonly MemoryModel Arm64 = new Armv8();
    public static readonly MemoryModel Rc11 = new Rc11();
    public static readonly MemoryModel Cpp20 = new Cpp20();
    public static readonly MemoryModel Net = new DotNetModel(NetReading.Default);
    public static readonly MemoryModel NetWeak = new DotNetModel(NetReading.Weak);

    public static IReadOnlyList<MemoryModel> All { get; } = [Sc, Tso, Arm64, Rc11, Cpp20, Net, NetWeak];

    /// <summary>What simulate judges by default: every model but the weak reading of the .NET document, asked for by name.</summary>
    public static IReadOnlyList<MemoryModel> Default { get; } = [Sc, Tso, Arm64, Rc11, Cpp20, Net];

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
    /// <summary>The architecture name of a test written in C# with .NET primitives.</summary>
    public const string CSharpArchitecture = "CSharp";

    public static IReadOnlyList<ModelResult> Simulate(LitmusTest test, IReadOnlyList<ModelTarget> targets, SimulationOptions? options = null)
    {
        options ??= new SimulationOptions();
        var results = new ModelResult?[targets.Count];
        for (var i = 0; i < targets.Count; i++)
            if (NotApplicable(test, targets[i].Model) is { } reason)
                results[i] = new ModelResult(test, targets[i], Lowering.ObservedKeys(test), [], false, false, 0, 0) { NotApplicable = reason };
        foreach (var group in targets.Select((t, i) => (t, i)).Where(p => results[p.i] is null).GroupBy(p => ProgramKey(test, p.t)))
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

    /// <summary>The final states one model allows for a program already lowered (a variant of a test's code, say).</summary>
    public static IReadOnlySet<FinalState> States(EventProgram program, MemoryModel model, SimulationOptions? options = null)
    {
        options ??= new SimulationOptions();
        var states = new HashSet<FinalState>();
        new CandidateEnumerator(program, options.LoopBound, options.MaxExecutions).Enumerate((execution, state, cut) =>
        {
            if (!cut && state is not null && model.Judge(execution).IsConsistent) states.Add(state);
        });
        return states;
    }

    /// <summary>
    /// Why a model that judges C++ orders cannot judge a test written in C#, or null when it can: the
    /// test is answered "n/a" for it. (A hardware test and another architecture's model are an error.)
    /// </summary>
    public static string? NotApplicable(LitmusTest test, MemoryModel model) =>
        IsWrittenInCSharp(test) && model.Level == ProgramLevel.Language && model != ModelCatalog.Sc
            ? $"{model.Name} judges C++ orders, and a test written in C# names .NET primitives, which have none"
            : null;

    public static bool IsWrittenInCSharp(LitmusTest test) => test.Architecture == CSharpArchitecture;

    /// <summary>
    /// Which program a target judges, as a key: targets with the same key share one enumeration.
    /// The C++ source; the .NET primitives (which sc judges too for a test written in C#, whose
    /// primitives have no C++ meaning); or the code for one instruction profile.
    /// </summary>
    public static string ProgramKey(LitmusTest test, ModelTarget target) => target.Model.Level switch
    {
        ProgramLevel.DotNet => "dotnet",
        ProgramLevel.Language => IsWrittenInCSharp(test) ? "dotnet" : "language",
        _ => "profile " + target.Profile?.Name,
    };

    /// <summary>
    /// The program a model judges: a C test lowered for the model's level (through the mapping
    /// scheme, and the profile for a hardware model); a hardware test's own instructions, which only
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
        LoweringTarget lowering = ProgramKey(test, target) switch
        {
            "language" => LanguageTarget.Instance,
            "dotnet" => new DotNetTarget(options.Scheme),
            _ => new MappedTarget(options.Scheme, target.Profile ?? throw new SimulationException($"{target} names no instruction profile")),
        };
        return Lowering.Lower(test, lowering);
    }

    /// <summary>The models that can judge a test: all of them for C, all but C++'s for C#, its architecture's for a hardware test.</summary>
    public static IEnumerable<MemoryModel> ApplicableModels(LitmusTest test) =>
        test.HardwareProgram is { } program
            ? ModelCatalog.All.Where(m => m.Level == program.Level)
            : ModelCatalog.All.Where(m => NotApplicable(test, m) is null);

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
