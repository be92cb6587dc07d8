using System.Collections.Concurrent;
using Harness.Catalogue;
using Harness.Language;
using Harness.Mapping;
using Harness.Simulation;
using Harness.Simulation.Executions;
using Harness.Programs;

namespace Harness.Tests.Shapes;

/// <summary>
/// The six targets every generated test is simulated on, and a cache of the results, so that the
/// property tests and the verdict table simulate each (test, scheme) once.
/// </summary>
internal static class ShapeSimulations
{
    public static readonly ModelTarget Sc = ModelCatalog.Target(ModelCatalog.Sc);
    public static readonly ModelTarget Tso = ModelCatalog.Target(ModelCatalog.Tso);
    public static readonly ModelTarget Arm64LseRcpc = ModelCatalog.Target(ModelCatalog.Arm64, InstructionProfile.Arm64LseRcpc);
    public static readonly ModelTarget Arm64V80 = ModelCatalog.Target(ModelCatalog.Arm64, InstructionProfile.Arm64V80);
    public static readonly ModelTarget Rc11 = ModelCatalog.Target(ModelCatalog.Rc11);
    public static readonly ModelTarget Cpp20 = ModelCatalog.Target(ModelCatalog.Cpp20);

    public static IReadOnlyList<ModelTarget> Targets { get; } = [Sc, Tso, Arm64LseRcpc, Arm64V80, Rc11, Cpp20];

    public static IReadOnlyList<ModelTarget> Hardware { get; } = [Tso, Arm64LseRcpc, Arm64V80];

    private static readonly ConcurrentDictionary<(string Test, string Scheme), Lazy<Results>> Cache = new();

    public static Results Of(GeneratedTest test, MappingScheme? scheme = null)
    {
        scheme ??= MappingScheme.DotNet;
        return Cache.GetOrAdd((test.Name, scheme.Name), _ => new Lazy<Results>(() =>
        {
            var parsed = LitmusParser.Parse(test.Text, test.Name + ".litmus");
            var results = Simulator.Simulate(parsed, Targets, new SimulationOptions { Scheme = scheme });
            return new Results(test, results);
        })).Value;
    }

    /// <summary>The results of one test on <see cref="Targets"/>, looked up by target.</summary>
    public sealed class Results(GeneratedTest test, IReadOnlyList<ModelResult> results)
    {
        public GeneratedTest Test => test;

        public ModelResult this[ModelTarget target] => results[IndexOf(target)];

        public IReadOnlySet<string> States(ModelTarget target) => this[target].States.Select(Show).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>A state as herd7 prints it (<c>0:r0=1; x=2;</c>): states of different programs compare as text.</summary>
    public static string Show(FinalState state) => state.ToString();

    public static string Name(ModelTarget target) => target.ToString();

    public static int IndexOf(ModelTarget target)
    {
        for (var i = 0; i < Targets.Count; i++)
            if (ReferenceEquals(Targets[i], target)) return i;
        throw new ArgumentException($"{target} is not one of the shape targets", nameof(target));
    }
}
