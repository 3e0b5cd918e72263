using System.Globalization;
using NetfilterExporter.Assessment;
using NetfilterExporter.Instrumentation;

namespace NetfilterExporter.Exposition;

/// <summary>
/// Turns one assessed snapshot into the metric families of docs/contract.md §1: each result's own families,
/// merged by name across results of the same kind, then the collectors' outcomes and the build. Pure: the
/// same snapshot always gives the same families, in the same order.
/// </summary>
public static class SnapshotMetrics
{
    public static IEnumerable<MetricFamily> Build(NodeAssessment assessment, BuildInfo build, TimeSpan minInterval)
    {
        foreach (var family in Merge(assessment.Snapshot.Results.SelectMany(result => result.Metrics())))
        {
            yield return family;
        }

        var collectors = assessment.Collectors;
        var cacheNote = $"Collections are shared by concurrent scrapes and reused for --collector.min-interval ({minInterval.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)}s).";
        yield return new MetricFamily("netfilter_scrape_collector_success",
            "1 if the collector read its source in the last collection, 0 if it failed (its data is then left out). " + cacheNote,
            MetricType.Gauge,
            collectors.Select(outcome => MetricSample.Of(outcome.Success ? 1 : 0, ("collector", outcome.Name))).ToList());
        yield return new MetricFamily("netfilter_scrape_collector_duration_seconds",
            "Seconds the collector took in the last collection. " + cacheNote,
            MetricType.Gauge,
            collectors.Select(outcome => MetricSample.Of(outcome.Duration.TotalSeconds, ("collector", outcome.Name))).ToList());
        yield return new MetricFamily("netfilter_exporter_build_info",
            "A metric with a constant '1' value labeled by version, revision and .NET runtime version of netfilter-exporter.",
            MetricType.Gauge,
            [MetricSample.Of(1, ("version", build.Version), ("revision", build.Revision), ("dotnet_version", build.DotnetVersion))]);
    }

    /// <summary>One family per name, in the order names first appear, with the samples of every result in result order.</summary>
    private static IEnumerable<MetricFamily> Merge(IEnumerable<MetricFamily> families)
    {
        var merged = new List<(MetricFamily First, List<MetricSample> Samples)>();
        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var family in families)
        {
            if (byName.TryGetValue(family.Name, out var index))
            {
                var first = merged[index].First;
                if (first.Help != family.Help || first.Type != family.Type)
                {
                    throw new InvalidOperationException($"metric family {family.Name} is written with two different HELP or TYPE lines");
                }
                merged[index].Samples.AddRange(family.Samples);
            }
            else
            {
                byName[family.Name] = merged.Count;
                merged.Add((family, [.. family.Samples]));
            }
        }
        return merged.Select(entry => entry.First with { Samples = entry.Samples });
    }
}
