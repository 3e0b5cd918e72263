namespace NetfilterExporter.WebConfig;

/// <summary>rate_limit: one request per <paramref name="Interval"/> on average, up to <paramref name="Burst"/> at once (Go's rate.Limiter).</summary>
internal sealed record RateLimitConfig(TimeSpan Interval, int Burst);
