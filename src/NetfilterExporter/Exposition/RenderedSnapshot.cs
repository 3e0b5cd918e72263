using NetfilterExporter.Collection;

namespace NetfilterExporter.Exposition;

/// <summary>The snapshot's families in the text format, kept with the snapshot they were rendered from.</summary>
internal sealed record RenderedSnapshot(NodeSnapshot Snapshot, byte[] Body);
