using NetfilterExporter.Collection;
using NetfilterExporter.Reporting;

namespace NetfilterExporter.Assessment;

/// <summary>Builds one source's part of an assessed snapshot from every result of the collection and the joins across sources.</summary>
public delegate ISourceReport SourceReporter(IReadOnlyList<ICollectorResult> results, NodeJoins joins);
