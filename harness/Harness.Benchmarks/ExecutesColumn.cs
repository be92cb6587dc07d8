using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Harness.Benchmarks;

/// <summary>The table column that says which .NET primitives a row runs: the mapping, next to its cost.</summary>
public sealed class ExecutesColumn : IColumn
{
    public string Id => nameof(ExecutesColumn);
    public string ColumnName => "Executes";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Params;
    public int PriorityInCategory => 1;
    public bool IsNumeric => false;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "The .NET primitives the operation runs, as the mapping scheme names them";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        BenchSuite.OperationOf(benchmarkCase)?.Executes ?? "?";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;

    public override string ToString() => ColumnName;
}
