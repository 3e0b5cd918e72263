namespace NetfilterExporter.Monitoring.Tests.PromQl;

public enum PromQlTokenKind
{
    Identifier,
    String,
    Number,
    GrafanaVariable,
    Punctuation,
}
