namespace NetfilterExporter.Monitoring.Tests.PromQl;

/// <summary>
/// A vector selector found in an expression. Range is the text inside [...] when it is a range selector;
/// EnclosingFunction is the function or aggregation whose parentheses directly contain it.
/// </summary>
public sealed record PromQlSelector(string? MetricName, IReadOnlyList<PromQlMatcher> Matchers, string? Range, string? EnclosingFunction)
{
    public bool HasMatcher(string label, string @operator, string value) =>
        Matchers.Any(matcher => matcher.Label == label && matcher.Operator == @operator && matcher.Value == value);

    public override string ToString() =>
        (MetricName ?? "") + "{" + string.Join(",", Matchers.Select(matcher => $"{matcher.Label}{matcher.Operator}\"{matcher.Value}\"")) + "}" + (Range is null ? "" : $"[{Range}]");
}
