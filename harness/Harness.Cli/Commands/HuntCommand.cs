using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Harness.Emitted;
using Harness.Hunting;
using Harness.Reports;
using Harness.Running;

namespace Harness.Cli.Commands;

/// <summary>
/// <c>harness hunt [--budget 10m] [--max-threads 4] [--arch x64|arm64|both] [--jit CONFIGURATION|all] [--profiles default|all] [--out DIR] [--seed N]
/// [--layout padded|packed] [--max-tests N]</c>: a systematic hunt (issue 12 §4). Critical cycles
/// generated in order of size are judged, batch by batch, on the code the JIT emits for this
/// machine and, with arm64 or both, for the arm64 profiles under qemu, until the budget is spent.
/// Writes hunt.json, summary.md and found/ after each batch. Exit 1 when a new finding was made (not
/// suspect, not an instance of one FINDINGS.md documents), 0 otherwise, 130 when interrupted, 2 when a target's code could not
/// be read (what was judged before is kept either way).
/// </summary>
public static class HuntCommand
{
    public static Command Create()
    {
        var budget = new Option<TimeSpan>("--budget")
        {
            Description = "How long to hunt: seconds, or a number with s, m or h (90s, 10m, 1h); the batch under way is finished",
            DefaultValueFactory = _ => TimeSpan.FromMinutes(10),
            CustomParser = ParseBudget,
            HelpName = "duration",
        };
        var maxThreads = new Option<int>("--max-threads")
        {
            Description = "The most threads a generated cycle has (2 to 4)",
            DefaultValueFactory = _ => 4,
        };
        maxThreads.Validators.Add(result =>
        {
            if (OptionValues.TryGet<int>(result, out var threads) && threads is < 2 or > 4)
                result.AddError($"--max-threads must be 2, 3 or 4, not {threads}");
        });
        var arch = new Option<string>("--arch")
        {
            Description = "Whose code to judge: x64 (this machine's JIT), arm64 (the linux-arm64 build under qemu, both CPU profiles) or both",
            DefaultValueFactory = _ => MachineInfo.Current.Architecture,
        };
        arch.AcceptOnlyFromAmong("x64", "arm64", "both");
        var output = new Option<string>("--out", "-o")
        {
            Description = "Where hunt.json, summary.md and found/ go (default results/<machine-id>/hunt; $HARNESS_RESULTS_ROOT replaces results)",
            DefaultValueFactory = _ => Path.Combine(Environment.GetEnvironmentVariable("HARNESS_RESULTS_ROOT") is { Length: > 0 } root ? root : "results",
                MachineInfo.Current.Id, "hunt"),
            HelpName = "folder",
        };
        var seed = new Option<int?>("--seed") { Description = "Shuffle the tests of each size with this seed (default: generation order)" };
        var layout = new Option<string>("--layout")
        {
            Description = "padded: each location on its own cache line; packed: side by side, where the JIT may pair accesses",
            DefaultValueFactory = _ => "padded",
        };
        layout.AcceptOnlyFromAmong("padded", "packed");
        var maxTests = new Option<int?>("--max-tests") { Description = "Stop after this many tests" };
        maxTests.Validators.Add(result =>
        {
            if (OptionValues.TryGet<int?>(result, out var count) && count is < 1)
                result.AddError($"--max-tests must be 1 or more, not {count}");
        });
        var arm64Build = new Option<string?>("--arm64-build")
        {
            Description = "Folder of the self-contained linux-arm64 harness (default: $HARNESS_ARM64_BUILD, else artifacts/linux-arm64)",
            HelpName = "folder",
        };

        var jit = new Option<string>("--jit")
        {
            Description = "How the thread methods are compiled (as asm --jit): fullopts (what harness run runs), tier0, tier1-pgo, osr, r2r, " +
                          "or all: each that can be read for each target (each configuration is a target of its own)",
            DefaultValueFactory = _ => JitConfiguration.FullOpts.Name,
        };
        jit.AcceptOnlyFromAmong([.. JitConfiguration.All.Select(c => c.Name), "all"]);
        var profiles = Arm64ProfilesOption.Create();

        var command = new Command("hunt", "Generate critical cycles in order of size and judge the code the JIT emits for each, within a budget")
        {
            budget, maxThreads, arch, jit, profiles, output, seed, layout, maxTests, arm64Build,
        };
        command.SetAction(parse =>
        {
            var machines = Targets(parse.GetValue(arch)!, Arm64ProfilesOption.AllOf(parse, profiles), parse.GetValue(arm64Build), out var problem);
            if (machines is null)
            {
                Console.Error.WriteLine($"harness hunt: {problem}");
                return ExitCodes.Usage;
            }
            var targets = UnderConfigurations(machines, parse.GetValue(jit)!);
            if (targets is null) return ExitCodes.Usage;
            var folder = parse.GetValue(output)!;
            if (!AtomicFile.CanWriteIn(folder)) return ExitCodes.Usage;
            return Run(new HuntSettings(parse.GetValue(budget), parse.GetValue(maxThreads), targets, parse.GetValue(layout) == "packed",
                parse.GetValue(seed), parse.GetValue(maxTests), parse.GetValue(arm64Build), folder));
        });
        return command;
    }

