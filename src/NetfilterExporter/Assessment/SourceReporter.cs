using NetfilterExporter.Collection;
using NetfilterExporter.Reporting;

namespace NetfilterExporter.Assessment;

/// <summary>
/// Builds one source's part of an assessed snapshot from the collection (its results and how each collector did) and
/// the joins across sources.
/// </summary>
public delegate ISourceReport SourceReporter(NodeSnapshot snapshot, NodeJoins joins);
