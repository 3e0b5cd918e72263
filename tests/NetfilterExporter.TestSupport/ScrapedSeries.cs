namespace NetfilterExporter.TestSupport;

public sealed record ScrapedSeries(string Name, IReadOnlyDictionary<string, string> Labels, string Value);
