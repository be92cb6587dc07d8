using Harness.Verdicts;
using ScottPlot;

namespace Harness.Reports.Charts;

/// <summary>
/// A run's weak-state frequency by test: a horizontal bar per test, weak observations / iterations on a
/// log10 scale (percent ticks), the tests where a forbidden state was seen in red or purple on a tinted row.
/// The image grows with the number of tests, so a catalogue of a few hundred stays legible.
/// </summary>
public static class SummaryChart
{
    private const int RowPixels = 20;
    private const int Width = 1200;

    /// <summary>Writes <c>PATH.png</c> and <c>PATH.svg</c>; the tests top to bottom in the order given.</summary>
    public static void Save(IReadOnlyList<TestRun> runs, string pathWithoutExtension)
    {
        using var plot = Build(runs, out var width, out var height);
        ChartStyle.Save(plot, pathWithoutExtension, width, height);
    }

    private static double Frequency(TestRun run) => run.Iterations > 0 ? (double)run.WeakCount / run.Iterations : 0;

    private static bool WeakAllowed(TestRun run) => run.Predicted.Hardware.States.Any(s => !run.Predicted.Sc.States.Contains(s));

    /// <summary>Weak states the table allows, but all of them beyond what the code the JIT emitted can produce.</summary>
    private static bool WeakUnobservable(TestRun run) =>
        WeakAllowed(run) && run.Predicted.Hardware.States.Where(s => !run.Predicted.Sc.States.Contains(s)).All(run.Unobservable.Contains);

    private static string ZeroNote(TestRun run) =>
        !WeakAllowed(run) ? "0  (no weak state allowed)"
        : WeakUnobservable(run) ? "0  (weak states allowed, not observable with the JIT's code)"
        : "0  (weak states allowed, none seen)";

    private static OutcomeClass Worst(TestRun run) =>
        run.Histogram.Any(o => o.Class == OutcomeClass.ForbiddenHardware) ? OutcomeClass.ForbiddenHardware
        : run.Histogram.Any(o => o.Class == OutcomeClass.ForbiddenNet) ? OutcomeClass.ForbiddenNet
        : run.Histogram.Any(o => o.Class == OutcomeClass.ForbiddenCpp20) ? OutcomeClass.ForbiddenCpp20
        : OutcomeClass.WeakAllowed;

    internal static Plot Build(IReadOnlyList<TestRun> runs, out int width, out int height)
    {
        var frequencies = runs.Select(Frequency).ToList();
        var seen = frequencies.Where(f => f > 0).ToList();
        var lowDecade = Math.Min(-4, seen.Count == 0 ? 0 : (int)Math.Floor(Math.Log10(seen.Min())));
        var highDecade = Math.Clamp(seen.Count == 0 ? 0 : (int)Math.Ceiling(Math.Log10(seen.Max())), lowDecade + 1, 0);
        var floor = lowDecade - 0.5;
        var right = highDecade + 1.6; // room for the value labels right of the bars

        var plot = ChartStyle.NewPlot();
        var count = runs.Count;
        var bars = new List<Bar>();
        var ticks = new double[count];
        var labels = new string[count];
        for (var i = 0; i < count; i++)
        {
            var run = runs[i];
            var position = count - 1 - i; // the first test at the top
            ticks[i] = position;
            labels[i] = (run.ForbiddenObserved ? "(!) " : "") + run.Test.Name;
            if (run.ForbiddenObserved)
            {
                var row = plot.Add.Rectangle(floor, right, position - 0.5, position + 0.5);
                row.FillColor = ChartStyle.ForbiddenHardware.WithAlpha(0.10);
                row.LineWidth = 0;
            }
            var frequency = frequencies[i];
            if (frequency > 0)
            {
                var color = ChartStyle.Of(Worst(run));
                bars.Add(new Bar
                {
                    Position = position,
                    ValueBase = floor,
                    Value = Math.Log10(frequency),
                    FillColor = color,
                    LineColor = color.Darken(0.3),
                    LineWidth = 1,
                    Size = 0.72,
                    Orientation = Orientation.Horizontal,
                });
                var value = ChartStyle.AddText(plot,
                    $"{ReportFormat.Percent(frequency)}  ({run.WeakCount:N0} of {run.Iterations:N0})" + (run.ForbiddenObserved ? "  forbidden state seen" : ""),
                    Math.Log10(frequency), position, 11, run.ForbiddenObserved ? ChartStyle.ForbiddenHardware.Darken(0.3) : ChartStyle.Text,
                    Alignment.MiddleLeft);
                value.LabelOffsetX = 5;
                value.LabelBold = run.ForbiddenObserved;
            }
            else
            {
                var note = ChartStyle.AddText(plot, ZeroNote(run),
                    floor, position, 11, ChartStyle.Muted, Alignment.MiddleLeft);
                note.LabelItalic = true;
                note.LabelOffsetX = 4;
            }
        }
        var barPlot = plot.Add.Bars(bars);
        barPlot.Horizontal = true;

        var machines = runs.Select(r => r.Machine.Id).Distinct().ToList();
        var schemes = runs.Select(r => r.Scheme.Name).Distinct().ToList();
        var forbidden = runs.Count(r => r.ForbiddenObserved);
        var subtitle = $"{(machines.Count == 1 ? $"{machines[0]} ({runs[0].Machine.CpuModel})" : $"{machines.Count} machines")}, " +
                       $"scheme {string.Join("/", schemes)}, {count} tests, {runs.Sum(r => r.Iterations):N0} iterations" +
                       (forbidden > 0 ? $", {forbidden} with a FORBIDDEN state seen (!)" : ", no forbidden state seen");
        var subtitleLabel = ChartStyle.Label(plot, "Weak-state frequency by test", subtitle,
            "weak observations / iterations (log scale)", "test", topTicks: true);
        if (forbidden > 0) subtitleLabel.ForeColor = ChartStyle.ForbiddenHardware;

        var xTicks = ChartStyle.LogTicks(lowDecade, highDecade, ChartStyle.PercentLabel);
        plot.Axes.Bottom.TickGenerator = xTicks;
        plot.Axes.Top.TickGenerator = ChartStyle.LogTicks(lowDecade, highDecade, ChartStyle.PercentLabel);
        plot.Axes.Left.SetTicks(ticks, labels);
        plot.Axes.SetLimits(floor, right, -0.6, count - 0.4);
        plot.Axes.SetLimitsX(floor, right, plot.Axes.Top);
        plot.Grid.YAxisStyle.IsVisible = false;
        plot.Grid.XAxisStyle.MinorLineStyle.Width = 1;
        plot.Grid.XAxisStyle.MinorLineStyle.Color = Colors.Black.WithAlpha(0.04);

        plot.Legend.DisplayPlottableLegendItems = false;
        plot.Legend.ManualItems.Add(ChartStyle.Swatch("weak states seen, all allowed", ChartStyle.WeakAllowed));
        plot.Legend.ManualItems.Add(ChartStyle.Swatch("forbidden-hw state seen", ChartStyle.ForbiddenHardware));
        plot.Legend.ManualItems.Add(ChartStyle.Swatch("forbidden-cpp20 state seen", ChartStyle.ForbiddenCpp20));
        plot.Legend.FontSize = 12;
        plot.Legend.Orientation = Orientation.Horizontal;
        plot.ShowLegend(Edge.Bottom);

        width = Math.Max(Width, (int)ChartStyle.WidestText(plot.Axes.Left.TickLabelStyle, labels) + 900);
        height = 260 + RowPixels * Math.Max(count, 4);
        return plot;
    }
}
