using System.Net.Security;

namespace NetfilterExporter.WebConfig;

/// <summary>
/// The cipher_suites names exporter-toolkit accepts: Go's tls.CipherSuites(), the suites Go considers secure.
/// Go (and so the toolkit) applies the list to TLS 1.2 and below only; TLS 1.3 suites cannot be restricted, so
/// naming one is accepted and changes nothing. .NET's names are the IANA names, which are Go's.
/// </summary>
internal static class GoCipherSuites
{
    public static IReadOnlyList<TlsCipherSuite> Tls13 { get; } =
    [
        TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
    ];

    private static readonly TlsCipherSuite[] Tls12 =
    [
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    ];

    private static readonly Dictionary<string, TlsCipherSuite> ByName =
        Tls13.Concat(Tls12).ToDictionary(suite => suite.ToString(), StringComparer.Ordinal);

    public static IEnumerable<string> Names => ByName.Keys;

    public static bool TryParse(string name, out TlsCipherSuite suite) => ByName.TryGetValue(name, out suite);
}
