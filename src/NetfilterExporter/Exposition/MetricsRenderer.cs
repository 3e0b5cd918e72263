using System.Buffers;
using NetfilterExporter.Collection;

namespace NetfilterExporter.Exposition;

/// <summary>
/// Renders the body of GET /metrics: exactly what
/// <c>TextFormat.Serialize(SnapshotMetrics.Build(snapshot, build, minInterval).Concat(ProcessMetrics.Collect()))</c>
/// gives, but the snapshot's families are serialised once per snapshot and reused by every scrape that
/// snapshot serves (all scrapes within --collector.min-interval); only the process_* families are read
/// and written fresh on each scrape. Safe for concurrent scrapes.
/// </summary>
public sealed class MetricsRenderer(BuildInfo build, TimeSpan minInterval)
{
    // Replaced whole, never changed in place: a scrape sees either the old rendering or the new one.
    private volatile RenderedSnapshot? latest;

    public byte[] Render(NodeSnapshot snapshot)
    {
        var snapshotBody = SnapshotBody(snapshot);
        var process = new ArrayBufferWriter<byte>(2048);
        TextFormat.Write(ProcessMetrics.Collect(), process);
        // One allocation of the final size: at thousands of scrapes per second, copies are garbage.
        var body = new byte[snapshotBody.Length + process.WrittenCount];
        snapshotBody.CopyTo(body, 0);
        process.WrittenSpan.CopyTo(body.AsSpan(snapshotBody.Length));
        return body;
    }

    private byte[] SnapshotBody(NodeSnapshot snapshot)
    {
        var rendered = latest;
        if (rendered is null || !ReferenceEquals(rendered.Snapshot, snapshot))
        {
            // Two scrapes racing on a new snapshot may both render it; both get the same bytes.
            rendered = new RenderedSnapshot(snapshot, TextFormat.Serialize(SnapshotMetrics.Build(snapshot, build, minInterval)));
            latest = rendered;
        }
        return rendered.Body;
    }
}
