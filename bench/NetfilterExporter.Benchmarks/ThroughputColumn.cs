using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using NetfilterExporter.TestSupport.Tables;

namespace NetfilterExporter.Benchmarks;

/// <summary>
/// MB/s of dump consumed (10^6 bytes per second of mean time) for benchmarks with a "Rules" parameter: the
/// number goal 1 is stated in. The dump size is regenerated from the same shape, which gives the same bytes.
/// </summary>
public sealed class ThroughputColumn : IColumn
{
    private readonly Dictionary<TableShape, long> dumpSizes = [];

    public string Id => nameof(ThroughputColumn);

    public string ColumnName => "MB/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Megabytes (10^6) of iptables-save dump processed per second";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var shape = ShapeOf(benchmarkCase);
        var meanNanoseconds = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (shape is null || meanNanoseconds is not > 0)
        {
            return "-";
        }
        if (!dumpSizes.TryGetValue(shape, out var size))
        {
            dumpSizes[shape] = size = NatTableWriter.Generate(shape).LongLength;
        }
        return (size / 1e6 / (meanNanoseconds.Value / 1e9)).ToString("N0", CultureInfo.InvariantCulture);
    }

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;

    private static TableShape? ShapeOf(BenchmarkCase benchmarkCase)
    {
        var rules = benchmarkCase.Parameters.Items.FirstOrDefault(parameter => parameter.Name == "Rules")?.Value;
        var pods = benchmarkCase.Parameters.Items.FirstOrDefault(parameter => parameter.Name == "HostPortPods")?.Value;
        return rules is int ruleCount ? new TableShape(ruleCount, pods as int? ?? new TableShape(ruleCount).HostPortPods) : null;
    }
}
