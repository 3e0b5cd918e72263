using NetfilterExporter.Exposition;

namespace NetfilterExporter.Collection;

/// <summary>What a collector read, immutable; it knows the metric families its source contributes.</summary>
public interface ICollectorResult
{
    /// <summary>
    /// The families of this result alone. Results of the same kind (one per backend and family) return the same
    /// families, which the exposition merges by name.
    /// </summary>
    IEnumerable<MetricFamily> Metrics();
}
