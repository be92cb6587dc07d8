using Harness.Language;
using Harness.Mapping;
using Harness.Pipeline;
using Harness.Running;
using Harness.Tests.Support;
using Harness.Programs;

namespace Harness.Tests.Running;

/// <summary>Which CPUs the runner may use, and what it does when the OS will not pin a thread.</summary>
[NonParallelizable]
public class PinningTests
{
    private static readonly string Cache = Path.Combine(Path.GetTempPath(), "harness-test-kernels");

    [Test]
    public void The_allowed_cpus_are_what_the_kernel_says_this_process_may_use()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("reads /proc/self/status");
        var line = File.ReadLines("/proc/self/status").Single(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal));

        Assert.That(Affinity.Describe(Affinity.AllowedCpus()), Is.EqualTo(line["Cpus_allowed_list:".Length..].Trim()));
    }

    [TestCase(new[] { 0, 1, 2, 3, 6, 8, 9 }, "0-3,6,8-9")]
    [TestCase(new[] { 5 }, "5")]
    [TestCase(new[] { 3, 1, 2, 1 }, "1-3")]
    public void A_cpu_list_is_described_as_taskset_writes_it(int[] cpus, string described) =>
        Assert.That(Affinity.Describe(cpus), Is.EqualTo(described));

    [Test]
    public void A_cpu_the_os_refuses_leaves_the_run_unpinned_with_one_warning()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("pins with sched_setaffinity");
        var allowed = Affinity.AllowedCpus();
        // A CPU no machine this runs on has: sched_setaffinity refuses it with EINVAL, as a
        // restrictive cgroup refuses a CPU it left out.
        const int Refused = 8191;
        Assume.That(allowed, Does.Not.Contain(Refused));

        var run = RunPipeline.Run(LitmusParser.Parse(LitmusSamples.StoreBufferingRelaxed, "SB+rlx.litmus"), MappingScheme.DotNet,
            new RunOptions { Iterations = 20_000, Size = 100, Cpus = [allowed[0], Refused], Placement = PlacementMode.Vary },
            cacheDirectory: Cache);

        Assert.Multiple(() =>
        {
            Assert.That(run.Iterations, Is.EqualTo(20_000), "the run went on, over 200 rounds");
            Assert.That(run.Warnings.Where(w => w.Contains("pinning", StringComparison.Ordinal)), Has.Exactly(1).Items);
            Assert.That(run.Warnings, Has.One.StartsWith($"pinning a test thread to CPU {Refused} failed (sched_setaffinity: "));
            Assert.That(run.Warnings, Has.One.EndsWith("the threads ran unpinned from then on"));
        });
    }
}
