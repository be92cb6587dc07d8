using System.Text.RegularExpressions;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace Harness.Benchmarks;

/// <summary>How long BenchmarkDotNet measures: its Dry, ShortRun, MediumRun and LongRun jobs, and <see cref="BenchSuite.Precise"/>.</summary>
public enum BenchJob { Dry, Short, Precise, Medium, Long }

/// <summary>
/// The benchmark classes, the configuration both ways of running them share, and the names that
/// <c>harness bench --filter</c> matches: <c>GROUP/OPERATION/CONTENTION</c>, such as
/// <c>orderings/store seq_cst/contended</c>.
/// </summary>
public static class BenchSuite
{
    /// <summary>Wide enough for the longest operation name: BenchmarkDotNet cuts parameters at 20 characters.</summary>
    public const int ParameterColumnWidth = 48;

    public static Type[] Types { get; } = [typeof(PrimitiveCosts), typeof(OrderingCosts)];

    public static IReadOnlyList<MeasuredOperation> Operations { get; } = [.. PrimitiveCosts.All, .. OrderingCosts.All];

    /// <summary>Every case's name, in the order the tables show them.</summary>
    public static IEnumerable<string> CaseNames() =>
        Operations.SelectMany(operation => Enum.GetValues<Contention>().Select(contention => CaseName(operation, contention)));

    public static string CaseName(MeasuredOperation operation, Contention contention) =>
        $"{NameOf(operation.Group)}/{operation.Name}/{NameOf(contention)}";

    /// <summary>How names, files and the command line write a group, a contention level or a job: <c>uncontended</c>.</summary>
    public static string NameOf(Enum value) => value.ToString().ToLowerInvariant();

    public static MeasuredOperation? OperationOf(BenchmarkCase benchmarkCase) =>
        benchmarkCase.Parameters[nameof(OperationCosts.Operation)] as MeasuredOperation;

    public static Contention? ContentionOf(BenchmarkCase benchmarkCase) =>
        benchmarkCase.Parameters[nameof(OperationCosts.Contention)] as Contention?;

    /// <summary>
    /// Whether <paramref name="caseName"/> matches one of <paramref name="filters"/>: globs (<c>*</c>, <c>?</c>)
    /// over the whole name, ignoring case. No filter matches everything.
    /// </summary>
    public static bool Matches(IReadOnlyCollection<string> filters, string caseName) =>
        filters.Count == 0 || filters.Any(filter => Glob(filter).IsMatch(caseName));

    private static Regex Glob(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace(@"\*", ".*").Replace(@"\?", ".") + "$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    public static Job JobFor(BenchJob job) => job switch
    {
        BenchJob.Dry => Job.Dry,
        BenchJob.Short => Job.ShortRun,
        BenchJob.Precise => Precise,
        BenchJob.Medium => Job.MediumRun,
        BenchJob.Long => Job.LongRun,
        _ => throw new ArgumentOutOfRangeException(nameof(job)),
    };

    /// <summary>
    /// The default job: iterations of 100 ms (each thousands to hundreds of thousands of runs of the 1,024-operation loop), at
    /// least 15 and at most 200 of them, ending as soon as the 99.9% confidence interval's half-width (the Error
    /// column) is within 2% of the mean. ShortRun's 3 iterations give an interval wider than the mean itself
    /// (Student's t for 2 degrees of freedom is 31.6); MediumRun's and LongRun's fixed counts of 500 ms iterations
    /// take half an hour and hours for all the cases. Most cases stop at 15 to 30 iterations; the contended
    /// read-modify-writes and loads, whose times spread with the contender's timing (a retry more or less, the line
    /// here or away), need up to 200 to bring their interval within 10% of the mean: 60 left three of them at 12-28%.
    /// A few minutes on a quiet machine, longer on a noisy one.
    public static Job Precise { get; } = new Job("Precise")
        .WithWarmupCount(5)
        .WithIterationTime(TimeInterval.FromMilliseconds(100))
        .WithMinIterationCount(15)
        .WithMaxIterationCount(200)
        .WithMaxRelativeError(0.02)
        .Freeze();

    /// <summary>A job's name and the parameters it sets, for the reports: <c>precise job (WarmupCount=5, ...)</c>.</summary>
    public static string Describe(BenchJob job)
    {
        var parameters = BenchmarkDotNet.Characteristics.CharacteristicSetPresenter.Display.ToPresentation(JobFor(job));
        return string.IsNullOrEmpty(parameters) ? $"{NameOf(job)} job" : $"{NameOf(job)} job ({parameters})";
    }

    /// <summary>What both ways of running share: one table for both classes, in catalogue order, in nanoseconds, with the primitives each row runs.</summary>
    public static ManualConfig Tabulated(ManualConfig config) => config
        .AddColumn(new ExecutesColumn())
        .HideColumns(Column.Method)
        .WithOrderer(new OperationOrderer())
        .WithSummaryStyle(SummaryStyle.Default.WithTimeUnit(TimeUnit.Nanosecond).WithMaxParameterColumnWidth(ParameterColumnWidth))
        .WithOptions(ConfigOptions.JoinSummary);

    /// <summary>
    /// The configuration of <c>harness bench</c>: the benchmarks run inside this process (the published harness
    /// has no SDK to build BenchmarkDotNet's usual child process with), write nothing but into
    /// <paramref name="artifactsPath"/>, and export nothing: the caller exports the summary.
    /// </summary>
    public static IConfig InProcess(BenchJob job, IReadOnlyCollection<string> filters, string artifactsPath, ILogger logger) =>
        Tabulated(ManualConfig.CreateEmpty())
            .AddJob(JobFor(job)
                // One process: BenchmarkDotNet cannot launch it again.
                .WithLaunchCount(1)
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithId(job.ToString()))
            .AddColumnProvider(DefaultConfig.Instance.GetColumnProviders().ToArray())
            .AddAnalyser(DefaultConfig.Instance.GetAnalysers().ToArray())
            .AddValidator(DefaultConfig.Instance.GetValidators().ToArray())
            .AddLogger(logger)
            .AddFilter(new SimpleFilter(benchmarkCase => Matches(filters, CaseName(benchmarkCase))))
            .WithArtifactsPath(artifactsPath)
            .WithOptions(ConfigOptions.DisableLogFile);

    /// <summary>Runs the cases that <paramref name="filters"/> select, in this process, into one summary.</summary>
    /// <exception cref="BenchFailedException">No case matched: BenchmarkDotNet then has no summary to give.</exception>
    public static Summary RunInProcess(BenchJob job, IReadOnlyCollection<string> filters, string artifactsPath, ILogger logger) =>
        BenchmarkRunner.Run(Types, InProcess(job, filters, artifactsPath, logger)).SingleOrDefault()
        ?? throw new BenchFailedException("no benchmark ran: no case matches the filters");

    private static string CaseName(BenchmarkCase benchmarkCase) =>
        OperationOf(benchmarkCase) is { } operation && ContentionOf(benchmarkCase) is { } contention
            ? CaseName(operation, contention)
            : benchmarkCase.DisplayInfo;
}
