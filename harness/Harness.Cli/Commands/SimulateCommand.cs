using System.CommandLine;
using Harness.Mapping;
using Harness.Reports;
using Harness.Simulation;
using Harness.Programs;
using Harness.Formatting;

namespace Harness.Cli.Commands;

/// <summary><c>harness simulate FILE... [--model M...] [--profile P...] [--scheme S] [--json]</c></summary>
public static class SimulateCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("files")
        {
            Description = "Litmus files, or folders searched recursively for *.litmus",
            Arity = ArgumentArity.OneOrMore,
        };
        var models = new Option<string[]>("--model", "-m")
        {
            Description = "Models to simulate: sc, tso, arm64, rc11, cpp20, net, net-weak (default: all but net-weak)",
            AllowMultipleArgumentsPerToken = true,
        };
        models.AcceptOnlyFromAmong(ModelCatalog.All.Select(m => m.Name).ToArray());
        var profiles = new Option<string[]>("--profile", "-p")
        {
            Description = "arm64 instruction profiles: lse-rcpc (LSE atomics, LDAPR), v8.0 (exclusives, LDAR) (default: lse-rcpc)",
            AllowMultipleArgumentsPerToken = true,
        };
        profiles.AcceptOnlyFromAmong(InstructionProfile.Arm64Profiles.Select(p => p.Name).ToArray());
        var scheme = new Option<string>("--scheme", "-s")
        {
            Description = "Mapping scheme from C++ orderings to .NET primitives, for the hardware and .NET models",
            DefaultValueFactory = _ => MappingScheme.DotNet.Name,
        };
        scheme.AcceptOnlyFromAmong(MappingScheme.All.Select(s => s.Name).ToArray());
        var json = new Option<bool>("--json") { Description = "One JSON object per test and model, one per line" };
        var stats = new Option<bool>("--stats") { Description = "Print each test's candidate executions and simulation time to standard error" };
        var loopBound = new Option<int>("--loop-bound")
        {
            Description = "How many times a loop body may run before the path is cut",
            DefaultValueFactory = _ => 2,
            HelpName = "count",
        };
        var maxExecutions = new Option<long>("--max-executions")
        {
            Description = "Stop a test with an error past this many candidate executions",
            DefaultValueFactory = _ => 5_000_000,
            HelpName = "count",
        };

        var command = new Command("simulate", "Predict the final states each memory model allows")
        {
            files, models, profiles, scheme, json, stats, loopBound, maxExecutions,
        };
        command.SetAction(parse =>
        {
            var modelNames = parse.GetValue(models) is { Length: > 0 } m ? m : ModelCatalog.Default.Select(x => x.Name).ToArray();
            var profileNames = parse.GetValue(profiles) is { Length: > 0 } p ? p : [InstructionProfile.Arm64LseRcpc.Name];
            var bound = parse.GetValue(loopBound);
            if (bound < 0)
            {
                Console.Error.WriteLine("harness: --loop-bound must be 0 or more");
                return ExitCodes.Usage;
            }
            var options = new SimulationOptions
            {
                LoopBound = bound,
                MaxExecutions = parse.GetValue(maxExecutions),
                Scheme = MappingScheme.Find(parse.GetValue(scheme)!)!,
            };
            var targets = Targets(modelNames.Distinct(), profileNames.Distinct());
            return Run(parse.GetValue(files)!, targets, options, parse.GetValue(json), parse.GetValue(stats));
        });
        return command;
    }

    private static List<ModelTarget> Targets(IEnumerable<string> modelNames, IEnumerable<string> profileNames)
    {
        var targets = new List<ModelTarget>();
        foreach (var model in ModelCatalog.All.Where(m => modelNames.Contains(m.Name)))
        {
            if (model == ModelCatalog.Arm64)
                targets.AddRange(profileNames.Select(p => ModelCatalog.Target(model, InstructionProfile.FindArm64(p))));
            else
                targets.Add(ModelCatalog.Target(model));
        }
        return targets;
    }

    private static int Run(string[] paths, List<ModelTarget> targets, SimulationOptions options, bool json, bool stats)
    {
        StartupTrace.Mark("simulate: options read");
        var loaded = LitmusInputs.Load(paths);
        StartupTrace.Mark("simulate: tests parsed");
        var failed = loaded.Errors.Count > 0;
        foreach (var error in loaded.Errors) Console.Error.WriteLine(error);

        var output = new System.Text.StringBuilder();
        var skippedForDotNet = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var test in loaded.Tests)
        {
            IReadOnlyList<ModelResult> results;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            // A hardware test (X86, AArch64) is judged by its own architecture's model only.
            var applicable = Simulator.ApplicableModels(test).ToHashSet();
            var testTargets = test.IsHardwareTest
                ? targets.Where(t => applicable.Contains(t.Model)).Select(t => t.Model).Distinct().Select(m => new ModelTarget(m, null)).ToList()
                : targets.Where(t => applicable.Contains(t.Model)).ToList();
            // A C# test has no C++ program: C++'s models are left out, and said to be.
            if (test.IsDotNetTest && testTargets.Count > 0)
                foreach (var model in targets.Select(t => t.Model).Where(m => !applicable.Contains(m))) skippedForDotNet.Add(model.Name);
            if (testTargets.Count == 0)
            {
                Console.Error.WriteLine($"{test.SourceFile}: error: none of the requested models applies to a {test.Architecture} test " +
                    $"(use --model {string.Join(" or ", applicable.Select(m => m.Name))})");
                failed = true;
                continue;
            }
            try
            {
                results = Promises.Attach(test, Simulator.Simulate(test, testTargets, options), options);
                if (stats)
                    Console.Error.WriteLine(
                        $"{test.Name}: {Counted.Of(testTargets.Count, "model")}, " +
                        $"{Counted.Of(results.Where(r => r.NotApplicable is null).GroupBy(r => Simulator.ProgramKey(test, r.Target)).Sum(g => g.First().CandidateExecutions), "candidate execution")}, {clock.Elapsed.TotalMilliseconds:F1} ms");
            }
            catch (SimulationException e)
            {
                Console.Error.WriteLine($"{test.SourceFile}: error: {e.Message}");
                failed = true;
                continue;
            }
            StartupTrace.Mark("simulate: simulated");
            if (json)
                foreach (var result in results) output.AppendLine(SimulationJson.ToJsonLine(result, options.Scheme.Name));
            else
                output.AppendLine(SimulationTable.Render(results));
            Console.Out.Write(output);
            output.Clear();
        }
        if (skippedForDotNet.Count > 0)
            Console.Error.WriteLine($"note: {string.Join(", ", skippedForDotNet)} skipped for the C# tests: C++'s models know nothing of .NET primitives");
        return failed ? ExitCodes.Usage : ExitCodes.Success;
    }
}
