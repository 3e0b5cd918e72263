using Microsoft.Net.Http.Headers;
using Prometheus;

namespace NetfilterExporter.Exposition;

/// <summary>
/// Which of prometheus-net's formats a scrape gets: OpenMetrics 1.0 when the best-ranked type in
/// <c>Accept</c> that the exporter can write is OpenMetrics (a real Prometheus ranks it first), else text 0.0.4.
/// </summary>
public static class ScrapeFormat
{
    private const string TextContentType = "text/plain; version=0.0.4; charset=utf-8";
    private const string OpenMetricsContentType = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    public static ExpositionFormat Negotiate(string? accept)
    {
        if (string.IsNullOrEmpty(accept) || !MediaTypeHeaderValue.TryParseList([accept], out var types))
        {
            return ExpositionFormat.PrometheusText;
        }
        var best = ExpositionFormat.PrometheusText;
        var bestQuality = -1.0;
        // Ties go to the first listed, as HTTP clients expect; types the exporter cannot write are skipped.
        foreach (var type in types)
        {
            ExpositionFormat? format = type.MediaType.Equals("application/openmetrics-text", StringComparison.OrdinalIgnoreCase) ? ExpositionFormat.OpenMetricsText
                : type.MediaType.Equals("text/plain", StringComparison.OrdinalIgnoreCase) || type.MediaType.Equals("*/*", StringComparison.Ordinal) ? ExpositionFormat.PrometheusText
                : null;
            var quality = type.Quality ?? 1.0;
            if (format is { } candidate && quality > bestQuality && quality > 0)
            {
                best = candidate;
                bestQuality = quality;
            }
        }
        return best;
    }

    public static string ContentType(ExpositionFormat format) =>
        format == ExpositionFormat.OpenMetricsText ? OpenMetricsContentType : TextContentType;
}
