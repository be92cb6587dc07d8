using System.Globalization;
using Harness.Running;
using ScottPlot;

namespace Harness.Reports.Charts;

/// <summary>
/// One measured cost: <paramref name="Operation"/> of <paramref name="Group"/> under <paramref name="Contention"/>,
/// in nanoseconds per operation (zero or less when it was below what the benchmark can resolve).
/// </summary>
public sealed record OperationCost(string Group, string Operation, string Contention, double Nanoseconds);

/// <summary>
/// The cost of each primitive and ordering as horizontal bars, a bar per contention level, on a log10 scale
/// (costs span a fraction of a nanosecond to hundreds); the groups under a heading each, in the order given.
/// </summary>
public static class BenchChart
{
    private const int RowPixels = 34;
    private const double BarSize = 0.36;

    /// <summary>Contention levels in the order they first appear, the first in blue, the second in orange.</summary>
    private static readonly Color[] SeriesColors =
        [Color.FromHex("#5B7FA6"), Color.FromHex("#F28E2B"), Color.FromHex("#59A14F"), Color.FromHex("#B07AA1")];

    /// <summary>Writes <c>PATH.png</c> and <c>PATH.svg</c>.</summary>
    public static void Save(IReadOnlyList<OperationCost> costs, MachineInfo machine, string description, string pathWithoutExtension)
    {
        using var plot = Build(costs, machine, description, out var width, out var height);
        ChartStyle.Save(plot, pathWithoutExtension, width, height);
    }

    internal static Plot Build(IReadOnlyList<OperationCost> costs, MachineInfo machine, string description, out int width, out int height)
    {
        var series = costs.Select(c => c.Contention).Distinct().ToList();
        var groups = costs.GroupBy(c => c.Group).Select(g => (Title: g.Key, Rows: g.Select(c => c.Operation).Distinct().ToList())).ToList();
        var measured = costs.Where(c => c.Nanoseconds > 0).Select(c => c.Nanoseconds).ToList();
        var lowDecade = measured.Count == 0 ? -1 : Math.Min(-1, (int)Math.Floor(Math.Log10(measured.Min())));
        var highDecade = measured.Count == 0 ? 1 : Math.Max(lowDecade + 1, (int)Math.Ceiling(Math.Log10(measured.Max())));
        var floor = lowDecade - 0.3; // what a cost below resolution is drawn to
        var right = highDecade + 0.9; // room for the value right of the longest bar

        var plot = ChartStyle.NewPlot();
        var lines = groups.Sum(g => g.Rows.Count + 1);
        var ticks = new List<(double Position, string Label)>();
        var bars = new List<Bar>();
        var line = 0;
        foreach (var (title, rows) in groups)
        {
            var heading = ChartStyle.AddText(plot, title, floor, Position(line++, lines), ChartStyle.AxisLabelSize, ChartStyle.Text, Alignment.MiddleLeft);
            heading.LabelBold = true;
            heading.LabelOffsetX = 4;
            foreach (var row in rows)
            {
                var position = Position(line++, lines);
                ticks.Add((position, row));
                for (var s = 0; s < series.Count; s++)
                {
                    var cost = costs.FirstOrDefault(c => c.Group == title && c.Operation == row && c.Contention == series[s]);
                    if (cost is null) continue;
                    var barPosition = position + (series.Count - 1 - 2 * s) * BarSize / 2; // the first series on top
                    var color = SeriesColors[s % SeriesColors.Length];
                    var resolved = cost.Nanoseconds > 0;
                    var end = resolved ? Math.Max(Math.Log10(cost.Nanoseconds), floor) : floor;
                    bars.Add(new Bar
                    {
                        Position = barPosition,
                        ValueBase = floor,
                        Value = end,
                        FillColor = color,
                        LineColor = color.Darken(0.3),
                        LineWidth = 1,
                        Size = BarSize * 0.9,
                        Orientation = Orientation.Horizontal,
                    });
                    var label = ChartStyle.AddText(plot, resolved ? Nanoseconds(cost.Nanoseconds) : "below resolution", end, barPosition, 10,
                        resolved ? ChartStyle.Text : ChartStyle.Muted, Alignment.MiddleLeft);
                    label.LabelOffsetX = 4;
                    label.LabelItalic = !resolved;
                }
            }
        }
        plot.Add.Bars(bars).Horizontal = true;

        var subtitle = $"{machine.CpuModel}, {machine.Cores} cores, {machine.OperatingSystem}, {machine.DotNetVersion}; {description}";
        var subtitleLabel = ChartStyle.Label(plot, $"Cost per operation on {machine.Id}", subtitle,
            "nanoseconds per operation (log scale)", "", topTicks: true);
        plot.Axes.Bottom.TickGenerator = ChartStyle.LogTicks(lowDecade, highDecade, NanosecondLabel);
        plot.Axes.Top.TickGenerator = ChartStyle.LogTicks(lowDecade, highDecade, NanosecondLabel);
        plot.Axes.Left.SetTicks(ticks.Select(t => t.Position).ToArray(), ticks.Select(t => t.Label).ToArray());
        plot.Axes.SetLimits(floor, right, -0.6, lines - 0.4);
        plot.Axes.SetLimitsX(floor, right, plot.Axes.Top);
        plot.Grid.YAxisStyle.IsVisible = false;
        plot.Grid.XAxisStyle.MinorLineStyle.Width = 1;
        plot.Grid.XAxisStyle.MinorLineStyle.Color = Colors.Black.WithAlpha(0.05);

        plot.Legend.DisplayPlottableLegendItems = false;
        for (var s = 0; s < series.Count; s++) plot.Legend.ManualItems.Add(ChartStyle.Swatch(series[s], SeriesColors[s % SeriesColors.Length]));
        plot.Legend.FontSize = 12;
        plot.Legend.Orientation = Orientation.Horizontal;
        plot.ShowLegend(Edge.Bottom);

        var labelWidth = (int)ChartStyle.WidestText(plot.Axes.Left.TickLabelStyle, ticks.Select(t => t.Label));
        width = Math.Max(1100, labelWidth + 900);
        width = Math.Max(width, (int)ChartStyle.WidestText(subtitleLabel, [subtitle]) + labelWidth + 60);
        height = 240 + RowPixels * Math.Max(lines, 4);
        return plot;
    }

    /// <summary>Line 0 at the top.</summary>
    private static double Position(int line, int lines) => lines - 1 - line;

    private static string Nanoseconds(double value) =>
        value.ToString(value < 10 ? "0.00" : value < 100 ? "0.0" : "0", CultureInfo.InvariantCulture) + " ns";

    /// <summary>0.01 ns, 0.1 ns, 1 ns, 10 ns, 100 ns, 1 µs, ...</summary>
    private static string NanosecondLabel(int decade) => decade switch
    {
        < 3 => Math.Pow(10, decade).ToString("0.##########", CultureInfo.InvariantCulture) + " ns",
        < 6 => Math.Pow(10, decade - 3).ToString("0", CultureInfo.InvariantCulture) + " µs",
        _ => Math.Pow(10, decade - 6).ToString("0", CultureInfo.InvariantCulture) + " ms",
    };
}
