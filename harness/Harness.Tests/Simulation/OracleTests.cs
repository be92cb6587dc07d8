using System.Text.Json;
using Harness.Language;
using Harness.Mapping;
using Harness.Simulation;
using Harness.Tests.Support;

namespace Harness.Tests.Simulation;

/// <summary>
/// The simulator against herd7: for every C test of the shared oracle and every model (and
/// arm64 profile), the same verdict and exactly the same set of final states.
/// </summary>
public class OracleTests
{
    public sealed record OracleRow(string File, string Test, string Model, string? Profile, string Verdict, bool Undefined, IReadOnlyList<string> States)
    {
        public override string ToString() => Profile is null ? $"{Test} {Model}" : $"{Test} {Model} {Profile}";
    }

    public static IEnumerable<TestCaseData> CRows() =>
        ReadRows().Where(r => r.File.StartsWith("c/", StringComparison.Ordinal))
            .Select(r => new TestCaseData(r).SetName($"Oracle {r}"));

    [TestCaseSource(nameof(CRows))]
    public void Simulator_agrees_with_herd7(OracleRow row)
    {
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

    private static string Canonical(Harness.Simulation.Executions.FinalState state) =>
        string.Join(" ", state.Keys.Select((k, i) => $"{k}={state.Values[i]}").Order(StringComparer.Ordinal));

    private static IEnumerable<OracleRow> ReadRows()
    {
        var path = Path.Combine(RepositoryPaths.Oracle, "oracle.jsonl");
        if (!File.Exists(path)) yield break;
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
