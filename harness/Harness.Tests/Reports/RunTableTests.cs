using Harness.Mapping;
using Harness.Reports;

namespace Harness.Tests.Reports;

public class RunTableTests
{
    [Test]
    public void A_run_reads_like_jcstress_output()
    {
        var table = RunTable.Render(RunFixtures.StoreBufferingRun());

        Assert.That(table, Is.EqualTo("""
            Test SB+rlx: exists (0:r0=0 /\ 1:r0=0)    scheme dotnet, x64 (tso), hunt mode
              1,000 iterations in 0.50 s (2,000/s), 100 weak (200/s)
              state              count    frequency  class
            * 0:r0=0; 1:r0=0;    100      10.00%     weak-allowed
              0:r0=0; 1:r0=1;    450      45.00%     sc
              0:r0=1; 1:r0=0;    450      45.00%     sc
              allowed but not seen: 0:r0=1; 1:r0=1;
              verdict: ok — observation Sometimes (100 positive, 900 negative)

            """.Replace("\r\n", "\n")));
    }

    [Test]
    public void Columns_widen_for_large_counts_and_lines_have_no_trailing_blanks()
    {
        var run = RunFixtures.Run(RunFixtures.StoreBufferingRelaxed,
            [([0, 0], 123_087), ([0, 1], 437_154), ([1, 0], 435_494), ([1, 1], 4_265)], seconds: 0.46);

        var lines = RunTable.Render(run).Split('\n');

        Assert.Multiple(() =>
        {
            Assert.That(lines[1], Is.EqualTo("  1,000,000 iterations in 0.46 s (2,173,913/s), 123,087 weak (267,580/s)"));
            Assert.That(lines[2], Is.EqualTo("  state              count      frequency  class"));
            Assert.That(lines[3], Is.EqualTo("* 0:r0=0; 1:r0=0;    123,087    12.31%     weak-allowed"));
            Assert.That(lines[6], Is.EqualTo("  0:r0=1; 1:r0=1;    4,265      0.43%      sc"));
            Assert.That(lines, Has.None.Contains("allowed but not seen"));
            Assert.That(lines, Has.All.Not.EndWith(" "));
        });
    }

    [Test]
    public void Warnings_instances_that_did_not_terminate_and_an_interruption_are_shown()
    {
        var run = RunFixtures.Run(RunFixtures.StoreBufferingRelaxed, [([0, 1], 10)], didNotTerminate: 4,
            warnings: ["one CPU: the threads never run at the same time"], interrupted: true);

        var table = RunTable.Render(run);

        Assert.Multiple(() =>
        {
            Assert.That(table, Does.StartWith("Test SB+rlx: exists (0:r0=0 /\\ 1:r0=0)    scheme dotnet, x64 (tso), hunt mode (interrupted)\n"));
            Assert.That(table, Does.Contain("\n  did not terminate: 4\n"));
            Assert.That(table, Does.Contain("\n  warning: one CPU: the threads never run at the same time\n"));
            Assert.That(table, Does.Contain("\n  verdict: ok — observation Never (0 positive, 10 negative)\n"));
        });
    }

    [Test]
    public void A_forbidden_state_is_named_in_the_verdict()
    {
        var run = RunFixtures.Run(RunFixtures.StoreBufferingSeqCst, [([0, 0], 3), ([0, 1], 500)], scheme: MappingScheme.UnsoundSeqCst);

        var table = RunTable.Render(run);

        Assert.Multiple(() =>
        {
            Assert.That(table, Does.Contain("* 0:r0=0; 1:r0=0;    3        0.60%      forbidden-cpp20\n"));
            Assert.That(table, Does.Contain("\n  verdict: FORBIDDEN state observed: 0:r0=0; 1:r0=0; (forbidden-cpp20"));
            Assert.That(table, Does.Contain("scheme unsound-sc, x64 (tso)"));
            Assert.That(table, Does.Not.Contain("verdict: ok"));
        });
    }

    [Test]
    public void A_state_the_hardware_forbids_says_which_model_forbids_it()
    {
        var run = RunFixtures.Run(RunFixtures.StoreBufferingSeqCst, [([0, 0], 1)]);

        Assert.That(RunTable.Render(run), Does.Contain("verdict: FORBIDDEN state observed: 0:r0=0; 1:r0=0; (forbidden-hw: tso forbids it"));
    }
}
