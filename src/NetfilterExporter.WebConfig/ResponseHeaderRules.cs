namespace NetfilterExporter.WebConfig;

/// <summary>
/// The http_server_config.headers exporter-toolkit lets an operator set, and for some the only values it allows
/// (web/handler.go, extraHTTPHeaders). Anything else is refused with the toolkit's own words.
/// </summary>
internal static class ResponseHeaderRules
{
    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        ["Strict-Transport-Security"] = [],
        ["X-Content-Type-Options"] = ["nosniff"],
        ["X-Frame-Options"] = ["deny", "sameorigin"],
        ["X-XSS-Protection"] = [],
        ["Content-Security-Policy"] = [],
    };

    /// <returns>Null when the header may be set to the value, else why not.</returns>
    public static string? Problem(string name, string value)
    {
        if (!Allowed.TryGetValue(name, out var values))
        {
            return $"HTTP header \"{name}\" can not be configured (allowed: {string.Join(", ", Allowed.Keys)})";
        }
        return values.Length == 0 || values.Contains(value, StringComparer.Ordinal) ? null
            : $"invalid value for {name}: expected one of {string.Join(", ", values.Select(v => $"\"{v}\""))}, got \"{value}\"";
    }
}
