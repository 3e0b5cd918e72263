using NetfilterExporter.Assessment;
using NetfilterExporter.Instrumentation;
using Prometheus;

namespace NetfilterExporter.Exposition;

/// <summary>
/// Renders the body of GET /metrics, every byte written by prometheus-net's serializer: the snapshot's registry
/// (<see cref="SnapshotMetrics"/>), serialised once per snapshot and format, followed by the exporter's own
/// registry (<see cref="SelfMetrics"/>). The whole body is reused for <see cref="SelfMetricsMaxAge"/>, so a
/// cached scrape allocates nothing. Safe for concurrent scrapes.
/// </summary>
public sealed class MetricsRenderer(BuildInfo build, SelfMetrics self, TimeProvider clock)
{
    /// <summary>
    /// How old the process_* and request values of a scrape may be. Reading them costs /proc syscalls, which
    /// is most of a scrape's cost when a dashboard, two HA Prometheus servers and a load test hit the exporter at
    /// once; Prometheus scrapes every 10–60 s, so a value at most a second old reads the same to it.
    /// </summary>
    public static readonly TimeSpan SelfMetricsMaxAge = TimeSpan.FromSeconds(1);

    // The one document of the format ends here; the snapshot part is followed by the self part, which carries it.
    private static readonly byte[] OpenMetricsEnd = "# EOF\n"u8.ToArray();

    // One rendering per format, each replaced whole, never changed in place: a scrape sees the old or the new one.
    private readonly RenderedSnapshot?[] latest = new RenderedSnapshot?[2];

    /// <summary>The body bytes; callers must not change them, later scrapes may be served the same array.</summary>
    public async ValueTask<byte[]> RenderAsync(NodeAssessment assessment, ExpositionFormat format, CancellationToken cancellationToken)
    {
        var slot = format == ExpositionFormat.OpenMetricsText ? 1 : 0;
        var now = clock.GetUtcNow();
        var rendered = Volatile.Read(ref latest[slot]);
        byte[] snapshotPart;
        if (rendered is not null && ReferenceEquals(rendered.Assessment, assessment))
        {
            if (IsFresh(rendered.SelfReadAt, now))
            {
                return rendered.Body;
            }
            snapshotPart = rendered.SnapshotPart;
        }
        else
        {
            var whole = await SerializeAsync(SnapshotMetrics.Build(assessment, build), format, cancellationToken);
            snapshotPart = format == ExpositionFormat.OpenMetricsText ? WithoutEnd(whole) : whole;
        }
        var selfPart = await SerializeAsync(self.Registry, format, cancellationToken);
        var body = new byte[snapshotPart.Length + selfPart.Length];
        snapshotPart.CopyTo(body, 0);
        selfPart.CopyTo(body, snapshotPart.Length);
        // Two scrapes racing here both render; either result is correct.
        Volatile.Write(ref latest[slot], new RenderedSnapshot(assessment, snapshotPart, now, body));
        return body;
    }

    public static async Task<byte[]> SerializeAsync(CollectorRegistry registry, ExpositionFormat format, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(buffer, format, cancellationToken);
        return buffer.ToArray();
    }

    private static byte[] WithoutEnd(byte[] openMetrics) =>
        openMetrics.AsSpan().EndsWith(OpenMetricsEnd)
            ? openMetrics[..^OpenMetricsEnd.Length]
            : throw new InvalidOperationException("prometheus-net's OpenMetrics output does not end with # EOF");

    // A clock set back makes the age negative: read afresh rather than trust a reading "from the future".
    private static bool IsFresh(DateTimeOffset readAt, DateTimeOffset now) =>
        now - readAt is var age && age >= TimeSpan.Zero && age < SelfMetricsMaxAge;
}
