namespace NetfilterExporter.WebConfig;

/// <summary>http_server_config: whether HTTP/2 is offered over TLS, and headers set on every response.</summary>
internal sealed record HttpServerConfig(bool Http2, IReadOnlyDictionary<string, string> Headers)
{
    public static HttpServerConfig Default { get; } = new(true, new Dictionary<string, string>());
}
