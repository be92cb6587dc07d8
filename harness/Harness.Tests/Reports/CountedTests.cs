using Harness.Reports;
using Harness.Formatting;

namespace Harness.Tests.Reports;

public class CountedTests
{
    [TestCase(1, "test", null, "1 test")]
    [TestCase(0, "test", null, "0 tests")]
    [TestCase(2, "test", null, "2 tests")]
    [TestCase(1_000_000, "iteration", null, "1,000,000 iterations")]
    [TestCase(3, "candidate execution", null, "3 candidate executions")]
    [TestCase(2, "analysis", "analyses", "2 analyses")]
    public void One_is_singular_and_every_other_count_plural(long count, string singular, string? plural, string expected) =>
        Assert.That(Counted.Of(count, singular, plural), Is.EqualTo(expected));
}
