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

    /// <summary>Writes <c>PATH.png</c> and <c>PATH.svg</c>, every test in one image; the tests top to bottom in the order given.</summary>
    public static void Save(IReadOnlyList<TestRun> runs, string pathWithoutExtension)
    {
        using var plot = Build(runs, null, out var width, out var height);
        ChartStyle.Save(plot, pathWithoutExtension, width, height);
    }

    /// <summary>
    /// Writes each page of <see cref="SummaryPages.Of"/> as <c>FOLDER/summary-N.png</c> and <c>.svg</c>, a screen's height
    /// each; returns the pages written.
    /// </summary>
    public static IReadOnlyList<SummaryPage> SavePages(IReadOnlyList<TestRun> runs, string folder)
    {
        var pages = SummaryPages.Of(runs);
        foreach (var page in pages)
        {
            using var plot = Build(page.Runs, page, out var width, out var height);
            ChartStyle.Save(plot, Path.Combine(folder, page.FileName), width, height);
        }
        return pages;
    }

    private static double Frequency(TestRun run) => run.Iterations > 0 ? (double)run.WeakCount / run.Iterations : 0;

    private static bool WeakAllowed(TestRun run) => run.Predicted.Hardware.States.Any(s => !run.Predicted.Sc.States.Contains(s));

    /// <summary>Weak states the table allows, but all of them beyond what the code the JIT emitted can produce.</summary>
    private static bool WeakUnobservable(TestRun run) =>
        WeakAllowed(run) && run.Predicted.Hardware.States.Where(s => !run.Predicted.Sc.States.Contains(s)).All(run.Unobservable.Contains);

    private static string ZeroNote(TestRun run) =>
        !WeakAllowed(run) ? "0  (no weak state allowed" + OversubscribedNote(run) + ")"
        : WeakUnobservable(run) ? "0  (weak states allowed, not observable with the JIT's code" + OversubscribedNote(run) + ")"
        : "0  (weak states allowed, none seen" + OversubscribedNote(run) + ")";

    private static string ValueLabel(TestRun run, double frequency) =>
        $"{ReportFormat.Percent(frequency)}  ({run.WeakCount:N0} of {run.Iterations:N0})" + (run.ForbiddenObserved ? "  forbidden state seen" : "") +
        OversubscribedNote(run);

    /// <summary>Threads that took turns rarely race: whatever the bar says, the reader must know.</summary>
    private static string OversubscribedNote(TestRun run) => run.OversubscribedText is { } turns ? $"; {turns}" : "";

    /// <summary>
    /// The weak states each other target's model allows, "2 / 2 / 2 / 1" in the order of <paramref name="profiles"/>:
    /// predicted, not observed. "—" for a profile without a prediction.
    /// </summary>
    private static string ElsewhereNote(TestRun run, IReadOnlyList<string> profiles) =>
        string.Join(" / ", profiles.Select(p => run.Predicted.Elsewhere.FirstOrDefault(e => e.Profile.Name == p) is { } e
            ? e.WeakStates.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) + (e.CutExecutions > 0 ? "+" : "")
            : "—"));

    /// <summary>Another target's model allows a weak state where this machine's allows none: what the other architecture shows and this one hides.</summary>
    private static bool ElsewhereOnly(TestRun run) => !WeakAllowed(run) && run.Predicted.Elsewhere.Any(e => e.WeakStates.Count > 0);

    private static OutcomeClass Worst(TestRun run) =>
        run.Histogram.Any(o => o.Class == OutcomeClass.ForbiddenHardware) ? OutcomeClass.ForbiddenHardware
        : run.Histogram.Any(o => o.Class == OutcomeClass.ForbiddenNet) ? OutcomeClass.ForbiddenNet
        : run.Histogram.Any(o => o.Class == OutcomeClass.ForbiddenCpp20) ? OutcomeClass.ForbiddenCpp20
        : OutcomeClass.WeakAllowed;

    /// <summary>Horizontal pixels per decade of frequency: the bars' scale, whatever the page holds.</summary>
    private const int DecadePixels = 150;

    /// <summary>The width of the predicted column right of the bars, in decades of the x axis.</summary>
    private const double ElsewhereWidth = 2.2;


    /// <param name="page">The page drawn, for its title; null for every test in one image.</param>
    internal static Plot Build(IReadOnlyList<TestRun> runs, SummaryPage? page, out int width, out int height)
    {
        var frequencies = runs.Select(Frequency).ToList();
        var seen = frequencies.Where(f => f > 0).ToList();
        var lowDecade = Math.Min(-4, seen.Count == 0 ? 0 : (int)Math.Floor(Math.Log10(seen.Min())));
        var highDecade = Math.Clamp(seen.Count == 0 ? 0 : (int)Math.Ceiling(Math.Log10(seen.Max())), lowDecade + 1, 0);
        var floor = lowDecade - 0.5;
        // Room for the value labels right of the bars: the longest, where it starts, at the chart's pixels per decade.
        var measure = new LabelStyle { FontName = ChartStyle.SansFont, FontSize = 11, Bold = true };
        var right = Math.Max(highDecade + 1.6, runs.Select((run, i) => frequencies[i] > 0
            ? Math.Log10(frequencies[i]) + (ChartStyle.WidestText(measure, [ValueLabel(run, frequencies[i])]) + 16) / DecadePixels
            : floor).DefaultIfEmpty(floor).Max());
        // Right of the bars, apart: what the other targets' models allow, never observed here.
        var profiles = runs.SelectMany(r => r.Predicted.Elsewhere).Select(e => e.Profile.Name).Distinct().ToList();
        var end = profiles.Count > 0 ? right + ElsewhereWidth : right;

        var plot = ChartStyle.NewPlot();
        var count = runs.Count;
        var cut = runs.Any(r => r.Predicted.Elsewhere.Any(e => e.CutExecutions > 0)) ? "\n(n+: and more beyond the loop bound)" : "";
        var headerRows = profiles.Count == 0 ? 0 : cut.Length > 0 ? 3 : 2; // a row per line of the predicted column's header
        var top = count - 0.4 + headerRows;
        if (profiles.Count > 0)
        {
            var region = plot.Add.Rectangle(right, end, -0.6, top);
            region.FillColor = ChartStyle.Muted.WithAlpha(0.07);
            region.LineColor = ChartStyle.Muted.WithAlpha(0.5);
            region.LineWidth = 1;
            var names = string.Join(" / ", profiles);
            var target = runs.SelectMany(r => r.Predicted.Elsewhere).Select(e => e.Model).Distinct().ToList();
            var header = ChartStyle.AddText(plot, $"predicted, not observed: weak states\n{string.Join("/", target)} allows for {names}{cut}",
                right + ElsewhereWidth / 2, count - 0.5 + headerRows / 2.0, 10, ChartStyle.Text, Alignment.MiddleCenter);
            header.LabelBold = true;
        }
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
            if (profiles.Count > 0)
            {
                var only = ElsewhereOnly(run);
                var predicted = ChartStyle.AddText(plot, ElsewhereNote(run, profiles) + (only ? "  ◀ only there" : ""), right + ElsewhereWidth / 2, position, 11,
                    only ? ChartStyle.WeakAllowed.Darken(0.35) : ChartStyle.Muted, Alignment.MiddleCenter);
                predicted.LabelBold = only;
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
                var value = ChartStyle.AddText(plot, ValueLabel(run, frequency),
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
        var oversubscribed = runs.Count(r => r.Oversubscribed);
        var subtitle = $"{(machines.Count == 1 ? $"{machines[0]} ({runs[0].Machine.CpuModel})" : $"{machines.Count} machines")}, " +
                       $"scheme {string.Join("/", schemes)}, {count} tests, {runs.Sum(r => r.Iterations):N0} iterations" +
                       (forbidden > 0 ? $", {forbidden} with a FORBIDDEN state seen (!)" : ", no forbidden state seen") +
                       (oversubscribed > 0 ? $"; {oversubscribed} oversubscribed (more threads than CPUs: they took turns)" : "") +
                       (page is null ? "" : $"\nfamilies {string.Join(", ", page.Families)}");
        var title = page is null || page.Count == 1 ? "Weak-state frequency by test" : $"Weak-state frequency by test, page {page.Number} of {page.Count}";
        var subtitleLabel = ChartStyle.Label(plot, title, subtitle,
            "weak observations / iterations (log scale)", "test", topTicks: true);
        if (forbidden > 0) subtitleLabel.ForeColor = ChartStyle.ForbiddenHardware;

        var xTicks = ChartStyle.LogTicks(lowDecade, highDecade, ChartStyle.PercentLabel);
        plot.Axes.Bottom.TickGenerator = xTicks;
        plot.Axes.Top.TickGenerator = ChartStyle.LogTicks(lowDecade, highDecade, ChartStyle.PercentLabel);
        plot.Axes.Left.SetTicks(ticks, labels);
        plot.Axes.SetLimits(floor, end, -0.6, top);
        plot.Axes.SetLimitsX(floor, end, plot.Axes.Top);
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

        if (profiles.Count > 0)
            plot.Legend.ManualItems.Add(ChartStyle.Swatch("right: weak states other targets' models allow (predicted, not observed)",
                ChartStyle.Muted.WithAlpha(0.07), ChartStyle.Muted.WithAlpha(0.5)));

        // The same pixels per decade on every page, so that bars compare from page to page.
        var labelWidth = (int)ChartStyle.WidestText(plot.Axes.Left.TickLabelStyle, labels);
        width = Math.Max(Width, labelWidth + 150 + (int)(DecadePixels * (end - floor)));
        width = Math.Max(width, (int)ChartStyle.WidestText(subtitleLabel, subtitle.Split('\n')) + labelWidth + 120);
        height = (page is null ? 260 : 300) + RowPixels * (Math.Max(count, 4) + headerRows);
        return plot;
    }
}