    private static int Run(HuntSettings settings)
    {
        using var interruption = Interruption.Listen();
        Console.Error.WriteLine($"hunt: up to {settings.Budget.TotalMinutes:0.##} min on {string.Join(", ", settings.Targets.Select(t => t.Name))}; " +
                                $"results in {settings.OutputFolder}");
        var tally = new Hunt(settings).Run(interruption.Token, Console.Error.WriteLine);
        Console.Out.WriteLine(tally.ProgressLine());
        foreach (var finding in tally.Findings)
            Console.Out.WriteLine($"  {(finding.Suspect is not null ? "suspect" : finding.Known is not null ? "known" : "NEW FINDING")}: {finding.Cycle.Name} on {finding.Target} " +
                                  $"({finding.Kind}): {string.Join(" ", finding.States.Select(s => $"[{s}]"))}");
        if (tally.Interrupted) return interruption.ExitCode;
        if (tally.ListingFailure is { } failure)
        {
            Console.Error.WriteLine($"harness hunt: {HuntStop.ListingFailed}: {failure}; what was judged before is kept in {settings.OutputFolder}");
            return ExitCodes.Usage;
        }
        return tally.Findings.Any(f => f.IsNew) ? ExitCodes.ForbiddenObserved : ExitCodes.Success;
    }

    /// <summary>The listing targets <paramref name="arch"/> asks for, or null with what is missing to read their code here.</summary>
    private static IReadOnlyList<ListingTarget>? Targets(string arch, bool allProfiles, string? arm64Build, out string problem)
    {
        problem = "";
        var host = MachineInfo.Current.Architecture;
        var targets = new List<ListingTarget>();
        if (arch is "both" || arch == host) targets.Add(ListingTarget.Host(MachineInfo.Current.InstructionProfile));
        if (arch is "x64" && host != "x64")
        {
            problem = "x64 code can only be read on an x64 machine (there is no x64 emulation here)";
            return null;
        }
        if (arch is "arm64" or "both" && host != "arm64")
        {
            if (JitListing.FindQemu() is null)
            {
                problem = $"{JitListing.Qemu} is not installed, so the arm64 code cannot be read here (scripts/setup-qemu-arm64.sh installs it on Debian)";
                return null;
            }
            if (JitListing.FindArm64Build(arm64Build) is null)
            {
                problem = "no linux-arm64 build of the harness: make one with `dotnet publish harness/Harness.Cli -c Release -r linux-arm64 " +
                          "--self-contained -o artifacts/linux-arm64`, or pass --arm64-build";
                return null;
            }
            targets.AddRange(ListingTarget.QemuArm64(allProfiles));
        }
        return targets;
    }

    /// <summary>
    /// Each machine target under each configuration <paramref name="jit"/> names; with all, one that cannot be read on a
    /// target is left out with its reason; a single one that cannot be read on any is refused (null).
    /// </summary>
    private static List<ListingTarget>? UnderConfigurations(IReadOnlyList<ListingTarget> machines, string jit)
    {
        var configurations = jit == "all" ? JitConfiguration.All : [JitConfiguration.Find(jit)!];
        var targets = new List<ListingTarget>();
        var reasons = new List<string>();
        foreach (var machine in machines)
            foreach (var configuration in configurations)
            {
                if (machine.Under(configuration, named: true, out var reason) is { } target) targets.Add(target);
                else reasons.Add($"--jit {configuration.Name} leaves out {machine.Name}: {reason}");
            }
        foreach (var reason in reasons.Distinct()) Console.Error.WriteLine($"harness hunt: {reason}");
        return targets.Count > 0 ? targets : null;
    }

    /// <summary>"600" or "600s", "10m", "1.5h": a positive duration.</summary>
    private static TimeSpan ParseBudget(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value.Trim() : "";
        var unit = text.Length > 0 && char.IsLetter(text[^1]) ? char.ToLowerInvariant(text[^1]) : 's';
        var number = text.Length > 0 && char.IsLetter(text[^1]) ? text[..^1] : text;
        var seconds = unit switch { 's' => 1.0, 'm' => 60.0, 'h' => 3600.0, _ => double.NaN };
        if (double.IsNaN(seconds) || !double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            || !(value > 0) || !double.IsFinite(value * seconds) || value * seconds > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            result.AddError($"--budget: '{text}' is not a duration (write e.g. 600, 90s, 10m or 1h)");
            return TimeSpan.Zero;
        }
        return TimeSpan.FromSeconds(value * seconds);
    }
}
