using Harness.Simulation;
using Harness.Verdicts;
using ScottPlot;
using ScottPlot.Hatches;
using Harness.Programs;

namespace Harness.Reports.Charts;

/// <summary>
/// One test's outcome histogram: a bar per final state, observed or allowed-but-unseen, its height the
/// count on a log10 scale, its colour the state's class.
/// </summary>
public static class OutcomeChart
{
    /// <summary>Where bars start: half a decade under a count of 1, so that a state seen once still shows.</summary>
    private const double Floor = -0.5;

    /// <summary>The top of the stub that stands for a state never seen: lower than any seen bar.</summary>
    private const double UnseenTop = -0.3;

    /// <summary>States of up to this many registers and locations are labelled a value per line, longer ones on one rotated line.</summary>
    private const int MaxLines = 4;

    /// <summary>Writes <c>PATH.png</c> and <c>PATH.svg</c>.</summary>
    public static void Save(TestRun run, string pathWithoutExtension)
    {
        using var plot = Build(run, out var width, out var height);
        ChartStyle.Save(plot, pathWithoutExtension, width, height);
    }

    /// <summary>A spin-counting test can end in a thousand beyond-bound states: past this many, the rest share one column.</summary>
    private const int MaxBeyondBoundColumns = 6;

    /// <param name="Elsewhere">For a state this machine's model forbids and another target's allows: those targets, "arm64" —
    /// a prediction drawn beside the observations, never observed here.</param>
    private sealed record Column(FinalState State, long Count, OutcomeClass Class, bool Satisfies, bool Seen, bool Observable = true,
        string? Caption = null, string? Elsewhere = null)
    {
        /// <summary>One line per register or location, the satisfying states starred.</summary>
        public string Label(bool multiline) => Caption ??
            (Satisfies ? "* " : "") + string.Join(multiline ? "\n" : "; ", State.Keys.Select((k, i) => $"{k}={State.Values[i]}"));
    }

    /// <summary>The first beyond-bound states as they are, the others summed into one column.</summary>
    private static List<Column> FoldBeyondBound(List<Column> columns)
    {
        var beyond = columns.Where(c => c.Class == OutcomeClass.BeyondBound && c.Seen).ToList();
        if (beyond.Count <= MaxBeyondBoundColumns) return columns;
        var folded = beyond.Skip(MaxBeyondBoundColumns - 1).ToList();
        var kept = columns.Where(c => !folded.Contains(c)).ToList();
        kept.Add(new Column(folded[0].State, folded.Sum(c => c.Count), OutcomeClass.BeyondBound, false, true,
            Caption: $"{folded.Count} more\nbeyond-bound\nstates"));
        return kept;
    }

