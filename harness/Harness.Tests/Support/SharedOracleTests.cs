using Harness.Tests.HardwareLitmus;
using Harness.Tests.Running;
using Harness.Tests.Simulation;

namespace Harness.Tests.Support;

/// <summary>
/// The oracle tests never vanish: pointed at a missing oracle folder, every data-driven oracle
/// source yields one placeholder case, and that case is skipped with the reason, or fails when
/// the oracle is required; with the oracle, the sources yield every row.
/// </summary>
public class SharedOracleTests
{
    private static readonly string Missing = Path.Combine(Path.GetTempPath(), $"harness-no-oracle-{Guid.NewGuid():N}");

    private static int CatalogueFiles => Directory.GetFiles(RepositoryPaths.TestsLitmus, "*.litmus", SearchOption.AllDirectories).Length;

    [Test]
    public void Without_the_oracle_each_source_yields_one_placeholder_case()
    {
        Assert.That(Directory.Exists(Missing), Is.False);
        var c = OracleTests.CRowsFrom(Missing).ToList();
        var hardware = HardwareOracleTests.RowsFrom(Missing).ToList();
        var runs = CorpusRunTests.FilesFrom(Missing, RepositoryPaths.TestsLitmus).ToList();
        Assert.Multiple(() =>
        {
            AssertPlaceholder(c, "Oracle (herd7 oracle absent)");
            AssertPlaceholder(hardware, "Hardware oracle (herd7 oracle absent)");
            AssertPlaceholder(runs.Take(1).ToList(), "Run (herd7 oracle absent)");
            Assert.That(runs.Skip(1).Select(r => r.Arguments.Single()).ToList(), Has.Count.EqualTo(CatalogueFiles).And.All.Not.Null,
                "the catalogue's runs are still there");
        });
    }

    [Test]
    public void With_the_oracle_each_source_yields_every_row()
    {
        SharedOracle.Require();
        Assert.Multiple(() =>
        {
            Assert.That(OracleTests.CRows().Select(r => r.Arguments.Single()).ToList(),
                Has.Count.EqualTo(SharedOracle.CTests * 6).And.All.Not.Null, "C rows: every test on sc, tso, arm64 x2, rc11, cpp20");
            Assert.That(HardwareOracleTests.Rows().Select(r => r.Arguments.Single()).ToList(),
                Has.Count.EqualTo(HardwareOracleTests.RowsPerFolder.Values.Sum()).And.All.Not.Null, "hardware rows");
            Assert.That(CorpusRunTests.Files().Select(r => r.Arguments.Single()).ToList(),
                Has.Count.EqualTo(SharedOracle.CTests + CatalogueFiles).And.All.Not.Null, "runs: the oracle's C tests and the catalogue");
        });
    }

    [Test]
    public void Without_the_oracle_a_test_is_skipped_with_the_reason()
    {
        var skipped = Assert.Throws<IgnoreException>(() => SharedOracle.Require(Missing, required: false))!;
        Assert.That(skipped.Message, Does.Contain($"the herd7 oracle is absent: no folder {Missing}").And.Contain("HARNESS_REQUIRE_ORACLE=1"));
    }

    [Test]
    public void Without_the_oracle_a_test_fails_when_the_oracle_is_required()
    {
        var failed = Assert.Throws<AssertionException>(() => SharedOracle.Require(Missing, required: true))!;
        Assert.That(failed.Message, Does.Contain($"the herd7 oracle is absent: no folder {Missing}").And.Contain("HARNESS_REQUIRE_ORACLE is set"));
    }

    [Test]
    public void With_the_oracle_folder_a_test_goes_on()
    {
        Assert.DoesNotThrow(() => SharedOracle.Require(Path.GetTempPath(), required: true));
    }

    /// <summary>The placeholder case of each data-driven test is skipped or fails, whatever the oracle: it never passes.</summary>
    [Test]
    public void A_placeholder_case_never_passes()
    {
        Assert.Multiple(() =>
        {
            Assert.Catch<ResultStateException>(() => new OracleTests().Simulator_agrees_with_herd7(null));
            Assert.Catch<ResultStateException>(() => new HardwareOracleTests().Frontend_and_model_agree_with_herd7(null));
            Assert.Catch<ResultStateException>(() => new CorpusRunTests().Nothing_forbidden_is_observed(null));
        });
    }

    [TestCase(null, false)]
    [TestCase("", false)]
    [TestCase(" ", false)]
    [TestCase("0", false)]
    [TestCase("false", false)]
    [TestCase("False", false)]
    [TestCase("1", true)]
    [TestCase("true", true)]
    [TestCase("yes", true)]
    public void HARNESS_REQUIRE_ORACLE_requires_the_oracle_unless_unset_0_or_false(string? value, bool required) =>
        Assert.That(SharedOracle.IsRequired(value), Is.EqualTo(required));

    [Test]
    public void HARNESS_ORACLE_names_the_oracle_folder()
    {
        var shared = Path.Combine(Path.GetTempPath(), "shared");
        Assert.Multiple(() =>
        {
            Assert.That(RepositoryPaths.OracleFolder(null, shared), Is.EqualTo(Path.Combine(shared, "oracle")));
            Assert.That(RepositoryPaths.OracleFolder("", shared), Is.EqualTo(Path.Combine(shared, "oracle")));
            Assert.That(RepositoryPaths.OracleFolder(Missing, shared), Is.EqualTo(Missing));
            Assert.That(RepositoryPaths.OracleFolder("elsewhere", shared), Is.EqualTo(Path.GetFullPath("elsewhere")));
        });
    }

    private static void AssertPlaceholder(IReadOnlyList<TestCaseData> cases, string name)
    {
        Assert.That(cases, Has.Count.EqualTo(1), name);
        if (cases.Count != 1) return;
        Assert.That(cases[0].TestName, Is.EqualTo(name));
        Assert.That(cases[0].Arguments, Is.EqualTo(new object?[] { null }), name);
    }
}
