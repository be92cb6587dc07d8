using Harness.Mapping;
using Harness.Programs;

namespace Harness.Simulation;

/// <summary>A primitive whose promise a broken state rests on and whose code on the target does not keep it.</summary>
public sealed record PromiseCause(DotNetPrimitive Primitive, string Code)
{
    public override string ToString() => $"{Primitive.CSharpName()} ({Code})";
}

/// <summary>
/// The states a hardware model allows for the code the JIT emits on one target that the .NET model
/// forbids for the .NET program it was compiled from: promises of the runtime's memory model that
/// this code does not keep. <see cref="Causes"/> names the primitives to blame (none when no single
/// one is); <see cref="WeakReadingForbids"/> says whether net-weak, the document's weakest reading,
/// forbids them too (null when it was not asked).
/// </summary>
public sealed record PromiseCheck(IReadOnlyList<FinalState> Broken, IReadOnlyList<PromiseCause> Causes, bool? WeakReadingForbids = null)
{
    public static readonly PromiseCheck Kept = new([], []);

    public bool IsBroken => Broken.Count > 0;

    public string CauseText => Causes.Count > 0
        ? string.Join("; ", Causes)
        : "no single primitive: no one promise the state rests on is repaired by a full barrier around its code";
}

public static class Promises
{
    /// <summary>Whether the .NET model judges the test, so that its hardware results can break its promises.</summary>
    public static bool Apply(LitmusTest test) => !test.IsHardwareTest;

    /// <summary>
    /// The results with every hardware model's promise check attached, the .NET model simulated for
    /// it when the results do not hold it already.
    /// </summary>
    public static IReadOnlyList<ModelResult> Attach(LitmusTest test, IReadOnlyList<ModelResult> results, SimulationOptions options)
    {
        if (!Apply(test) || !results.Any(IsHardware)) return results;
        var net = results.FirstOrDefault(r => r.Target.Model == ModelCatalog.Net)
            ?? Simulator.Simulate(test, [ModelCatalog.Target(ModelCatalog.Net)], options)[0];
        return results.Select(r => IsHardware(r) ? r with { Promises = Check(test, r, net, options) } : r).ToList();
    }

    /// <summary>
    /// Every hardware target's promise check for one test: x86-TSO on the x64 code, ARMv8 on each
    /// arm64 profile's, against net, with net-weak asked whether it forbids the broken states too.
    /// </summary>
    public static IReadOnlyList<(ModelTarget Target, PromiseCheck Check)> Find(LitmusTest test, IReadOnlyList<InstructionProfile> arm64Profiles,
        SimulationOptions options)
    {
        List<ModelTarget> hardware =
        [
            ModelCatalog.Target(ModelCatalog.Tso),
            .. arm64Profiles.Select(p => ModelCatalog.Target(ModelCatalog.Arm64, p)),
        ];
        var results = Simulator.Simulate(test,
            [.. hardware, ModelCatalog.Target(ModelCatalog.Net), ModelCatalog.Target(ModelCatalog.NetWeak)], options);
        var (net, weak) = (results[^2], results[^1]);
        return results.Take(hardware.Count).Select(r => (r.Target, Check(test, r, net, options, weak))).ToList();
    }

    public static bool IsHardware(ModelResult result) => result.Target.Model.Level is ProgramLevel.X64 or ProgramLevel.Arm64;

    /// <summary>
    /// Compares a hardware model's states with the .NET model's for the same test and options, and for
    /// the states only the hardware allows, finds the primitives whose code lets it.
    /// </summary>
    public static PromiseCheck Check(LitmusTest test, ModelResult hardware, ModelResult net, SimulationOptions options, ModelResult? weak = null)
    {
        var netStates = net.States.ToHashSet();
        var broken = hardware.States.Where(s => !netStates.Contains(s)).ToList();
        if (broken.Count == 0) return PromiseCheck.Kept;
        var profile = hardware.Target.Profile ?? throw new ArgumentException($"{hardware.Target} is not a hardware target", nameof(hardware));
        var weakForbids = weak is null ? (bool?)null : !broken.Any(weak.States.Contains);
        return new PromiseCheck(broken, Causes(test, hardware.Target.Model, profile, broken, options), weakForbids);
    }

    /// <summary>
    /// The primitives to blame. Two experiments per primitive the test uses (plain accesses promise
    /// no order their code could fail to keep): the .NET model without that primitive's promise
    /// allows a broken state (the state rests on the promise), and the code with the profile's full
    /// barrier on both sides of that primitive no longer allows it (its code is what lets the state
    /// through). A barrier already full, or a promise the state does not need, is never blamed.
    /// </summary>
    private static List<PromiseCause> Causes(LitmusTest test, Models.MemoryModel model, InstructionProfile profile,
        IReadOnlyList<FinalState> broken, SimulationOptions options)
    {
        var size = Size(Lowering.Lower(test, new MappedTarget(options.Scheme, profile)));
        var causes = new List<PromiseCause>();
        foreach (var primitive in Enum.GetValues<DotNetPrimitive>())
        {
            if (primitive is DotNetPrimitive.PlainLoad or DotNetPrimitive.PlainStore) continue;
            var fenced = Lowering.Lower(test, new MappedTarget(options.Scheme, profile, primitive));
            if (Size(fenced) == size) continue;
            var withoutPromise = Simulator.States(Lowering.Lower(test, new DotNetTarget(options.Scheme, primitive)), ModelCatalog.Net, options);
            if (!broken.Any(withoutPromise.Contains)) continue;
            var repaired = Simulator.States(fenced, model, options);
            if (broken.Any(s => !repaired.Contains(s))) causes.Add(new PromiseCause(primitive, profile.CodeOf(primitive)));
        }
        return causes;
    }

    private static int Size(EventProgram program) => program.Threads.Sum(t => t.Code.Count);
}
