using System.Text;
using System.Text.RegularExpressions;
using Harness.Language;
using Harness.Reports;
using Harness.Programs;

namespace Harness.Tests.Reports;

public class Litmus7LogTests
{
    private const string FakeHash = "0123456789abcdef0123456789abcdef";

    private static string Render(params Harness.Verdicts.TestRun[] runs) => Litmus7Log.Render(runs, _ => FakeHash);

    [Test]
    public void A_test_is_logged_exactly_as_litmus7_logs_it()
    {
        var run = RunFixtures.Run(RunFixtures.StoreBufferingRelaxed,
            [([0, 0], 123_087), ([0, 1], 437_154), ([1, 0], 435_494), ([1, 1], 4_265)], seconds: 0.456);

        Assert.That(Render(run), Is.EqualTo("""
            Test SB+rlx Allowed
            Histogram (4 states)
            123087*>0:r0=0; 1:r0=0;
            437154:>0:r0=0; 1:r0=1;
            435494:>0:r0=1; 1:r0=0;
            4265  :>0:r0=1; 1:r0=1;
            Ok

            Witnesses
            Positive: 123087, Negative: 876913
            Condition exists (0:r0=0 /\ 1:r0=0) is validated
            Hash=0123456789abcdef0123456789abcdef
            Observation SB+rlx Sometimes 123087 876913
            Time SB+rlx 0.46


            """.Replace("\r\n", "\n")));
    }

    [Test]
    public void An_exists_never_observed_is_not_validated()
    {
        var log = Render(RunFixtures.Run(RunFixtures.StoreBufferingRelaxed, [([0, 1], 7), ([1, 0], 3)]));

        Assert.Multiple(() =>
        {
            Assert.That(log, Does.Contain("\n7     :>0:r0=0; 1:r0=1;\n3     :>0:r0=1; 1:r0=0;\nNo\n"));
            Assert.That(log, Does.Contain("\nCondition exists (0:r0=0 /\\ 1:r0=0) is NOT validated\n"));
            Assert.That(log, Does.Contain("\nObservation SB+rlx Never 0 10\n"));
        });
    }

    [Test]
    public void A_not_exists_is_validated_when_its_proposition_is_never_observed()
    {
        var litmus = RunFixtures.StoreBufferingWith(@"~exists (0:r0=0 /\ 1:r0=0)");

        var never = Render(RunFixtures.Run(litmus, [([0, 1], 7), ([1, 0], 3)]));
        var sometimes = Render(RunFixtures.Run(litmus, [([0, 0], 1), ([1, 0], 3)]));

        Assert.Multiple(() =>
        {
            Assert.That(never, Does.StartWith("Test SB+rlx Allowed\n"));
            Assert.That(never, Does.Contain("\nOk\n\nWitnesses\nPositive: 0, Negative: 10\nCondition ~exists (0:r0=0 /\\ 1:r0=0) is validated\n"));
            Assert.That(never, Does.Contain("\nObservation SB+rlx Never 0 10\n"));
            Assert.That(sometimes, Does.Contain("\n1     *>0:r0=0; 1:r0=0;\n"));
            Assert.That(sometimes, Does.Contain("\nNo\n\nWitnesses\nPositive: 1, Negative: 3\nCondition ~exists (0:r0=0 /\\ 1:r0=0) is NOT validated\n"));
        });
    }

