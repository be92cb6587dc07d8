using System.Collections.Immutable;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Order;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Harness.Benchmarks;

/// <summary>
/// Cases in catalogue order, an operation's contention levels next to each other (BenchmarkDotNet would sort by
/// the parameters' names, contention first, which scatters an operation's rows), and only the first row of each
/// group in bold, where BenchmarkDotNet would bold every row that starts a new set of parameters: all of them.
/// </summary>
public sealed class OperationOrderer : DefaultOrderer, IOrderer
{
    public override IEnumerable<BenchmarkCase> GetExecutionOrder(ImmutableArray<BenchmarkCase> benchmarksCase,
        IEnumerable<BenchmarkLogicalGroupRule>? order = null) => InCatalogueOrder(benchmarksCase);

    public override IEnumerable<BenchmarkCase> GetSummaryOrder(ImmutableArray<BenchmarkCase> benchmarksCases, Summary summary) =>
        InCatalogueOrder(benchmarksCases);

    // Not virtual in DefaultOrderer: the interface is implemented again.
    string? IOrderer.GetHighlightGroupKey(BenchmarkCase benchmarkCase) => BenchSuite.OperationOf(benchmarkCase)?.Group.ToString();

    private static IEnumerable<BenchmarkCase> InCatalogueOrder(IEnumerable<BenchmarkCase> cases) =>
        cases.OrderBy(BenchSuite.OperationOf).ThenBy(BenchSuite.ContentionOf);
}
