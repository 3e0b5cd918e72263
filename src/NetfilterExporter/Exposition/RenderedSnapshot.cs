using NetfilterExporter.Assessment;

namespace NetfilterExporter.Exposition;

/// <summary>
/// One rendering of GET /metrics in one format: the snapshot's part, and the whole body with the exporter's
/// own metrics read at <paramref name="SelfReadAt"/> appended.
/// </summary>
internal sealed record RenderedSnapshot(NodeAssessment Assessment, byte[] SnapshotPart, DateTimeOffset SelfReadAt, byte[] Body);