    [Test]
    public void A_forall_is_required_and_validated_when_every_outcome_satisfies_it()
    {
        var litmus = RunFixtures.StoreBufferingWith(@"forall (0:r0=1 \/ 1:r0=1)");

        var always = Render(RunFixtures.Run(litmus, [([0, 1], 7), ([1, 0], 3)]));
        var sometimes = Render(RunFixtures.Run(litmus, [([0, 0], 1), ([1, 0], 3)]));

        Assert.Multiple(() =>
        {
            Assert.That(always, Does.StartWith("Test SB+rlx Required\n"));
            Assert.That(always, Does.Contain("\nOk\n\nWitnesses\nPositive: 10, Negative: 0\nCondition forall (0:r0=1 \\/ 1:r0=1) is validated\n"));
            Assert.That(always, Does.Contain("\nObservation SB+rlx Always 10 0\n"));
            Assert.That(sometimes, Does.Contain("\nNo\n"));
            Assert.That(sometimes, Does.Contain("is NOT validated\n"));
            Assert.That(sometimes, Does.Contain("\nObservation SB+rlx Sometimes 3 1\n"));
        });
    }

    [Test]
    public void Several_tests_are_logged_one_block_after_the_other()
    {
        var log = Render(RunFixtures.StoreBufferingRun(), RunFixtures.Run(RunFixtures.StoreBufferingSeqCst, [([0, 1], 1)]));

        var blocks = log.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Multiple(() =>
        {
            Assert.That(Regex.Matches(log, "^Test ", RegexOptions.Multiline).Select(m => log[m.Index..].Split('\n')[0]),
                Is.EqualTo(new[] { "Test SB+rlx Allowed", "Test SB+sc Allowed" }));
            Assert.That(blocks, Has.Length.EqualTo(4), "histogram, then witnesses, per test");
            Assert.That(log, Does.EndWith("Time SB+sc 0.50\n\n"));
        });
    }

    /// <summary>The shapes mcompare7's log lexer accepts, line by line.</summary>
    [Test]
    public void Every_line_has_a_shape_mcompare7_reads()
    {
        var log = Litmus7Log.Render([RunFixtures.StoreBufferingRun(), RunFixtures.Run(RunFixtures.StoreBufferingWith("exists (x=1)"), [([1], 5)])]);

        var shapes = new[]
        {
            @"^Test [A-Za-z0-9_/.+\-\[\]]+ (Allowed|Required)$",
            @"^Histogram \(\d+ states\)$",
            @"^\d+ *[:*]>( *(\d+:[A-Za-z][A-Za-z0-9_.]*|[A-Za-z][A-Za-z0-9_.]*) *= *-?\d+ *;)+$",
            @"^(Ok|No)$",
            @"^$",
            @"^Witnesses$",
            @"^Positive: \d+, Negative: \d+$",
            @"^Condition .+ is (NOT )?validated$",
            @"^Hash=[0-9a-f]{32}$",
            @"^Observation [A-Za-z0-9_/.+\-\[\]]+ (Never|Sometimes|Always) \d+ \d+$",
            @"^Time [A-Za-z0-9_/.+\-\[\]]+ \d+\.\d+$",
        };
        Assert.That(log.Split('\n'), Has.All.Matches<string>(line => shapes.Any(s => Regex.IsMatch(line, s))));
    }

    [Test]
    public void The_hash_is_a_128_bit_hash_of_the_test_source()
    {
        var path = Path.Combine(Path.GetTempPath(), "harness-log-" + Guid.NewGuid().ToString("N") + ".litmus");
        File.WriteAllText(path, RunFixtures.StoreBufferingRelaxed.Replace("\n", "\r\n"));
        try
        {
            var test = LitmusParser.ParseFile(path);
            var expected = Convert.ToHexString(System.IO.Hashing.XxHash128.Hash(Encoding.UTF8.GetBytes(RunFixtures.StoreBufferingRelaxed.Replace("\r\n", "\n"))))
                .ToLowerInvariant();

            Assert.That(Litmus7Log.Hash(test), Is.EqualTo(expected), "line endings do not change the hash");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void A_test_whose_file_is_gone_still_has_a_hash()
    {
        var run = RunFixtures.Run(RunFixtures.StoreBufferingRelaxed, [([0, 1], 1)], file: "/nonexistent/SB.litmus");

        Assert.That(Litmus7Log.Render([run]), Does.Match(@"\nHash=[0-9a-f]{32}\n"));
    }
}
