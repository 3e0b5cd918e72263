using System.Text;
using System.Text.Json;
using NetfilterExporter.Collection;
using NetfilterExporter.Findings;
using Prometheus;

namespace NetfilterExporter.Reporting;

/// <summary>
/// One source's part of an assessed snapshot, rendered by that source's own writers. /metrics, `check` (text and
/// JSON) and the landing page go through these and know no source themselves, so a new source needs no change there.
/// </summary>
public interface ISourceReport
{
    /// <summary>What this source found wrong, in the order `check` and the landing page show it.</summary>
    IReadOnlyList<Finding> Findings { get; }

    /// <summary>
    /// Writes the metric families of <paramref name="result"/> when it is one of this source's results, else nothing.
    /// Called per result in collection order, in a registry built for one snapshot alone; results of the same kind create
    /// the same families, which prometheus-net hands back to each of them, so every family stays one block.
    /// </summary>
    void WriteMetrics(ICollectorResult result, IMetricFactory metrics);

    /// <summary>
    /// Writes what this part says whatever its source returned (also when its collector did not run or failed), once
    /// per snapshot after every result's families.
    /// </summary>
    void WriteMetrics(IMetricFactory metrics);

    /// <summary>This source's section of `check`'s text, before the findings; nothing when it has nothing to show.</summary>
    void WriteText(StringBuilder text);

    /// <summary>
    /// This source's section of the landing page, before the findings: a <c>section</c> with an <c>h2</c>, everything from the
    /// node encoded (<see cref="Html"/>); nothing when it has nothing to show.
    /// </summary>
    void WriteHtml(StringBuilder html);

    /// <summary>This source's properties of `check --output json` (docs/contract.md §5).</summary>
    void WriteJson(Utf8JsonWriter json);

    /// <summary>What a healthy verdict says of this source, e.g. "every host port has one DNAT claim"; null for nothing.</summary>
    string? HealthyClause { get; }

    /// <summary>A line `check` adds after "No findings" about what this source could not check; null when there is none.</summary>
    string? Caveat { get; }
}
