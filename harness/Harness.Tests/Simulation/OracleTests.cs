using System.Text.Json;
using Harness.Language;
using Harness.Mapping;
using Harness.Simulation;
using Harness.Tests.Support;
using Harness.Programs;

namespace Harness.Tests.Simulation;

/// <summary>
/// The simulator against herd7: for every C test of the shared oracle and every model (and
/// arm64 profile), the same verdict and exactly the same set of final states. Without the oracle
/// they are one placeholder case, skipped or failed (<see cref="SharedOracle"/>), never absent.
/// </summary>
public class OracleTests
{
    public sealed record OracleRow(string File, string Test, string Model, string? Profile, string Verdict, bool Undefined, IReadOnlyList<string> States)
    {
        public override string ToString() => Profile is null ? $"{Test} {Model}" : $"{Test} {Model} {Profile}";
    }

    /// <summary>The models (and arm64 profiles) every C test has a row for.</summary>
    private static readonly string[] Targets = ["sc", "tso", "arm64 lse-rcpc", "arm64 v8.0", "rc11", "cpp20"];

    public static IEnumerable<TestCaseData> CRows() => CRowsFrom(RepositoryPaths.Oracle);

    public static IEnumerable<TestCaseData> CRowsFrom(string oracle) =>
        SharedOracle.CasesOrPlaceholder(oracle, "Oracle", () =>
            ReadCRows(oracle).Select(r => new TestCaseData(r).SetName($"Oracle {r}")));

    [TestCaseSource(nameof(CRows))]
    public void Simulator_agrees_with_herd7(OracleRow? row)
    {
        if (row is null)
        {
            SharedOracle.RunPlaceholder();
            return;
        }
        var test = LitmusParser.ParseFile(Path.Combine(RepositoryPaths.Oracle, row.File));
        var model = ModelCatalog.Find(row.Model)!;
        var target = ModelCatalog.Target(model, row.Profile is null ? null : InstructionProfile.FindArm64(row.Profile));

        var result = Simulator.Simulate(test, [target]).Single();

        var predicted = result.States.Select(Canonical).Order(StringComparer.Ordinal).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(predicted, Is.EqualTo(row.States), "final states");
            Assert.That(result.Verdict, Is.EqualTo(row.Verdict), "verdict");
            Assert.That(result.Undefined, Is.EqualTo(row.Undefined), "undefined");
        });
    }

    /// <summary>The rows above are all of them: every C test of c/ on every model, nothing dropped.</summary>
    [Test]
    public void Every_C_test_has_a_row_per_model()
    {
        SharedOracle.Require();
        var rows = ReadCRows(RepositoryPaths.Oracle).ToList();
        var files = Directory.GetFiles(Path.Combine(RepositoryPaths.Oracle, "c"), "*.litmus").Select(f => $"c/{Path.GetFileName(f)}");
        Assert.Multiple(() =>
        {
            Assert.That(rows, Has.Count.EqualTo(SharedOracle.CTests * Targets.Length), "rows");
            Assert.That(rows.Select(r => r.File).Distinct(), Is.EquivalentTo(files), "the C tests with rows are the files of c/");
            Assert.That(files.Count(), Is.EqualTo(SharedOracle.CTests), "C tests");
            var perTarget = rows.GroupBy(r => r.Profile is null ? r.Model : $"{r.Model} {r.Profile}").ToDictionary(g => g.Key, g => g.Count());
            Assert.That(perTarget.Keys, Is.EquivalentTo(Targets), "models");
            Assert.That(perTarget.Values, Is.All.EqualTo(SharedOracle.CTests), "rows per model");
        });
    }

    private static string Canonical(FinalState state) =>
        string.Join(" ", state.Keys.Select((k, i) => $"{k}={state.Values[i]}").Order(StringComparer.Ordinal));

    private static IEnumerable<OracleRow> ReadCRows(string oracle) =>
        ReadRows(oracle).Where(r => r.File.StartsWith("c/", StringComparison.Ordinal));

    /// <summary>oracle.jsonl's rows; a missing file throws (the oracle folder is there but broken).</summary>
    private static IEnumerable<OracleRow> ReadRows(string oracle)
    {
        var path = Path.Combine(oracle, "oracle.jsonl");
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            var states = root.GetProperty("states").EnumerateArray()
                .Select(s => string.Join(" ", s.EnumerateObject().Select(p => $"{p.Name}={p.Value.GetInt64()}").Order(StringComparer.Ordinal)))
                .Order(StringComparer.Ordinal).ToList();
            yield return new OracleRow(
                root.GetProperty("file").GetString()!,
                root.GetProperty("test").GetString()!,
                root.GetProperty("model").GetString()!,
                root.GetProperty("profile").ValueKind == JsonValueKind.Null ? null : root.GetProperty("profile").GetString(),
                root.GetProperty("verdict").GetString()!,
                root.GetProperty("undefined").GetBoolean(),
                states);
        }
    }
}
