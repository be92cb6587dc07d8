using System.Globalization;
using Harness.Verdicts;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace Harness.Reports.Charts;

/// <summary>What every chart shares: the class colours, log-scale ticks, the subtitle and the atomic PNG + SVG save.</summary>
internal static class ChartStyle
{
    public static readonly Color Sc = Color.FromHex("#5B7FA6");
    public static readonly Color WeakAllowed = Color.FromHex("#F28E2B");
    public static readonly Color ForbiddenHardware = Color.FromHex("#D62728");
    public static readonly Color ForbiddenCpp20 = Color.FromHex("#8E44AD");
    public static readonly Color BeyondBound = Color.FromHex("#8C8C6E");
    public static readonly Color ForbiddenNet = Color.FromHex("#E377C2");
    public static readonly Color Text = Color.FromHex("#222222");
    public static readonly Color Muted = Color.FromHex("#777777");

    public const float TitleSize = 18;
    public const float SubtitleSize = 12;
    public const float AxisLabelSize = 14;
    public const float TickSize = 12;

    public static Color Of(OutcomeClass outcomeClass) => outcomeClass switch
    {
        OutcomeClass.Sc => Sc,
        OutcomeClass.WeakAllowed => WeakAllowed,
        OutcomeClass.ForbiddenHardware => ForbiddenHardware,
        OutcomeClass.ForbiddenCpp20 => ForbiddenCpp20,
        OutcomeClass.ForbiddenNet => ForbiddenNet,
        OutcomeClass.BeyondBound => BeyondBound,
        _ => throw new ArgumentOutOfRangeException(nameof(outcomeClass)),
    };

    public static string Describe(OutcomeClass outcomeClass) => outcomeClass switch
    {
        OutcomeClass.Sc => "sc (an interleaving)",
        OutcomeClass.WeakAllowed => "weak-allowed",
        OutcomeClass.ForbiddenHardware => "forbidden-hw (hardware model forbids)",
        OutcomeClass.ForbiddenCpp20 => "forbidden-cpp20 (C++20 forbids)",
        OutcomeClass.ForbiddenNet => "forbidden-net (a .NET promise broken)",
        OutcomeClass.BeyondBound => "beyond-bound (loops ran past the predictions' bound)",
        _ => throw new ArgumentOutOfRangeException(nameof(outcomeClass)),
    };

    /// <summary>A filled square in the legend.</summary>
    public static LegendItem Swatch(string label, Color fill, Color? outline = null, IHatch? hatch = null, Color? hatchColor = null)
    {
        var item = new LegendItem
        {
            LabelText = label,
            FillColor = fill,
            OutlineColor = outline ?? fill,
            OutlineWidth = outline is null ? 0 : 1.5f,
        };
        if (hatch is not null)
        {
            item.FillHatch = hatch;
            item.FillHatchColor = hatchColor ?? outline ?? fill;
        }
        return item;
    }

    /// <summary>
    /// Title, subtitle (a second title panel, under the title) and axis labels in the chart's sizes; both titles
    /// are centred on the data area (ScottPlot's FullFigureCenter is off-centre when the right edge has panels).
    /// <paramref name="topTicks"/>: whether the top axis shows tick labels (else it shows none).
    /// Returns the subtitle's label, for a colour that stands out.
    /// </summary>
    public static LabelStyle Label(Plot plot, string title, string subtitle, string xLabel, string yLabel, bool topTicks = false)
    {
        plot.Title(title, TitleSize);
        plot.Axes.Title.Label.ForeColor = Text;
        plot.Axes.Title.Label.Bold = true;
        var panel = new ScottPlot.Panels.TitlePanel();
        panel.Label.Text = subtitle;
        panel.Label.FontName = SansFont;
        panel.Label.FontSize = SubtitleSize;
        panel.Label.Bold = false;
        panel.Label.ForeColor = Muted;
        panel.VerticalPadding = 6;
        plot.Axes.AddPanel(panel);
        if (topTicks) plot.Axes.Top.TickLabelStyle.FontSize = TickSize;
        else plot.Axes.Top.TickGenerator = new NumericManual();
        plot.XLabel(xLabel, AxisLabelSize);
        plot.YLabel(yLabel, AxisLabelSize);
        plot.Axes.Bottom.TickLabelStyle.FontSize = TickSize;
        plot.Axes.Left.TickLabelStyle.FontSize = TickSize;
        return panel.Label;
    }

