namespace NetfilterExporter.Monitoring.Tests.PromQl;

/// <summary>A label matcher such as job=~"$job".</summary>
public sealed record PromQlMatcher(string Label, string Operator, string Value);
