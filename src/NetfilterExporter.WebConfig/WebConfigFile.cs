namespace NetfilterExporter.WebConfig;

/// <summary>A parsed --web.config.file. Without <see cref="Tls"/> the exporter serves plain HTTP.</summary>
/// <param name="BasicAuthUsers">User name to bcrypt hash; empty means no authentication.</param>
/// <param name="RateLimit">Null: no limit (exporter-toolkit's default, interval 0).</param>
internal sealed record WebConfigFile(
    string Path,
    TlsServerConfig? Tls,
    HttpServerConfig Http,
    IReadOnlyDictionary<string, string> BasicAuthUsers,
    RateLimitConfig? RateLimit);
