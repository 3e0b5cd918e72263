using System.Buffers;
using NetfilterExporter.Assessment;
using NetfilterExporter.Instrumentation;

namespace NetfilterExporter.Exposition;

/// <summary>
/// Renders the body of GET /metrics: exactly what
/// <c>TextFormat.Serialize(SnapshotMetrics.Build(assessment, build, minInterval).Concat(ProcessMetrics.Collect()))</c>
/// gives. The snapshot's families are serialised once per snapshot (all scrapes within --collector.min-interval
/// share it), and the whole body, process_* included, is reused for <see cref="ProcessMetricsMaxAge"/>.
/// Safe for concurrent scrapes.
/// </summary>
public sealed class MetricsRenderer(BuildInfo build, TimeSpan minInterval, TimeProvider clock)
{
    /// <summary>
    /// How old the process_* values of a scrape may be. Reading them costs /proc syscalls on every scrape, which
    /// is most of a scrape's cost when a dashboard, two HA Prometheus servers and a load test hit the exporter at
    /// once; Prometheus scrapes every 10–60 s, so a value at most a second old reads the same to it.
    /// </summary>
    public static readonly TimeSpan ProcessMetricsMaxAge = TimeSpan.FromSeconds(1);

    // Replaced whole, never changed in place: a scrape sees either the old rendering or the new one.
    private volatile RenderedSnapshot? latest;

    /// <summary>The body bytes; callers must not change them, later scrapes may be served the same array.</summary>
    public byte[] Render(NodeAssessment assessment)
    {
        var now = clock.GetUtcNow();
        var rendered = latest;
        byte[] snapshotBody;
        if (rendered is not null && ReferenceEquals(rendered.Assessment, assessment))
        {
            if (IsFresh(rendered.ProcessReadAt, now))
            {
                return rendered.Body;
            }
            snapshotBody = rendered.SnapshotBody;
        }
        else
        {
            snapshotBody = TextFormat.Serialize(SnapshotMetrics.Build(assessment, build, minInterval));
        }
        var process = new ArrayBufferWriter<byte>(2048);
        TextFormat.Write(ProcessMetrics.Collect(), process);
        var body = new byte[snapshotBody.Length + process.WrittenCount];
        snapshotBody.CopyTo(body, 0);
        process.WrittenSpan.CopyTo(body.AsSpan(snapshotBody.Length));
        // Two scrapes racing here both render; either result is correct.
        latest = new RenderedSnapshot(assessment, snapshotBody, now, body);
        return body;
    }

    // A clock set back makes the age negative: read afresh rather than trust a reading "from the future".
    private static bool IsFresh(DateTimeOffset readAt, DateTimeOffset now) =>
        now - readAt is var age && age >= TimeSpan.Zero && age < ProcessMetricsMaxAge;
}
