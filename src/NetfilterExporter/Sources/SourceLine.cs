using NetfilterExporter.Assessment;
using NetfilterExporter.Collection;

namespace NetfilterExporter.Sources;

/// <summary>One source in the table: its collectors, and how its part of an assessed snapshot is built.</summary>
public sealed record SourceLine(IReadOnlyList<CollectorRegistration> Collectors, SourceReporter Report);
