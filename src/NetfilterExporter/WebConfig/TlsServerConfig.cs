using System.Security.Authentication;

namespace NetfilterExporter.WebConfig;

/// <summary>The tls_server_config section, with file paths made absolute against the web configuration's directory.</summary>
/// <param name="Protocols">The TLS versions from min_version to max_version.</param>
public sealed record TlsServerConfig(
    string CertFile,
    string KeyFile,
    ClientAuthType ClientAuth,
    string? ClientCaFile,
    SslProtocols Protocols)
{
    /// <summary>Every file this configuration reads, so a change to any of them is noticed.</summary>
    public IReadOnlyList<string> Files => ClientCaFile is null ? [CertFile, KeyFile] : [CertFile, KeyFile, ClientCaFile];
}
