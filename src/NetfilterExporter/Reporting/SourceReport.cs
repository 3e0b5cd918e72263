using System.Text;
using System.Text.Json;
using NetfilterExporter.Collection;
using NetfilterExporter.Findings;
using Prometheus;

namespace NetfilterExporter.Reporting;

/// <summary>The common shape of an <see cref="ISourceReport"/> whose source produces results of one type.</summary>
public abstract class SourceReport<TResult> : ISourceReport
    where TResult : ICollectorResult
{
    public abstract IReadOnlyList<Finding> Findings { get; }

    public virtual string? HealthyClause => null;

    public virtual string? Caveat => null;

    public void WriteMetrics(ICollectorResult result, IMetricFactory metrics)
    {
        if (result is TResult mine)
        {
            WriteMetrics(mine, metrics);
        }
    }

    public virtual void WriteMetrics(IMetricFactory metrics)
    {
    }

    public abstract void WriteText(StringBuilder text);

    public virtual void WriteHtml(StringBuilder html)
    {
    }

    public abstract void WriteJson(Utf8JsonWriter json);

    protected abstract void WriteMetrics(TResult result, IMetricFactory metrics);
}
