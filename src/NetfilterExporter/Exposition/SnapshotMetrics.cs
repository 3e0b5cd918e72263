using System.Globalization;
using NetfilterExporter.Assessment;
using NetfilterExporter.Instrumentation;
using Prometheus;

namespace NetfilterExporter.Exposition;

/// <summary>
/// prometheus-net's pattern for data from another system: a fresh registry built from one assessed snapshot
/// alone, serialised, then dropped, so no series outlives the snapshot it came from (docs/contract.md §1).
/// </summary>
public static class SnapshotMetrics
{
    public static CollectorRegistry Build(NodeAssessment assessment, BuildInfo build)
    {
        var registry = Metrics.NewCustomRegistry();
        var metrics = Metrics.WithCustomRegistry(registry);
        // Exemplars would tie a series to whichever scrape's trace happened to trigger the collection.
        metrics.ExemplarBehavior = ExemplarBehavior.NoExemplars();
        // Result by result in collection order, each written by its own source's part.
        foreach (var result in assessment.Snapshot.Results)
        {
            foreach (var part in assessment.Parts)
            {
                part.WriteMetrics(result, metrics);
            }
        }
        foreach (var part in assessment.Parts)
        {
            part.WriteMetrics(metrics);
        }

        // A HELP text is the metric's meaning, the same on every node: it names the flag, never its value here.
        const string cacheNote = "Collections are shared by concurrent scrapes and reused for --collector.min-interval.";
        var success = metrics.CreateGauge("netfilter_scrape_collector_success",
            "1 if the collector read its source in the last collection, 0 if it failed (its data is then left out). " + cacheNote, ["collector"]);
        var duration = metrics.CreateGauge("netfilter_scrape_collector_duration_seconds",
            "Seconds the collector took in the last collection. " + cacheNote, ["collector"]);
        // Collector names are unique: the registration table has one line per collector.
        foreach (var outcome in assessment.Collectors)
        {
            success.WithLabels(outcome.Name).Set(outcome.Success ? 1 : 0);
            duration.WithLabels(outcome.Name).Set(outcome.Duration.TotalSeconds);
        }
        metrics.CreateGauge("netfilter_exporter_build_info",
                "A metric with a constant '1' value labeled by version, revision and .NET runtime version of netfilter-exporter.",
                ["version", "revision", "dotnet_version"])
            .WithLabels(build.Version, build.Revision, build.DotnetVersion).Set(1);
        return registry;
    }
}