    internal static Plot Build(TestRun run, out int width, out int height)
    {
        var columns = run.Histogram.Select(o => new Column(o.State, o.Count, o.Class, o.SatisfiesCondition, true))
            .Concat(run.AllowedUnseen.Select(s => new Column(s, 0, run.Predicted.Classify(s), s.Satisfies(run.Test.Condition.Proposition), false)))
            .Concat(run.Unobservable.Select(s => new Column(s, 0, run.Predicted.Classify(s), s.Satisfies(run.Test.Condition.Proposition), false, false)))
            .Concat(ElsewhereOnly(run).Select(p => new Column(p.State, 0, OutcomeClass.WeakAllowed, p.State.Satisfies(run.Test.Condition.Proposition),
                false, Elsewhere: p.Targets)))
            .OrderBy(c => c.State)
            .ToList();
        columns = FoldBeyondBound(columns);
        var maxCount = columns.Count == 0 ? 1 : Math.Max(1, columns.Max(c => c.Count));
        var topDecade = Math.Max(1, (int)Math.Ceiling(Math.Log10(maxCount) + 0.05));
        var top = topDecade + 0.3; // room for the count above the tallest bar

        var plot = ChartStyle.NewPlot();
        var bars = new List<Bar>();
        for (var i = 0; i < columns.Count; i++)
        {
            var column = columns[i];
            var color = ChartStyle.Of(column.Class);
            if (column.Seen)
            {
                bars.Add(new Bar
                {
                    Position = i,
                    ValueBase = Floor,
                    Value = Math.Log10(column.Count),
                    FillColor = color,
                    LineColor = color.Darken(0.3),
                    LineWidth = 1,
                    Size = 0.7,
                });
                ChartStyle.AddText(plot, column.Count.ToString("N0"), i, Math.Log10(column.Count), 11, ChartStyle.Text, Alignment.LowerCenter)
                    .LabelOffsetY = -3;
            }
            else if (column.Elsewhere is { } targets)
            {
                // Forbidden here, allowed on another target: a dotted stub, labelled as the prediction it is.
                bars.Add(new Bar
                {
                    Position = i,
                    ValueBase = Floor,
                    Value = UnseenTop,
                    FillColor = Colors.White,
                    FillHatch = new Dots(),
                    FillHatchColor = ChartStyle.WeakAllowed.WithAlpha(0.5),
                    LineColor = ChartStyle.WeakAllowed,
                    LineWidth = 1.5f,
                    Size = 0.7,
                });
                var text = ChartStyle.AddText(plot, $"{targets} only: predicted", i, UnseenTop, 12, ChartStyle.WeakAllowed.Darken(0.4), Alignment.MiddleLeft);
                text.LabelItalic = true;
                text.LabelRotation = -90;
                text.LabelOffsetY = -4;
            }
            else
            {
                // An allowed state the run never produced: an empty, hatched stub, "not seen" written up from it;
                // cross-hatched and grey when the code the JIT emitted cannot produce it at all.
                var stubColor = column.Observable ? color : ChartStyle.Muted;
                bars.Add(new Bar
                {
                    Position = i,
                    ValueBase = Floor,
                    Value = UnseenTop,
                    FillColor = Colors.White,
                    FillHatch = column.Observable ? new Striped(StripeDirection.DiagonalUp) : new Checker(),
                    FillHatchColor = stubColor.WithAlpha(column.Observable ? 0.6 : 0.35),
                    LineColor = stubColor,
                    LineWidth = 1.5f,
                    Size = 0.7,
                });
                var text = ChartStyle.AddText(plot, column.Observable ? "not seen" : "not observable", i, UnseenTop, 12, stubColor.Darken(0.35),
                    Alignment.MiddleLeft);
                text.LabelBold = true;
                text.LabelRotation = -90;
                text.LabelOffsetY = -4;
            }
        }
        plot.Add.Bars(bars);

        var test = run.Test;
        var machine = run.Machine;
        var title = $"{test.Name}: {test.Condition.Text}";
        var subtitle = $"{machine.Id} ({machine.CpuModel}), hardware model {run.Predicted.Hardware.Target}, scheme {run.Scheme.Name}, " +
                       $"{run.Iterations:N0} iterations, condition seen: {run.Observation}" +
                       (run.UnseenCaveats.Count > 0 ? $" ({string.Join("; ", run.UnseenCaveats)})" : "") +
                       (run.ForbiddenObserved ? " - FORBIDDEN STATE OBSERVED" : "") +
                       (run.OversubscribedText is { } turns && run.WitnessSeen ? $"; {turns}" : "");
        var subtitleLabel = ChartStyle.Label(plot, title, subtitle, "final state  (* = satisfies the condition)", "count (log scale)");
        if (run.ForbiddenObserved) subtitleLabel.ForeColor = ChartStyle.ForbiddenHardware;

        // Log scale by hand: the bars hold log10(count), the ticks say 1, 10, 100, ...
        plot.Axes.Left.TickGenerator = ChartStyle.LogTicks(0, topDecade, ChartStyle.CountLabel);
        plot.Axes.SetLimitsY(Floor, top);
        plot.Axes.SetLimitsX(-0.6, columns.Count - 0.4);
        plot.Axes.SetLimitsX(-0.6, columns.Count - 0.4, plot.Axes.Top);
        plot.Grid.XAxisStyle.IsVisible = false;
        plot.Grid.YAxisStyle.MinorLineStyle.Width = 1;
        plot.Grid.YAxisStyle.MinorLineStyle.Color = Colors.Black.WithAlpha(0.05);

        // One tick per state, a line per key, the columns as wide as the widest line; for states of more than
        // MaxLines keys, or too many states for that, single-line labels rotated under narrower columns.
        var style = plot.Axes.Bottom.TickLabelStyle;
        var keys = columns.Count == 0 ? 0 : columns.Max(c => c.State.Keys.Count);
        var columnPixels = Math.Max(76, (int)ChartStyle.WidestText(style, columns.SelectMany(c => c.Label(true).Split('\n'))) + 16);
        var multiline = keys <= MaxLines && columns.Count * columnPixels <= 1800;
        var labels = columns.Select(c => c.Label(multiline)).ToArray();
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, columns.Count).Select(i => (double)i).ToArray(), labels);
        var labelHeight = (int)((keys + 1) * (ChartStyle.TickSize + 4));
        var rightMargin = 0;
        if (!multiline)
        {
            const double angle = 40;
            columnPixels = Math.Max(56, 480 / Math.Max(1, columns.Count)); // at least 480 pixels of data
            style.Rotation = (float)angle;
            style.Alignment = Alignment.MiddleLeft;
            var widest = ChartStyle.WidestText(style, labels);
            labelHeight = (int)(widest * Math.Sin(angle * Math.PI / 180)) + 16;
            // The last label runs right of the last column: make room for it on the right, and as much on the left
            // so that the title and subtitle, centred on the data, stay centred on the figure.
            rightMargin = (int)Math.Max(0, widest * Math.Cos(angle * Math.PI / 180) - columnPixels / 2.0) + 10;
            plot.Axes.Right.MinimumSize = rightMargin;
            plot.Axes.Left.MinimumSize = rightMargin;
        }
        plot.Axes.Bottom.MinimumSize = labelHeight + ChartStyle.AxisLabelSize + 20;

        plot.Legend.DisplayPlottableLegendItems = false;
        plot.Legend.ManualItems.AddRange(LegendItems(columns));
        plot.Legend.FontSize = 12;
        plot.Legend.Orientation = Orientation.Horizontal;
        plot.ShowLegend(Edge.Bottom);

        width = Math.Max(760, Math.Max(120, 2 * rightMargin) + columns.Count * columnPixels);
        width = Math.Max(width, (int)ChartStyle.WidestText(plot.Axes.Title.Label, [title]) + 60);
        width = Math.Max(width, (int)ChartStyle.WidestText(subtitleLabel, [subtitle]) + 60);
        height = 520 + labelHeight;
        return plot;
    }

    /// <summary>
    /// The states this machine's model forbids and another target's allows, each with those targets: a model's
    /// name when all its profiles that were predicted allow the state ("arm64"), else the profiles ("arm64 v8.0").
    /// </summary>
    private static IEnumerable<(FinalState State, string Targets)> ElsewhereOnly(TestRun run)
    {
        var here = run.Predicted.Hardware.States.ToHashSet();
        var observed = run.Histogram.Select(o => o.State).ToHashSet();
        var states = run.Predicted.Elsewhere.SelectMany(e => e.States).Where(s => !here.Contains(s) && !observed.Contains(s)).Distinct();
        foreach (var state in states)
        {
            var names = run.Predicted.Elsewhere.GroupBy(e => e.Model).Select(model =>
            {
                var allowing = model.Where(e => e.States.Contains(state)).Select(e => e.Profile.Name).ToList();
                return allowing.Count == 0 ? null
                    : allowing.Count == model.Count() || model.Key == "tso" ? model.Key
                    : $"{model.Key} {string.Join("/", allowing)}";
            }).OfType<string>();
            yield return (state, string.Join(", ", names));
        }
    }

    private static IEnumerable<LegendItem> LegendItems(IReadOnlyList<Column> columns)
    {
        foreach (var outcomeClass in Enum.GetValues<OutcomeClass>())
            // The rarer classes only where they occur, so that the usual legend stays as it was.
            if (outcomeClass is not (OutcomeClass.BeyondBound or OutcomeClass.ForbiddenNet) || columns.Any(c => c.Class == outcomeClass))
                yield return ChartStyle.Swatch(ChartStyle.Describe(outcomeClass), ChartStyle.Of(outcomeClass));
        if (columns.Any(c => !c.Seen && c.Observable && c.Elsewhere is null))
            yield return ChartStyle.Swatch("allowed, not seen", Colors.White, ChartStyle.Muted, new Striped(StripeDirection.DiagonalUp),
                ChartStyle.Muted.WithAlpha(0.6));
        if (columns.Any(c => c.Elsewhere is not null))
            yield return ChartStyle.Swatch("allowed only on another target: predicted, not observed", Colors.White, ChartStyle.WeakAllowed,
                new Dots(), ChartStyle.WeakAllowed.WithAlpha(0.5));
        if (columns.Any(c => !c.Observable))
            yield return ChartStyle.Swatch("allowed, not observable with the JIT's code", Colors.White, ChartStyle.Muted, new Checker(),
                ChartStyle.Muted.WithAlpha(0.35));
    }
}
