using System.CommandLine;
using Harness.Mapping;
using Harness.Programs;
using Harness.Reports;
using Harness.Simulation;

namespace Harness.Cli.Commands;

/// <summary>
/// <c>harness check FILE... [--profile P...] [--scheme S] [--json]</c>: every test × hardware target
/// whose code, judged by the hardware model, allows a state the .NET model forbids.
/// </summary>
public static class CheckCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("files")
        {
            Description = "Litmus files, or folders searched recursively for *.litmus",
            Arity = ArgumentArity.OneOrMore,
        };
        var profiles = new Option<string[]>("--profile", "-p")
        {
            Description = "arm64 instruction profiles to check (default: all four: lse-rcpc, lse, rcpc, v8.0); x64 is always checked",
            AllowMultipleArgumentsPerToken = true,
        };
        profiles.AcceptOnlyFromAmong(InstructionProfile.Arm64Profiles.Select(p => p.Name).ToArray());
        var scheme = new Option<string>("--scheme", "-s")
        {
            Description = "Mapping scheme from C++ orderings to .NET primitives, for C tests",
            DefaultValueFactory = _ => MappingScheme.DotNet.Name,
        };
        scheme.AcceptOnlyFromAmong(MappingScheme.All.Select(s => s.Name).ToArray());
        var json = new Option<bool>("--json") { Description = "One JSON object per broken promise, one per line" };
        var loopBound = new Option<int>("--loop-bound")
        {
            Description = "How many times a loop body may run before the path is cut",
            DefaultValueFactory = _ => 2,
        };

        var command = new Command("check",
            "List every test and target where the code the JIT emits allows a state the .NET memory model (net) forbids: a .NET promise broken")
        {
            files, profiles, scheme, json, loopBound,
        };
        command.SetAction(parse =>
        {
            var bound = parse.GetValue(loopBound);
            if (bound < 0)
            {
                Console.Error.WriteLine("harness: --loop-bound must be 0 or more");
                return ExitCodes.Usage;
            }
            var arm64 = parse.GetValue(profiles) is { Length: > 0 } names
                ? names.Distinct().Select(n => InstructionProfile.FindArm64(n)!).ToList()
                : InstructionProfile.Arm64Profiles.ToList();
            var options = new SimulationOptions { LoopBound = bound, Scheme = MappingScheme.Find(parse.GetValue(scheme)!)! };
            return Run(parse.GetValue(files)!, arm64, options, parse.GetValue(json));
        });
        return command;
    }

    private static int Run(string[] paths, IReadOnlyList<InstructionProfile> arm64, SimulationOptions options, bool json)
    {
        var loaded = LitmusInputs.Load(paths);
        var failed = loaded.Errors.Count > 0;
        foreach (var error in loaded.Errors) Console.Error.WriteLine(error);

        var targets = new List<ModelTarget> { ModelCatalog.Target(ModelCatalog.Tso) };
        targets.AddRange(arm64.Select(p => ModelCatalog.Target(ModelCatalog.Arm64, p)));
        var findings = new List<PromiseFinding>();
        var (checkedTests, skipped) = (0, 0);
        foreach (var test in loaded.Tests)
        {
            if (!Promises.Apply(test))
            {
                skipped++;
                continue;
            }
            try
            {
                foreach (var (target, check) in Promises.Find(test, arm64, options))
                {
                    if (!check.IsBroken) continue;
                    var finding = new PromiseFinding(test, target, check);
                    findings.Add(finding);
                    Console.Out.WriteLine(json ? PromiseReport.ToJsonLine(finding, options.Scheme.Name) : PromiseReport.Line(finding));
                }
                checkedTests++;
            }
            catch (SimulationException e)
            {
                Console.Error.WriteLine($"{test.SourceFile}: error: {e.Message}");
                failed = true;
            }
        }
        var summary = PromiseReport.Summary(checkedTests, skipped, targets, findings);
        if (json) Console.Error.WriteLine(summary);
        else Console.Out.WriteLine(summary);
        return failed ? ExitCodes.Usage : ExitCodes.Success;
    }
}
