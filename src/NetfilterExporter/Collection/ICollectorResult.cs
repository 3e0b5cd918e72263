using Prometheus;

namespace NetfilterExporter.Collection;

/// <summary>What a collector read, immutable; it knows the metric families its source contributes.</summary>
public interface ICollectorResult
{
    /// <summary>
    /// Creates this result's families in <paramref name="metrics"/>, a registry built for one snapshot alone.
    /// Results of the same kind (one per backend and family) create the same families, which prometheus-net
    /// hands back to each of them, so every family stays one block. <paramref name="sandboxes"/> is the snapshot's
    /// join of host port claims with the runtime's sandboxes, for results whose series carry a claim's state.
    /// </summary>
    void WriteMetrics(IMetricFactory metrics, Assessment.SandboxJoin sandboxes);
}
