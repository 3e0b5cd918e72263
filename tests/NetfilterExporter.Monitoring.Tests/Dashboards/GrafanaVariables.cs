using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace NetfilterExporter.Monitoring.Tests.Dashboards;

/// <summary>
/// Replaces Grafana variables ($name, ${name}, ${name:format}, [[name]]) in a query with concrete values,
/// the way Grafana does before it sends the query to Prometheus.
/// </summary>
public static partial class GrafanaVariables
{
    /// <summary>Values that keep every dashboard query valid PromQL for a syntax check: regex-safe matchers, real durations.</summary>
    public static IReadOnlyDictionary<string, string> ForValidation { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["__rate_interval"] = "5m",
        ["__interval"] = "1m",
        ["__range"] = "1h",
        ["job"] = ".+",
        ["instance"] = ".+",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static string Expand(string query, IReadOnlyDictionary<string, string> values) =>
        VariablePattern().Replace(query, match =>
        {
            var name = match.Groups["braced"].Success ? match.Groups["braced"].Value
                : match.Groups["bracketed"].Success ? match.Groups["bracketed"].Value
                : match.Groups["plain"].Value;
            return values.TryGetValue(name, out var value)
                ? value
                : throw new KeyNotFoundException($"query uses variable '{match.Value}' that has no value: {query}");
        });

    public static IReadOnlyList<string> NamesUsedIn(string query) =>
        VariablePattern().Matches(query)
            .Select(match => match.Groups["braced"].Success ? match.Groups["braced"].Value
                : match.Groups["bracketed"].Success ? match.Groups["bracketed"].Value
                : match.Groups["plain"].Value)
            .Distinct(StringComparer.Ordinal)
            .ToArray();

    [GeneratedRegex(@"\$\{(?<braced>\w+)(:[^}]*)?\}|\[\[(?<bracketed>\w+)\]\]|\$(?<plain>\w+)")]
    private static partial Regex VariablePattern();
}
