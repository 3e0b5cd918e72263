using NetfilterExporter.Assessment;

namespace NetfilterExporter.Exposition;

/// <summary>
/// One rendering of GET /metrics: the snapshot's families in the text format, and the whole body with the
/// process_* families read at <paramref name="ProcessReadAt"/> appended.
/// </summary>
internal sealed record RenderedSnapshot(NodeAssessment Assessment, byte[] SnapshotBody, DateTimeOffset ProcessReadAt, byte[] Body);
