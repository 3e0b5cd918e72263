using System.Net.Security;
using System.Security.Authentication;

namespace NetfilterExporter.WebConfig;

/// <summary>The tls_server_config section, with file paths made absolute against the web configuration's directory.</summary>
/// <param name="ClientCa">Null: a client certificate that must be verified is verified against the system's trust store, as Go does.</param>
/// <param name="Protocols">The TLS versions from min_version to max_version.</param>
/// <param name="CipherSuites">The TLS 1.2 suites allowed; empty means the system's defaults. TLS 1.3 suites are never restricted (Go's rule).</param>
/// <param name="ClientAllowedSans">When set, a client certificate must carry one of these DNS, email, IP or URI names.</param>
internal sealed record TlsServerConfig(
    PemSource Certificate,
    PemSource Key,
    ClientAuthType ClientAuth,
    PemSource? ClientCa,
    SslProtocols Protocols,
    IReadOnlyList<TlsCipherSuite> CipherSuites,
    IReadOnlyList<string>? ClientAllowedSans);
