using Xunit;

namespace NetfilterExporter.Monitoring.Tests.PromQl;

public sealed class PromQlSelectorScannerTests
{
    [Fact]
    public void Finds_selectors_inside_aggregations_with_label_lists_and_binary_operators()
    {
        var selectors = PromQlSelectorScanner.Scan(
            "count by (job, instance) (a{job=~\"$job\"} > 0) / on (instance) group_left (family) b_total{x!=\"y\"} or vector(0)");

        Assert.Equal(["a", "b_total"], selectors.Select(selector => selector.MetricName));
        Assert.Equal("count", selectors[0].EnclosingFunction);
        Assert.Null(selectors[1].EnclosingFunction);
        Assert.True(selectors[0].HasMatcher("job", "=~", "$job"));
        Assert.True(selectors[1].HasMatcher("x", "!=", "y"));
    }

    [Fact]
    public void Records_the_range_and_the_function_that_takes_it()
    {
        var selector = Assert.Single(PromQlSelectorScanner.Scan(
            "sum without (position) (rate(c_total{job=~\"$job\"}[$__rate_interval]))"));

        Assert.Equal("$__rate_interval", selector.Range);
        Assert.Equal("rate", selector.EnclosingFunction);
    }

    [Fact]
    public void String_arguments_and_keywords_are_not_selectors()
    {
        var selectors = PromQlSelectorScanner.Scan(
            "label_replace(d{job=~\"$job\"}, \"role\", \"wins\", \"position\", \"1\") > bool 1 unless e offset 5m");

        Assert.Equal(["d", "e"], selectors.Select(selector => selector.MetricName));
    }

    [Fact]
    public void Unbalanced_parentheses_are_reported_with_the_expression()
    {
        var error = Assert.Throws<FormatException>(() => PromQlSelectorScanner.Scan("sum(a))"));

        Assert.Contains("sum(a))", error.Message, StringComparison.Ordinal);
    }
}
