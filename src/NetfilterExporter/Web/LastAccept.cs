using Microsoft.Extensions.Primitives;
using NetfilterExporter.Exposition;
using Prometheus;

namespace NetfilterExporter.Web;

/// <summary>
/// Remembers the format negotiated for the last Accept header seen. A Prometheus server sends the same header on
/// every scrape, so the cached scrape path compares one string instead of parsing the header each time.
/// </summary>
internal sealed class LastAccept
{
    // Replaced whole: a scrape reads either the old pair or the new one.
    private volatile Tuple<string, ExpositionFormat>? last;

    public ExpositionFormat FormatFor(StringValues accept)
    {
        if (accept.Count == 0)
        {
            return ExpositionFormat.PrometheusText;
        }
        var text = accept.Count == 1 ? accept[0] ?? "" : accept.ToString();
        if (last is { } known && string.Equals(known.Item1, text, StringComparison.Ordinal))
        {
            return known.Item2;
        }
        var format = ScrapeFormat.Negotiate(text);
        last = Tuple.Create(text, format);
        return format;
    }
}
