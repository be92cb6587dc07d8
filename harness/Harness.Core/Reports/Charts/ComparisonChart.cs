using ScottPlot;
using ScottPlot.Hatches;

namespace Harness.Reports.Charts;

/// <summary>
/// The comparison as a heatmap: tests × machines, a seen witness coloured by its frequency on a log scale,
/// and distinct fills for "never seen, the model forbids it", "never seen although allowed" and "not run".
/// </summary>
public static class ComparisonChart
{
    private const int RowPixels = 24;
    private const int ColumnPixels = 210;

    private static readonly IColormap Scale = new ScottPlot.Colormaps.Viridis();
    private static readonly Color NeverForbidden = Color.FromHex("#E4E4E4");
    private static readonly Color NeverAllowed = Color.FromHex("#FFF3E3");
    private static readonly Color NotRun = Colors.White;

    /// <summary>Writes <c>PATH.png</c> and <c>PATH.svg</c>.</summary>
    public static void Save(Comparison comparison, string pathWithoutExtension)
    {
        using var plot = Build(comparison, out var width, out var height);
        ChartStyle.Save(plot, pathWithoutExtension, width, height);
    }

    internal static Plot Build(Comparison comparison, out int width, out int height)
    {
        var rows = comparison.Rows;
        IReadOnlyList<string> columns = comparison.ColumnNames;
        var seen = rows.SelectMany(r => r.Cells).Where(c => c is { Witnesses: > 0 }).Select(c => c!.WitnessFrequency).ToList();
        var lowDecade = Math.Min(-6, seen.Count == 0 ? 0 : (int)Math.Floor(Math.Log10(seen.Min())));

        var plot = ChartStyle.NewPlot();
        var predicted = comparison.PredictedColumns;
        for (var r = 0; r < rows.Count; r++)
        {
            var y = rows.Count - 1 - r; // the first test at the top
            for (var m = 0; m < columns.Count; m++) DrawCell(plot, rows[r].Cells[m], m, y, lowDecade);
            for (var p = 0; p < predicted.Count; p++) DrawPrediction(plot, rows[r], p, columns.Count + p, y);
        }
        // The observed machines' columns, then the predicted targets', each saying it was not observed.
        columns = [.. columns, .. predicted.Select(c => $"{c.Target}\npredicted, not observed")];

        var labels = rows.Select(r => (r.ArmOnly ? "★ " : r.ArmOnlyPredicted ? "☆ " : "") + r.Test).ToArray();
        plot.Axes.Left.SetTicks(Enumerable.Range(0, rows.Count).Select(r => (double)(rows.Count - 1 - r)).ToArray(), labels);
        var positions = Enumerable.Range(0, columns.Count).Select(m => (double)m).ToArray();
        plot.Axes.Bottom.SetTicks(positions, columns.ToArray());
        plot.Axes.Top.SetTicks(positions, columns.ToArray());
        plot.Axes.Top.TickLabelStyle.Bold = true;
        plot.Axes.Bottom.TickLabelStyle.Bold = true;
        plot.Axes.SetLimits(-0.5, columns.Count - 0.5, -0.5, rows.Count - 0.5);
        plot.Axes.SetLimitsX(-0.5, columns.Count - 0.5, plot.Axes.Top);
        plot.Grid.IsVisible = false;

        var armOnly = rows.Count(r => r.ArmOnly);
        var subtitle = $"{rows.Count} tests on {comparison.Machines.Count} machines; colour: how often the condition's witness was seen (log scale)\n" +
                       $"★ ARM-only ({armOnly}): allowed by the ARM model and seen on ARM, never seen on x86" +
                       (predicted.Count > 0
                           ? $"\n☆ ARM-only, predicted ({rows.Count(r => r.ArmOnlyPredicted)}): an ARM model allows it, x86 forbids it and never saw it — not observed"
                           : "");
        var subtitleLabel = ChartStyle.Label(plot, "Condition witnesses across machines", subtitle,
            "machine", "test", topTicks: true);

        plot.Legend.DisplayPlottableLegendItems = false;
        for (var decade = 0; decade >= lowDecade; decade--)
            plot.Legend.ManualItems.Add(ChartStyle.Swatch($"seen, {ChartStyle.PercentLabel(decade)}", ColorOf(Math.Pow(10, decade), lowDecade)));
        plot.Legend.ManualItems.Add(ChartStyle.Swatch("seen, the model forbids it", Colors.White, ChartStyle.ForbiddenHardware));
        plot.Legend.ManualItems.Add(ChartStyle.Swatch("never seen, the model forbids it", NeverForbidden));
        plot.Legend.ManualItems.Add(ChartStyle.Swatch("never seen, the model allows it", NeverAllowed, ChartStyle.WeakAllowed,
            new Striped(StripeDirection.DiagonalUp), ChartStyle.WeakAllowed.WithAlpha(0.45)));
        plot.Legend.ManualItems.Add(ChartStyle.Swatch("not run", NotRun, ChartStyle.Muted));
        if (rows.Any(r => r.Cells.Any(c => c is { Oversubscribed: true, Witnesses: 0 })))
            plot.Legend.ManualItems.Add(ChartStyle.Swatch("* never seen, oversubscribed: more threads than CPUs", NotRun, NotRun));
        if (predicted.Count > 0)
        {
            plot.Legend.ManualItems.Add(ChartStyle.Swatch("predicted allowed, not observed", PredictedAllowed, ChartStyle.WeakAllowed, new Dots(),
                ChartStyle.WeakAllowed.WithAlpha(0.45)));
            plot.Legend.ManualItems.Add(ChartStyle.Swatch("predicted forbidden, not observed", NeverForbidden, ChartStyle.Muted, new Dots(),
                ChartStyle.Muted.WithAlpha(0.3)));
        }
        plot.Legend.FontSize = 12;
        plot.ShowLegend(Edge.Right).Alignment = Alignment.UpperCenter; // by the first rows, not half-way down a long chart

        var labelWidth = (int)ChartStyle.WidestText(plot.Axes.Left.TickLabelStyle, labels);
        var columnWidth = Math.Max(ColumnPixels, (int)ChartStyle.WidestText(plot.Axes.Top.TickLabelStyle, columns) + 20);
        // The titles are centred on the data area, between the test names and the legend: wide enough for both.
        const int legendWidth = 280;
        var leftWidth = labelWidth + 60;
        width = Math.Max(900, leftWidth + columnWidth * columns.Count + legendWidth);
        width = Math.Max(width, (int)ChartStyle.WidestText(subtitleLabel, subtitle.Split('\n')) + 40 + Math.Abs(legendWidth - leftWidth));
        height = Math.Max(480, 230 + RowPixels * rows.Count + (predicted.Count > 0 ? 2 * (int)ChartStyle.TickSize : 0));
        return plot;
    }

