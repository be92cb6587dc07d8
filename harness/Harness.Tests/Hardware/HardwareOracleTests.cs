using System.Text.Json;
using Harness.Language;
using Harness.Simulation;
using Harness.Simulation.Executions;
using Harness.Tests.Support;
using Harness.Programs;

namespace Harness.Tests.HardwareLitmus;

/// <summary>
/// The X86 and AArch64 frontends against herd7: every hardware test of the shared oracle
/// (hw-x86/, hw-aarch64/) must give herd's verdict and exactly herd's set of final states; the
/// .NET translations of the C tests (x86/, aarch64-lse-rcpc/, aarch64-v8.0/) must give the
/// verdict of their C test's hardware row and the same states once the C registers are renamed to
/// the asm ones (per thread, in order). Without the oracle they are one placeholder case, skipped
/// or failed (<see cref="SharedOracle"/>), never absent.
/// </summary>
public class HardwareOracleTests
{
    public sealed record Row(string File, string Model, string Verdict, IReadOnlyList<string> States, bool CRegisterNames)
    {
        public override string ToString() => $"{File} {Model}";
    }

    /// <summary>
    /// Rows where the simulator's models (not the frontends) differ from herd 7.58's aarch64.cat; each
    /// is explained in the report. They are asserted to still differ, so that a model fix shows up.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> KnownModelDisagreements = new Dictionary<string, string>();

    /// <summary>The rows of each folder: the hardware tests, and one .NET translation per C test and profile.</summary>
    public static readonly IReadOnlyDictionary<string, int> RowsPerFolder = new Dictionary<string, int>
    {
        ["x86"] = SharedOracle.CTests,
        ["aarch64-lse-rcpc"] = SharedOracle.CTests,
        ["aarch64-v8.0"] = SharedOracle.CTests,
        ["hw-aarch64"] = 85,
        ["hw-x86"] = 27,
    };

    public static IEnumerable<TestCaseData> Rows() => RowsFrom(RepositoryPaths.Oracle);

    public static IEnumerable<TestCaseData> RowsFrom(string oracle) =>
        SharedOracle.CasesOrPlaceholder(oracle, "Hardware oracle", () =>
            ReadRows(oracle).Select(r => new TestCaseData(r).SetName($"Hardware oracle {r}")));

    [TestCaseSource(nameof(Rows))]
    public void Frontend_and_model_agree_with_herd7(Row? row)
    {
        if (row is null)
        {
            SharedOracle.RunPlaceholder();
            return;
        }
        var outcome = Compare(row);
        if (KnownModelDisagreements.TryGetValue(row.File, out var reason))
        {
            Assert.That(outcome.Agrees, Is.False, $"now agrees with herd7; remove it from the known disagreements ({reason})");
            Assert.Inconclusive($"known model disagreement: {reason}");
        }
        Assert.Multiple(() =>
        {
            if (outcome.States is { } states) Assert.That(states, Is.EqualTo(row.States), "final states");
            Assert.That(outcome.Verdict, Is.EqualTo(row.Verdict), "verdict");
        });
    }

    /// <summary>
    /// Every folder has all its rows, every row is compared on its states (not only on the verdict),
    /// and the rows that differ from herd7 are exactly the known model disagreements (none today).
    /// </summary>
    [Test]
    public void Agreement_summary()
    {
        SharedOracle.Require();
        var lines = new List<string>();
        var counts = new Dictionary<string, int>();
        var verdictOnly = new List<string>();
        var differing = new List<string>();
        foreach (var folder in ReadRows(RepositoryPaths.Oracle).GroupBy(r => r.File.Split('/')[0]))
        {
            var results = folder.Select(r => (Row: r, Outcome: Compare(r))).ToList();
            var agree = results.Count(r => r.Outcome.Agrees);
            var compared = results.Count(r => r.Outcome.States is not null);
            counts[folder.Key] = results.Count;
            verdictOnly.AddRange(results.Where(r => r.Outcome.States is null).Select(r => r.Row.File));
            differing.AddRange(results.Where(r => !r.Outcome.Agrees).Select(r => r.Row.File));
            lines.Add($"{folder.Key}: {agree}/{results.Count} agree ({compared} on states and verdict, the others on the verdict)");
            lines.AddRange(results.Where(r => !r.Outcome.Agrees).Select(r => $"  differs: {r.Row} (herd {r.Row.Verdict}, simulator {r.Outcome.Verdict})"));
        }
        var summary = string.Join("\n", lines);
        TestContext.Out.WriteLine(summary);
        Assert.Multiple(() =>
        {
            Assert.That(counts, Is.EquivalentTo(RowsPerFolder), $"rows per folder\n{summary}");
            Assert.That(verdictOnly, Is.Empty, $"rows whose registers do not pair up with their C test's, compared on the verdict only\n{summary}");
            Assert.That(differing, Is.EquivalentTo(KnownModelDisagreements.Keys), $"rows that differ from herd7\n{summary}");
        });
    }