    /// <summary>A plot whose every text is in <see cref="SansFont"/>.</summary>
    public static Plot NewPlot()
    {
        // By name, not with Plot.Font.Set: that pins a typeface, and bold labels would no longer be bold.
        var plot = new Plot();
        foreach (var axis in plot.Axes.GetAxes())
        {
            axis.Label.FontName = SansFont;
            axis.TickLabelStyle.FontName = SansFont;
        }
        plot.Axes.Title.Label.FontName = SansFont;
        plot.Legend.FontName = SansFont;
        return plot;
    }

    /// <summary>A text plottable in the chart's font.</summary>
    public static ScottPlot.Plottables.Text AddText(Plot plot, string text, double x, double y, float size, Color color,
        Alignment alignment = Alignment.MiddleCenter)
    {
        var label = plot.Add.Text(text, x, y);
        label.LabelFontName = SansFont;
        label.LabelFontSize = size;
        label.LabelFontColor = color;
        label.LabelAlignment = alignment;
        return label;
    }

    /// <summary>
    /// A sans-serif family that exists here: ScottPlot's default falls back to whatever the system has first,
    /// a serif face on a bare Linux.
    /// </summary>
    public static string SansFont { get; } =
        new[] { "DejaVu Sans", "Liberation Sans", "Arial", "Helvetica", "Noto Sans", "Segoe UI" }
            .FirstOrDefault(name => Fonts.GetTypeface(name, false, false)?.FamilyName == name) ?? Fonts.Default;

    /// <summary>
    /// Ticks for an axis that shows log10 of the data: a labelled major tick at every power of ten from
    /// <paramref name="lowDecade"/> to <paramref name="highDecade"/>, unlabelled minor ticks at 2..9 times each.
    /// </summary>
    public static NumericManual LogTicks(int lowDecade, int highDecade, Func<int, string> label)
    {
        var ticks = new NumericManual();
        for (var decade = lowDecade; decade <= highDecade; decade++)
        {
            ticks.AddMajor(decade, label(decade));
            if (decade == highDecade) break;
            for (var multiple = 2; multiple <= 9; multiple++) ticks.AddMinor(decade + Math.Log10(multiple));
        }
        return ticks;
    }

    /// <summary>1, 10, 100, 1k, 10k, 100k, 1M, ... for a count axis.</summary>
    public static string CountLabel(int decade) => decade switch
    {
        < 0 => Math.Pow(10, decade).ToString("0.#########", CultureInfo.InvariantCulture),
        < 3 => Math.Pow(10, decade).ToString("0", CultureInfo.InvariantCulture),
        < 6 => Math.Pow(10, decade - 3).ToString("0", CultureInfo.InvariantCulture) + "k",
        < 9 => Math.Pow(10, decade - 6).ToString("0", CultureInfo.InvariantCulture) + "M",
        _ => Math.Pow(10, decade - 9).ToString("0", CultureInfo.InvariantCulture) + "G",
    };

    /// <summary>100%, 10%, 1%, 0.1%, ... 0.0001% for a frequency axis (10^decade as a fraction).</summary>
    public static string PercentLabel(int decade) =>
        (Math.Pow(10, decade) * 100).ToString("0.##########", CultureInfo.InvariantCulture) + "%";

    /// <summary>The pixel width of the widest text in a label style.</summary>
    public static float WidestText(LabelStyle style, IEnumerable<string> texts)
    {
        using var paint = Paint.NewDisposablePaint();
        var widest = 0f;
        foreach (var text in texts) widest = Math.Max(widest, style.Measure(text, paint).Width);
        return widest;
    }

    /// <summary>Renders <paramref name="plot"/> to <c>PATH.png</c> and <c>PATH.svg</c>, each through a temporary file.</summary>
    public static void Save(Plot plot, string pathWithoutExtension, int width, int height)
    {
        var png = plot.GetImageBytes(width, height, ImageFormat.Png);
        AtomicFile.WriteAllBytes(pathWithoutExtension + ".png", png);
        var svg = plot.GetSvgXml(width, height);
        AtomicFile.WriteAllText(pathWithoutExtension + ".svg", svg);
    }
}
