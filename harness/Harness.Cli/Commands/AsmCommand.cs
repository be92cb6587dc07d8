using System.CommandLine;
using Harness.Emitted;
using Harness.Formatting;
using Harness.Mapping;
using Harness.Programs;
using Harness.Reports;
using Harness.Running;
using Harness.Language.Source;

namespace Harness.Cli.Commands;

/// <summary>
/// <c>harness asm FILE... [--scheme S] [--arch x64|arm64] [--layout padded|packed]</c>: the
/// code the JIT really emits for each thread's racing section, beside the kernel's source, and
/// what that code allows under the hardware model compared with the mapping's instruction
/// table. On x64 the arm64 code comes from the linux-arm64 build under qemu, on qemu's default
/// CPU (LSE and RCpc) and on a Cortex-A57 (neither). Exit 1 when the emitted code allows a state
/// the table forbids.
/// </summary>
public static class AsmCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("files") { Description = "Litmus files or folders", Arity = ArgumentArity.OneOrMore };
        var scheme = new Option<string>("--scheme", "-s")
        {
            Description = "Mapping scheme from C++ orderings to .NET primitives",
            DefaultValueFactory = _ => MappingScheme.DotNet.Name,
        };
        scheme.AcceptOnlyFromAmong(MappingScheme.All.Select(s => s.Name).ToArray());
        var arch = new Option<string>("--arch")
        {
            Description = "Whose code to read: x64 (this machine's JIT) or arm64 (the linux-arm64 build under qemu, both CPU profiles)",
            DefaultValueFactory = _ => MachineInfo.Current.Architecture,
        };
        arch.AcceptOnlyFromAmong("x64", "arm64");
        var layout = new Option<string>("--layout")
        {
            Description = "padded: each location on its own cache line (the default run); packed: side by side, where the JIT may pair accesses",
            DefaultValueFactory = _ => "padded",
        };
        layout.AcceptOnlyFromAmong("padded", "packed");
        var arm64Build = new Option<string?>("--arm64-build")
        {
            Description = "Folder of the self-contained linux-arm64 harness (default: $HARNESS_ARM64_BUILD, else artifacts/linux-arm64)",
            HelpName = "folder",
        };
        var json = new Option<bool>("--json") { Description = "One JSON object per test and target, one per line" };
        var save = new Option<string?>("--save")
        {
            Description = "Folder to keep, per test and target, the JIT's whole listing and the emitted code as a herd7 litmus test",
            HelpName = "folder",
        };

        var jit = new Option<string>("--jit")
        {
            Description = "How the thread methods are compiled: " + string.Join("; ", JitConfiguration.All.Select(c => $"{c.Name}: {c.Description}")) +
                          "; all: each of them that can be read here",
            DefaultValueFactory = _ => JitConfiguration.FullOpts.Name,
        };
        jit.AcceptOnlyFromAmong([.. JitConfiguration.All.Select(c => c.Name), AllConfigurations]);
        var profiles = Arm64ProfilesOption.Create();

        var command = new Command("asm", "Show the code the JIT emits for each racing section and judge it against the mapping's table")
        {
            files, scheme, arch, layout, jit, profiles, arm64Build, json, save,
        };
        command.SetAction(parse => Run(parse.GetValue(files)!, MappingScheme.Find(parse.GetValue(scheme)!)!, parse.GetValue(arch)!,
            parse.GetValue(layout) == "packed", parse.GetValue(jit)!, Arm64ProfilesOption.AllOf(parse, profiles), parse.GetValue(arm64Build),
            parse.GetValue(json), parse.GetValue(save)));
        return command;
    }

    private const string AllConfigurations = "all";

    /// <summary>The configurations <c>--jit</c> names; one that cannot be read here is refused (null, with the reason said). A target's own limits are checked per target.</summary>
    private static IReadOnlyList<JitConfiguration>? Configurations(string name)
    {
        if (name == AllConfigurations)
        {
            foreach (var left in JitConfiguration.All.Where(c => c.Unavailable is not null))
                Console.Error.WriteLine($"harness asm: --jit all leaves out {left.Name}: {left.Unavailable}");
            return JitConfiguration.All.Where(c => c.Unavailable is null).ToList();
        }
        var configuration = JitConfiguration.Find(name)!;
        if (configuration.Unavailable is not { } reason) return [configuration];
        Console.Error.WriteLine($"harness asm: --jit {name} is not available: {reason}");
        return null;
    }

    private static int Run(string[] paths, MappingScheme scheme, string arch, bool packed, string jit, bool allProfiles, string? arm64Build,
        bool json, string? save)
    {
        if (Configurations(jit) is not { } configurations) return ExitCodes.Usage;
        var loaded = LitmusInputs.Load(paths);
        foreach (var error in loaded.Errors) Console.Error.WriteLine(error);
        if (loaded.Errors.Count > 0) return ExitCodes.Usage;
        var hardwareTests = loaded.Tests.Where(t => t.HardwareProgram is not null).ToList();
        foreach (var test in hardwareTests) Console.Error.WriteLine($"{test.SourceFile}: error: asm takes C tests; {test.Name} is already {test.Architecture} code");
        if (hardwareTests.Count > 0) return ExitCodes.Usage;

        if (arch == "x64" && MachineInfo.Current.Architecture != "x64")
        {
            Console.Error.WriteLine("harness asm: x64 code can only be read on an x64 machine (there is no x64 emulation here)");
            return ExitCodes.Usage;
        }
        IReadOnlyList<ListingTarget> machines = arch == MachineInfo.Current.Architecture
            ? [ListingTarget.Host(MachineInfo.Current.InstructionProfile)]
            : ListingTarget.QemuArm64(allProfiles);
        var targets = new List<ListingTarget>();
        foreach (var machine in machines)
            foreach (var configuration in configurations)
            {
                if (machine.Under(configuration, named: false, out var reason) is { } target) targets.Add(target);
                else Console.Error.WriteLine($"harness asm: --jit {configuration.Name} leaves out {machine.Name}: {reason}");
            }
        if (targets.Count == 0) return ExitCodes.Usage;
        var finding = false;
        var unreadable = false;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // A result's target is renamed after the profile its JIT really used: the tally goes by what was asked for.
        static ListingTarget Asked(ListingTarget target) => target with { Name = "", Profile = InstructionProfile.X64 };
        var tallies = targets.ToDictionary(Asked, _ => new AsmTally());
        void Print(EmittedAnalysis analysis)
        {
            finding |= analysis.JitWeakerThanTable || analysis.Unexplained.Count > 0;
            tallies[Asked(analysis.Target)].Add(analysis);
            if (save is not null) Save(save, analysis);
            Console.Out.Write(json ? EmittedReport.JsonLine(analysis) + "\n" : EmittedReport.Text(analysis) + "\n");
        }
        void Failed(LitmusTest test, ListingTarget target, Exception e)
        {
            unreadable = true;
            if (e is LitmusException litmus) foreach (var diagnostic in litmus.Diagnostics) Console.Error.WriteLine(diagnostic);
            else Console.Error.WriteLine($"harness asm: {test.Name}: cannot read the {target.Architecture} code: {e.Message}");
        }
        try
        {
            EmittedAnalyzer.AnalyzeMany(loaded.Tests, scheme, packed, targets, arm64Build, Failed, Print);
        }
        catch (Exception e) when (e is ListingUnavailableException or ListingFormatException)
        {
            Console.Error.WriteLine($"harness asm: cannot read the {targets[0].Architecture} code here: {e.Message}");
            return ExitCodes.Usage;
        }
        // The totals go where a reader of the output looks last: after the text, or beside (not inside) the JSON lines.
        var totals = json ? Console.Error : Console.Out;
        foreach (var target in targets)
            totals.WriteLine($"asm: {target.Name}, {target.Configuration.Name}: {tallies[Asked(target)]}");
        totals.WriteLine($"asm: {Counted.Of(loaded.Tests.Count, "test")} on {Counted.Of(targets.Count, "target")} in {clock.Elapsed.TotalSeconds:F1} s");
        if (unreadable) return ExitCodes.Usage;
        return finding ? ExitCodes.ForbiddenObserved : ExitCodes.Success;
    }

    /// <summary>
    /// One target's verdicts over the tests: where the code is weaker than the table (findings), stronger (a
    /// barrier the table does not predict: cost without need), not converted, or adds to the racing window.
    /// </summary>
    private sealed class AsmTally
    {
        private int _judged;
        private readonly List<string> _weaker = [];
        private readonly List<string> _stronger = [];
        private readonly List<string> _notConverted = [];
        private readonly List<string> _defects = [];

        public void Add(EmittedAnalysis analysis)
        {
            _judged++;
            if (analysis.JitWeakerThanTable) _weaker.Add(analysis.Test.Name);
            if (analysis.OnlyTable.Count > 0) _stronger.Add(analysis.Test.Name);
            if (analysis.NotConverted is not null) _notConverted.Add(analysis.Test.Name);
            if (analysis.Unexplained.Count > 0) _defects.Add(analysis.Test.Name);
        }

        public override string ToString() =>
            $"{Counted.Of(_judged, "test")}; weaker than the table (findings): {Named(_weaker)}; stronger than the table: {Named(_stronger)}; " +
            $"not converted: {Named(_notConverted)}; code the test does not explain: {Named(_defects)}";

        /// <summary>A count, with the names when there are few enough to read.</summary>
        private static string Named(List<string> tests) =>
            tests.Count == 0 ? "0" : tests.Count <= 6 ? $"{tests.Count} ({string.Join(", ", tests)})" : $"{tests.Count} ({string.Join(", ", tests.Take(5))}, ...)";
    }

    private static void Save(string folder, EmittedAnalysis analysis)
    {
        Directory.CreateDirectory(folder);
        var stem = $"{analysis.Test.Name}.{analysis.Target.FileTag(analysis.Packed ? "packed" : "padded")}";
        AtomicFile.WriteAllText(Path.Combine(folder, stem + ".listing.txt"), analysis.Listing);
        if (analysis.Emitted is { } emitted) AtomicFile.WriteAllText(Path.Combine(folder, stem + ".emitted.litmus"), emitted.HerdText);
    }
}