    public sealed record Outcome(string Verdict, IReadOnlyList<string>? States, bool Agrees);

    public static Outcome Compare(Row row)
    {
        var test = LitmusParser.ParseFile(Path.Combine(RepositoryPaths.Oracle, row.File));
        var model = ModelCatalog.Find(row.Model)!;
        var result = Simulator.Simulate(test, [ModelCatalog.Target(model)]).Single();
        IReadOnlyList<string>? states = result.States.Select(s => Canonical(s, null)).Order(StringComparer.Ordinal).ToList();
        if (row.CRegisterNames)
        {
            var renaming = RenamingFromC(row, result.Observed);
            states = renaming is null ? null : result.States.Select(s => Canonical(s, renaming)).Order(StringComparer.Ordinal).ToList();
        }
        var agrees = result.Verdict == row.Verdict && (states is null || states.SequenceEqual(row.States));
        return new Outcome(result.Verdict, states, agrees);
    }

    /// <summary>asm register key → C register key, pairing each thread's registers in order; null when they do not pair up.</summary>
    private static Dictionary<string, string>? RenamingFromC(Row row, IReadOnlyList<StateKey> observed)
    {
        var cKeys = row.States.SelectMany(s => s.Split(' ')).Select(kv => kv[..kv.IndexOf('=')]).Where(k => k.Contains(':')).Distinct().ToList();
        var renaming = new Dictionary<string, string>();
        foreach (var thread in observed.Where(k => k.IsRegister).GroupBy(k => k.Thread))
        {
            var asm = thread.Select(k => k.ToString()).OrderBy(k => k.Length).ThenBy(k => k, StringComparer.Ordinal).ToList();
            var c = cKeys.Where(k => k.StartsWith($"{thread.Key}:", StringComparison.Ordinal))
                .OrderBy(k => k.Length).ThenBy(k => k, StringComparer.Ordinal).ToList();
            if (asm.Count != c.Count) return null;
            for (var i = 0; i < asm.Count; i++) renaming[asm[i]] = c[i];
        }
        return renaming.Count == cKeys.Count ? renaming : null;
    }

    private static string Canonical(FinalState state, Dictionary<string, string>? renaming) =>
        string.Join(" ", state.Keys.Select((k, i) => $"{Rename(k.ToString(), renaming)}={state.Values[i]}").Order(StringComparer.Ordinal));

    private static string Rename(string key, Dictionary<string, string>? renaming) =>
        renaming is not null && renaming.TryGetValue(key, out var c) ? c : key;

    /// <summary>oracle.jsonl's hardware rows; a missing file throws (the oracle folder is there but broken).</summary>
    public static IEnumerable<Row> ReadRows(string oracle)
    {
        var path = Path.Combine(oracle, "oracle.jsonl");
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            var file = root.GetProperty("file").GetString()!;
            var hardware = file.StartsWith("hw-x86/", StringComparison.Ordinal) || file.StartsWith("hw-aarch64/", StringComparison.Ordinal);
            string? hwFile = root.TryGetProperty("hw_file", out var h) && h.ValueKind == JsonValueKind.String ? h.GetString() : null;
            if (!hardware && hwFile is null) continue;
            var artefacts = root.TryGetProperty("rmw_artefact_states", out var a) && a.ValueKind == JsonValueKind.Array
                ? a.EnumerateArray().Select(StateText).ToHashSet()
                : [];
            var states = root.GetProperty("states").EnumerateArray().Select(StateText)
                .Where(s => !artefacts.Contains(s)).Order(StringComparer.Ordinal).ToList();
            yield return new Row(hwFile ?? file, root.GetProperty("model").GetString()!, root.GetProperty("verdict").GetString()!,
                states, CRegisterNames: !hardware);
        }
    }

    private static string StateText(JsonElement state) =>
        string.Join(" ", state.EnumerateObject().Select(p => $"{p.Name}={p.Value.GetInt64()}").Order(StringComparer.Ordinal));
}
