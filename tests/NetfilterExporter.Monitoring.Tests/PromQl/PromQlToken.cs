namespace NetfilterExporter.Monitoring.Tests.PromQl;

/// <summary>A lexical token; String tokens hold the unquoted value.</summary>
public sealed record PromQlToken(PromQlTokenKind Kind, string Text, int Position);
