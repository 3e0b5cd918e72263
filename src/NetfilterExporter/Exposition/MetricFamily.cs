namespace NetfilterExporter.Exposition;

/// <summary>A metric name with its HELP, TYPE and series, independent of how it is serialised.</summary>
public sealed record MetricFamily(string Name, string Help, MetricType Type, IReadOnlyList<MetricSample> Samples);
