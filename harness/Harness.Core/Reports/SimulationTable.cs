using System.Text;
using Harness.Simulation;
using Harness.Programs;
using Harness.Formatting;

namespace Harness.Reports;

/// <summary>
/// The readable form of a simulation: every state some model allows, which models allow it,
/// and the condition's verdict per model (herd7's Ok/No).
/// </summary>
public static class SimulationTable
{
    public static string Render(IReadOnlyList<ModelResult> results)
    {
        var test = results[0].Test;
        var text = new StringBuilder();
        text.AppendLine($"Test {test.Name}: {test.Condition.Text}");

        var allStates = new SortedSet<FinalState>(results.SelectMany(r => r.States));
        var stateColumn = allStates.Select(s => s.ToString()).Append("state").Append("verdict").Max(s => s.Length) + 2;
        var headers = results.Select(r => r.Target.ToString()).ToList();
        var widths = headers.Select(h => Math.Max(h.Length, 9) + 2).ToList();

        text.Append("  ").Append("state".PadRight(stateColumn));
        for (var m = 0; m < results.Count; m++) text.Append(headers[m].PadRight(widths[m]));
        text.AppendLine();

        foreach (var state in allStates)
        {
            var marker = state.Satisfies(test.Condition.Proposition) ? "* " : "  ";
            text.Append(marker).Append(state.ToString().PadRight(stateColumn));
            for (var m = 0; m < results.Count; m++)
                text.Append(Cell(results[m], state).PadRight(widths[m]));
            text.AppendLine();
        }

        text.Append("  ").Append("verdict".PadRight(stateColumn));
        for (var m = 0; m < results.Count; m++)
            text.Append((results[m].NotApplicable is not null ? "n/a" : results[m].ConditionHolds ? "Ok" : "No").PadRight(widths[m]));
        text.AppendLine();

        foreach (var r in results.Where(r => r.Promises is { IsBroken: true }))
            text.AppendLine($"  {r.Target}: .NET promise broken: the code allows {string.Join(" ", r.Promises!.Broken.Select(b => $"[{b}]"))}, which net forbids; cause: {r.Promises.CauseText}");
        foreach (var r in results.Where(r => r.NotApplicable is not null))
            text.AppendLine($"  {r.Target}: n/a: {r.NotApplicable}");
        foreach (var r in results.Where(r => r.Undefined))
            text.AppendLine($"  {r.Target}: undefined behaviour: the test has a data race on non-atomic accesses");
        foreach (var r in results.Where(r => r.CutExecutions > 0))
            text.AppendLine($"  {r.Target}: {Counted.Of(r.CutExecutions, "execution")} cut by the loop bound; states needing more iterations are not listed");
        text.AppendLine(results.Any(r => r.Promises is { IsBroken: true })
            ? "  (* = the state satisfies the condition's proposition; ! = the code allows it, net forbids it: a .NET promise broken)"
            : "  (* = the state satisfies the condition's proposition)");
        return string.Join('\n', text.ToString().Split('\n').Select(line => line.TrimEnd()));
    }

    private static string Cell(ModelResult result, FinalState state) =>
        result.NotApplicable is not null ? "n/a"
        : !result.States.Contains(state) ? "-"
        : result.Promises is { } promises && promises.Broken.Contains(state) ? "allowed!"
        : "allowed";
}
