using Prometheus;

namespace NetfilterExporter.Instrumentation;

/// <summary>
/// The exporter's own long-lived registry: process_* and the telemetry path's requests, the equivalent of
/// node_exporter's promhttp_metric_handler_requests_total{code} and _in_flight. Kept apart from the
/// per-snapshot registries, whose series must not outlive their snapshot.
/// </summary>
public sealed class SelfMetrics
{
    public SelfMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        var metrics = Metrics.WithCustomRegistry(Registry);
        metrics.ExemplarBehavior = ExemplarBehavior.NoExemplars();
        ProcessMetrics.Register(metrics, Registry);
        Requests = metrics.CreateCounter("promhttp_metric_handler_requests_total", "Total number of scrapes by HTTP status code.",
            new CounterConfiguration { LabelNames = ["code"] });
        // As promhttp does: the codes a scrape normally ends with are there from the start, at 0.
        foreach (var code in new[] { "200", "500", "503" })
        {
            Requests.WithLabels(code);
        }
        InFlight = metrics.CreateGauge("promhttp_metric_handler_requests_in_flight", "Current number of scrapes being served.");
    }

    public CollectorRegistry Registry { get; }

    public Counter Requests { get; }

    public Gauge InFlight { get; }
}
