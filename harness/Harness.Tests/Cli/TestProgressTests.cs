using Harness.Cli.Commands;
using Harness.Tests.Charts;

namespace Harness.Tests.Cli;

/// <summary>What <c>run</c> and <c>suite</c> print as they go: counters, columns that hold with long names, totals.</summary>
public class TestProgressTests
{
    private static readonly string[] Names = ["MP+rlx+locations", "IRIW+rlx", "SB"];

    [Test]
    public void The_counter_is_as_wide_for_the_first_test_as_for_the_last()
    {
        var progress = new TestProgress([.. Enumerable.Range(0, 234).Select(i => $"T{i}")], TextWriter.Null);

        Assert.That(new[] { progress.Counter(0), progress.Counter(41), progress.Counter(233) }, Is.EqualTo(new[] { "[  1/234]", "[ 42/234]", "[234/234]" }));
    }

    [Test]
    public void The_columns_after_the_name_line_up_whatever_the_names_length()
    {
        var progress = new TestProgress(Names, TextWriter.Null);
        var longName = ChartFixtures.RunAllowed(ChartFixtures.MessagePassingWithLocations, ChartFixtures.X64, _ => 1000);
        var shortName = ChartFixtures.RunAllowed(ChartFixtures.IriwRelaxed, ChartFixtures.X64, _ => 10);

        var lines = new[] { progress.Finished(0, longName), progress.Finished(1, shortName) };

        Assert.Multiple(() =>
        {
            Assert.That(lines[0], Does.StartWith("[1/3] MP+rlx+locations "));
            Assert.That(lines[1], Does.StartWith("[2/3] IRIW+rlx         "));
            Assert.That(lines[0].IndexOf(" it ", StringComparison.Ordinal), Is.EqualTo(lines[1].IndexOf(" it ", StringComparison.Ordinal)));
            Assert.That(lines[0].IndexOf("weak", StringComparison.Ordinal), Is.EqualTo(lines[1].IndexOf("weak", StringComparison.Ordinal)));
        });
    }

    [Test]
    public void The_totals_count_tests_iterations_weak_and_forbidden_in_the_singular_for_one()
    {
        var progress = new TestProgress(Names, TextWriter.Null);
        var run = ChartFixtures.RunAllowed(ChartFixtures.IriwRelaxed, ChartFixtures.X64, _ => 1);

        var totals = progress.Totals([run]);

        Assert.That(totals, Does.Match(@"^1 test, [0-9,]+ iterations, [0-9,]+ weak, 0 forbidden; 0\.5 s of running, [0-9]+ s in all$"));
    }
}
