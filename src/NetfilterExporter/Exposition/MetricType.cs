namespace NetfilterExporter.Exposition;

public enum MetricType
{
    Gauge,
    Counter,
}