    private static double Position(double frequency, int lowDecade) => Math.Clamp((Math.Log10(frequency) - lowDecade) / -lowDecade, 0, 1);

    private static readonly Color PredictedAllowed = Color.FromHex("#FFF8EE");

    /// <summary>A predicted cell: dotted, pale, and saying "predicted" — never to be mistaken for an observation.</summary>
    private static void DrawPrediction(Plot plot, ComparisonRow row, int index, int x, int y)
    {
        var prediction = row.PredictedCells.Count > index ? row.PredictedCells[index] : null;
        var rectangle = plot.Add.Rectangle(x - 0.47, x + 0.47, y - 0.42, y + 0.42);
        rectangle.LineWidth = 1;
        if (prediction is null)
        {
            rectangle.FillColor = NotRun;
            rectangle.LineColor = ChartStyle.Muted;
            ChartStyle.AddText(plot, "no prediction", x, y, 12, ChartStyle.Muted);
            return;
        }
        var allowed = prediction.WitnessAllowed(ComparedTest.QuantifierOf(row.Condition));
        rectangle.FillColor = allowed ? PredictedAllowed : NeverForbidden;
        rectangle.FillHatch = new Dots();
        rectangle.FillHatchColor = allowed ? ChartStyle.WeakAllowed.WithAlpha(0.45) : ChartStyle.Muted.WithAlpha(0.3);
        rectangle.LineColor = allowed ? ChartStyle.WeakAllowed : ChartStyle.Muted;
        var text = ChartStyle.AddText(plot, allowed ? "predicted: allowed" : "predicted: forbidden", x, y, 12, allowed ? ChartStyle.Text : ChartStyle.Muted);
        text.LabelItalic = true;
        text.LabelBold = row.ArmOnlyPredicted && allowed;
    }

    private static Color ColorOf(double frequency, int lowDecade) => Scale.GetColor(Position(frequency, lowDecade));

    private static void DrawCell(Plot plot, ComparedTest? cell, int x, int y, int lowDecade)
    {
        var rectangle = plot.Add.Rectangle(x - 0.47, x + 0.47, y - 0.42, y + 0.42);
        rectangle.LineWidth = 0;
        string text;
        Color textColor;
        if (cell is null)
        {
            rectangle.FillColor = NotRun;
            rectangle.LineColor = ChartStyle.Muted;
            rectangle.LineWidth = 1;
            text = "not run";
            textColor = ChartStyle.Muted;
        }
        else if (cell.Witnesses > 0)
        {
            var frequency = cell.WitnessFrequency;
            rectangle.FillColor = ColorOf(frequency, lowDecade);
            text = ReportFormat.Percent(frequency);
            textColor = Position(frequency, lowDecade) > 0.55 ? ChartStyle.Text : Colors.White;
            if (cell.Contradicted)
            {
                rectangle.LineColor = ChartStyle.ForbiddenHardware;
                rectangle.LineWidth = 3;
                text = $"! {text} (forbidden!)";
            }
        }
        else if (cell.WitnessAllowed == false)
        {
            rectangle.FillColor = NeverForbidden;
            text = "never (forbidden)" + (cell.Oversubscribed ? " *" : "");
            textColor = ChartStyle.Muted;
        }
        else
        {
            rectangle.FillColor = NeverAllowed;
            rectangle.FillHatch = new Striped(StripeDirection.DiagonalUp);
            rectangle.FillHatchColor = ChartStyle.WeakAllowed.WithAlpha(0.3);
            rectangle.LineColor = ChartStyle.WeakAllowed;
            rectangle.LineWidth = 1;
            text = "never (allowed)" + (cell.Oversubscribed ? " *" : "");
            textColor = ChartStyle.Text;
        }
        ChartStyle.AddText(plot, text, x, y, 12, textColor).LabelBold = cell?.Contradicted == true;
    }
}
