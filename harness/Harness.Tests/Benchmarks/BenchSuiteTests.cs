using Harness.Benchmarks;

namespace Harness.Tests.Benchmarks;

/// <summary>The case names that <c>harness bench --filter</c> matches, and the order of the tables.</summary>
public class BenchSuiteTests
{
    [Test]
    public void Every_operation_is_measured_uncontended_and_contended_under_a_distinct_name()
    {
        var names = BenchSuite.CaseNames().ToList();

        Assert.Multiple(() =>
        {
            Assert.That(names, Has.Count.EqualTo(2 * (PrimitiveCosts.All.Count + OrderingCosts.All.Count)));
            Assert.That(names, Is.Unique);
            Assert.That(names[0], Is.EqualTo("primitives/plain load/uncontended"));
            Assert.That(names[1], Is.EqualTo("primitives/plain load/contended"));
            Assert.That(names, Does.Contain("orderings/store seq_cst/contended"));
        });
    }

    [TestCase("*seq_cst*", 8)]
    [TestCase("primitives/*", 28)]
    [TestCase("*/uncontended", 28)]
    [TestCase("ORDERINGS/FENCE*/*", 6)]
    [TestCase("orderings/load ?cquire/contended", 1)]
    [TestCase("Interlocked.Add", 0)]
    public void A_filter_is_a_case_insensitive_glob_over_the_whole_name(string filter, int selected)
    {
        Assert.That(BenchSuite.CaseNames().Count(name => BenchSuite.Matches([filter], name)), Is.EqualTo(selected));
    }

    [Test]
    public void No_filter_selects_everything_and_several_filters_select_their_union()
    {
        var all = BenchSuite.CaseNames().ToList();

        Assert.That(all.Where(name => BenchSuite.Matches([], name)), Is.EqualTo(all));
        Assert.That(all.Count(name => BenchSuite.Matches(["*fence acquire*", "*fence release*"], name)), Is.EqualTo(4));
    }

    [Test]
    public void Operations_sort_by_group_then_catalogue_order_not_by_name()
    {
        var shuffled = BenchSuite.Operations.OrderBy(o => o.Name, StringComparer.Ordinal).ToList();

        Assert.That(shuffled.Order(), Is.EqualTo(BenchSuite.Operations));
    }

    [Test]
    public void The_precise_job_is_adaptive_and_reports_say_its_parameters()
    {
        var job = BenchSuite.JobFor(BenchJob.Precise);

        Assert.Multiple(() =>
        {
            Assert.That(job.Accuracy.MaxRelativeError, Is.EqualTo(0.02));
            Assert.That(job.Run.MinIterationCount, Is.EqualTo(15));
            Assert.That(job.Run.MaxIterationCount, Is.EqualTo(200));
            Assert.That(BenchSuite.Describe(BenchJob.Precise), Does.StartWith("precise job (").And.Contain("MaxRelativeError=0.02")
                .And.Contain("IterationTime=100").And.Contain("WarmupCount=5"));
            Assert.That(BenchSuite.Describe(BenchJob.Short), Does.Contain("IterationCount=3"));
        });
    }
}
