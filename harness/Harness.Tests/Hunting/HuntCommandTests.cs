using Harness.Emitted;
using System.Text.Json;
using Harness.Hunting;
using Harness.Tests.Cli;

namespace Harness.Tests.Hunting;

/// <summary>
/// <c>harness hunt</c> as a user runs it: a handful of tests judged on this machine's code, the
/// counts in hunt.json, the summary beside it; and its own option checks.
/// </summary>
[NonParallelizable]
public class HuntCommandTests
{
    private string _folder = "";

    [SetUp]
    public void CreateFolder() => _folder = Path.Combine(Path.GetTempPath(), "harness-hunt-" + Guid.NewGuid().ToString("N"));

    [TearDown]
    public void RemoveFolder()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public void A_small_hunt_on_x64_writes_its_counts()
    {
        if (System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture != System.Runtime.InteropServices.Architecture.X64)
            Assert.Ignore("reads this machine's x64 code");

        var result = HarnessProcess.Run("hunt", "--arch", "x64", "--max-tests", "5", "--out", _folder, "--budget", "5m");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        using var hunt = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "hunt.json")));
        var root = hunt.RootElement;
        var target = root.GetProperty("targets").EnumerateObject().Single();
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("tests_generated").GetInt32(), Is.EqualTo(5));
            Assert.That(root.GetProperty("tests_of_size").GetProperty("4").GetInt32(), Is.EqualTo(5), "the smallest cycles come first");
            Assert.That(root.GetProperty("stopped").GetString(), Is.EqualTo(HuntStop.TestLimit));
            Assert.That(target.Name, Does.StartWith("x64"));
            Assert.That(target.Value.GetProperty("judged").GetInt32(), Is.EqualTo(5));
            Assert.That(target.Value.GetProperty("converted").GetInt32() + target.Value.GetProperty("not_converted").GetInt32(), Is.EqualTo(5));
            Assert.That(root.GetProperty("timings").GetProperty("tests_per_second").GetDouble(), Is.GreaterThan(0));
            Assert.That(File.ReadAllText(Path.Combine(_folder, "summary.md")), Does.Contain("5 tests generated and judged"));
            Assert.That(result.Stdout, Does.Contain("hunt: 5 tests"));
        });
    }

    [Test]
    public void A_hunt_under_several_configurations_judges_each_as_a_target_of_its_own()
    {
        if (System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture != System.Runtime.InteropServices.Architecture.X64)
            Assert.Ignore("reads this machine's x64 code");

        var result = HarnessProcess.Run("hunt", "--arch", "x64", "--jit", "all", "--max-tests", "3", "--out", _folder, "--budget", "5m");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        using var hunt = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "hunt.json")));
        var targets = hunt.RootElement.GetProperty("targets").EnumerateObject().ToList();
        string[] configurations = Harness.Emitted.ReadyToRunListing.FindCrossgen2() is null
            ? ["", ", tier0", ", tier1-pgo", ", osr"] : ["", ", tier0", ", tier1-pgo", ", osr", ", r2r"];
        Assert.Multiple(() =>
        {
            Assert.That(targets.Select(t => t.Name), Is.EqualTo(configurations.Select(c => "x64 (this machine)" + c)));
            Assert.That(targets.Select(t => t.Value.GetProperty("judged").GetInt32()), Is.All.EqualTo(3));
            Assert.That(targets.Select(t => t.Value.GetProperty("not_converted").GetInt32()), Is.All.EqualTo(0));
        });
    }

    [Test]
    public void A_configuration_that_cannot_be_read_on_a_target_leaves_that_target_out_with_its_reason()
    {
        var arm64Tier0 = ListingTarget.QemuArm64V80.Under(JitConfiguration.Tier0, named: true, out var tier0Reason);
        var x64Unreadable = ListingTarget.Host(Harness.Mapping.InstructionProfile.X64).Under(
            JitConfiguration.Tier0 with { Unavailable = "not here" }, named: true, out var unreadableReason);
        var x64R2r = ListingTarget.Host(Harness.Mapping.InstructionProfile.X64).Under(JitConfiguration.ReadyToRun, named: true, out _);
        var fullOpts = ListingTarget.QemuArm64V80.Under(JitConfiguration.FullOpts, named: true, out var noReason);

        Assert.Multiple(() =>
        {
            Assert.That(arm64Tier0!.Name, Is.EqualTo(ListingTarget.QemuArm64V80.Name + ", tier0"));
            Assert.That(tier0Reason, Is.Null);
            Assert.That(x64Unreadable, Is.Null);
            Assert.That(unreadableReason, Is.EqualTo("not here"));
            Assert.That(fullOpts!.Name, Is.EqualTo(ListingTarget.QemuArm64V80.Name), "fullopts keeps the target's own name");
            Assert.That(noReason, Is.Null);
            if (ReadyToRunListing.FindCrossgen2() is not null)
            {
                Assert.That(x64R2r!.Name, Does.EndWith(", r2r"));
                Assert.That(ListingTarget.QemuArm64V80.Under(JitConfiguration.ReadyToRun, named: true, out var r2rReason), Is.Null);
                Assert.That(r2rReason, Does.Contain("LSE"));
                Assert.That(ListingTarget.QemuArm64LseRcpc.Under(JitConfiguration.ReadyToRun, named: true, out _)!.Name,
                    Is.EqualTo("arm64 lse-rcpc (crossgen2 --instruction-set armv8-a,lse,rcpc), r2r"));
            }
        });
    }

    [Test]
    public void A_hunt_over_every_arm64_profile_judges_each_as_a_target_of_its_own()
    {
        if (JitListing.FindQemu() is null || JitListing.FindArm64Build(null) is null)
            Assert.Ignore("needs qemu-aarch64-static and the linux-arm64 build (HARNESS_ARM64_BUILD or artifacts/linux-arm64)");

        var result = HarnessProcess.Run("hunt", "--arch", "arm64", "--profiles", "all", "--max-tests", "1", "--out", _folder, "--budget", "5m");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
        using var hunt = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "hunt.json")));
        var targets = hunt.RootElement.GetProperty("targets").EnumerateObject().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(targets.Select(t => t.Name), Is.EqualTo(ListingTarget.QemuArm64(allProfiles: true).Select(t => t.Name)));
            Assert.That(targets.Select(t => t.Value.GetProperty("judged").GetInt32()), Is.All.EqualTo(1));
            Assert.That(targets.Select(t => t.Value.GetProperty("not_converted").GetInt32()), Is.All.EqualTo(0));
        });
    }

    [Test]
    public void A_target_whose_code_cannot_be_read_ends_the_hunt_in_one_line_keeping_what_was_judged()
    {
        if (System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture != System.Runtime.InteropServices.Architecture.X64 || OperatingSystem.IsWindows())
            Assert.Ignore("reads this machine's x64 code, with a shell script for crossgen2");
        Directory.CreateDirectory(_folder);
        // A crossgen2 that crashes as the real one did when a build rewrote a pdb it was reading: an error, then its stack.
        var crossgen2 = Path.Combine(_folder, "crossgen2");
        File.WriteAllText(crossgen2, "#!/bin/sh\necho 'Error: The process cannot access the file' >&2\necho '   at ILCompiler.Program.Run() + 0xdc9' >&2\nexit 1\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(crossgen2, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var output = Path.Combine(_folder, "hunt");

        var result = HarnessProcessWithEnvironment.Run(
            new Dictionary<string, string> { ["HARNESS_CROSSGEN2"] = crossgen2, ["HARNESS_CACHE"] = Path.Combine(_folder, "cache") },
            "hunt", "--arch", "x64", "--jit", "r2r", "--max-tests", "3", "--out", output, "--budget", "5m");

        using var hunt = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "hunt.json")));
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.Stderr);
            Assert.That(result.Stderr, Does.Contain("harness hunt: the code could not be read: ").And.Contain("Error: The process cannot access the file"));
            Assert.That(result.Stderr, Does.Not.Contain("ILCompiler").And.Not.Contain("internal error"));
            Assert.That(hunt.RootElement.GetProperty("stopped").GetString(), Does.StartWith(HuntStop.ListingFailed));
            Assert.That(hunt.RootElement.GetProperty("tests_generated").GetInt32(), Is.Zero, "the batch that failed is not counted");
        });
    }

    [Test]
    public void Every_target_and_configuration_saves_its_code_under_a_name_of_its_own()
    {
        var targets = ListingTarget.QemuArm64(allProfiles: true).Append(ListingTarget.Host(Harness.Mapping.InstructionProfile.X64))
            .SelectMany(machine => JitConfiguration.All.Select(configuration => machine with { Configuration = configuration }))
            .ToList();

        Assert.Multiple(() =>
        {
            Assert.That(targets.Select(t => t.FileTag()), Is.Unique);
            Assert.That(ListingTarget.QemuArm64V80.FileTag("padded"), Is.EqualTo("arm64-v8.0-cortex-a57.padded"));
            Assert.That((ListingTarget.QemuArm64LseRcpc with { Configuration = JitConfiguration.Tier0 }).FileTag(), Is.EqualTo("arm64-lse-rcpc.tier0"));
        });
    }

    [TestCase("--budget", "ten", "harness: --budget: 'ten' is not a duration")]
    [TestCase("--jit", "tier2", "harness: --jit: Argument 'tier2' not recognized")]
    [TestCase("--budget", "0", "harness: --budget: '0' is not a duration")]
    [TestCase("--budget", "5x", "harness: --budget: '5x' is not a duration")]
    [TestCase("--max-threads", "5", "harness: --max-threads must be 2, 3 or 4, not 5")]
    [TestCase("--max-tests", "0", "harness: --max-tests must be 1 or more, not 0")]
    [TestCase("--arch", "riscv", "harness: --arch: Argument 'riscv' not recognized")]
    [TestCase("--layout", "loose", "harness: --layout: Argument 'loose' not recognized")]
    [TestCase("--profiles", "some", "harness: --profiles: Argument 'some' not recognized")]
    public void A_bad_value_is_one_line_and_exit_2_before_any_work(string option, string value, string expectedStart)
    {
        var result = HarnessProcess.Run("hunt", "--out", _folder, option, value);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.Stderr);
            Assert.That(result.Stderr.Trim().Split('\n'), Has.Length.EqualTo(1), result.Stderr);
            Assert.That(result.Stderr, Does.StartWith(expectedStart));
            Assert.That(Directory.Exists(_folder), Is.False, "nothing written");
        });
    }

    [TestCase("90s", 90)]
    [TestCase("10m", 600)]
    [TestCase("1.5h", 5400)]
    [TestCase("45", 45)]
    public void A_budget_is_seconds_or_a_number_with_a_unit(string text, double seconds)
    {
        var parse = Harness.Cli.Program.CreateRootCommand().Parse(["hunt", "--budget", text]);
        var budget = parse.CommandResult.Command.Options.Single(o => o.Name == "--budget");

        Assert.That(parse.Errors, Is.Empty);
        Assert.That(parse.GetValue((System.CommandLine.Option<TimeSpan>)budget), Is.EqualTo(TimeSpan.FromSeconds(seconds)));
    }

    [Test]
    public void Two_interlocked_results_in_one_thread_make_a_finding_suspect()
    {
        var cycles = CycleGenerator.OfSize(6, 4);
        var twoResults = cycles.First(c => c.Name.StartsWith("Rcas+po+Radd", StringComparison.Ordinal) || c.Name.Contains("Rcas+po+Rcas", StringComparison.Ordinal));
        var sb = CycleGenerator.OfSize(6, 4).First(c => c.Name == "W+po+Rcas+Fre+W+po+Rcas+Fre");

        Assert.Multiple(() =>
        {
            Assert.That(Hunt.KnownConverterLimitation(twoResults), Is.Not.Null, twoResults.Name);
            Assert.That(Hunt.KnownConverterLimitation(sb), Is.Null);
        });
    }

    [Test]
    public void A_failed_compare_exchange_after_an_access_of_its_thread_is_a_known_finding_on_arm64_only()
    {
        var cycles = CycleGenerator.OfSize(6, 4).Concat(CycleGenerator.OfSize(7, 4)).ToDictionary(c => c.Name);

        Assert.Multiple(() =>
        {
            Assert.That(Hunt.KnownFinding(cycles["W+po+Rcas+Fre+W+po+Rcas+Fre"], "arm64"), Does.StartWith("FINDINGS.md 2"));
            Assert.That(Hunt.KnownFinding(cycles["R+po+Rcas+Fre+W+po+Wadd+Rfe"], "arm64"), Does.StartWith("FINDINGS.md 4"));
            // ARMv8 orders no read after a control dependency: the same finding.
            Assert.That(Hunt.KnownFinding(cycles["R+ctrl+Rcas+Fre+W+po+Wadd+Rfe"], "arm64"), Does.StartWith("FINDINGS.md 4"));
            // An address dependency does order the read: not this finding.
            Assert.That(Hunt.KnownFinding(cycles["R+addr+Rcas+Fre+W+po+Wadd+Rfe"], "arm64"), Is.Null);
            Assert.That(Hunt.KnownFinding(cycles["W+po+Rcas+Fre+W+po+Rcas+Fre"], "x64"), Is.Null, "x64's lock cmpxchg is a full fence: news there");
            // A barrier between orders the earlier access before the compare-exchange: not this finding.
            Assert.That(cycles.Values.Where(c => c.Name.StartsWith("W+mb+Rcas", StringComparison.Ordinal) && !c.Name.Contains("po+Rcas", StringComparison.Ordinal))
                .Select(c => Hunt.KnownFinding(c, "arm64")), Is.Not.Empty.And.All.Null);
        });
    }

    [Test]
    public void Reasons_group_without_their_thread_numbers_and_operands()
    {
        Assert.That(Hunt.ReasonGroup("P3: cannot read 'lock cmpxchg dword ptr [rdi+0x10], ecx'"),
            Is.EqualTo(Hunt.ReasonGroup("P0: cannot read 'lock cmpxchg dword ptr [rsi+0x90], edx'")));
    }
}
