namespace NetfilterExporter.WebConfig;

/// <summary>A parsed --web.config.file. Without <see cref="Tls"/> the exporter serves plain HTTP.</summary>
public sealed record WebConfigFile(string Path, TlsServerConfig? Tls);
