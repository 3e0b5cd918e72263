using System.Net.Security;
using System.Security.Authentication;

namespace NetfilterExporter.WebConfig;

/// <summary>
/// tls_server_config, with exporter-toolkit's meaning (web/tls_config.go): TLS is on when any certificate, key,
/// client CA or client_auth_type is given; a file wins over the same PEM inline; versions default to TLS 1.2–1.3.
/// </summary>
internal static class TlsSectionParser
{
    private static readonly string[] Keys =
    [
        "cert_file", "key_file", "cert", "key", "client_auth_type", "client_ca_file", "client_ca",
        "client_allowed_sans", "cipher_suites", "curve_preferences", "min_version", "max_version", "prefer_server_cipher_suites",
    ];

    /// <returns>Null when the section turns no TLS on (the toolkit then serves plain HTTP).</returns>
    public static TlsServerConfig? Read(YamlSection section, string directory)
    {
        var text = new Dictionary<string, (string Value, long Line)>(StringComparer.Ordinal);
        IReadOnlyList<(string Value, long Line)>? cipherSuites = null;
        IReadOnlyList<(string Value, long Line)>? allowedSans = null;
        foreach (var (key, value, line) in section.Entries(Keys))
        {
            switch (key)
            {
                case "cipher_suites":
                    cipherSuites = section.List(key, value);
                    break;
                case "client_allowed_sans":
                    allowedSans = section.List(key, value);
                    break;
                case "curve_preferences":
                    if (section.List(key, value) is { Count: > 0 })
                    {
                        throw section.Error(line,
                            "tls_server_config.curve_preferences is not supported: .NET has no way to choose the key exchange groups of a TLS server. "
                            + "Remove it; the system OpenSSL offers X25519, P-256, P-384 and P-521 (restrict them system-wide with Groups in /etc/ssl/openssl.cnf)");
                    }
                    break;
                case "prefer_server_cipher_suites":
                    // Go ignores it since 1.18 (the server always chooses), so the toolkit's setting is a no-op there too.
                    section.Boolean(key, value);
                    break;
                default:
                    if (section.Scalar(key, value) is { Length: > 0 } scalar)
                    {
                        text[key] = (scalar, line);
                    }
                    break;
            }
        }

        string? Text(string key) => text.TryGetValue(key, out var entry) ? entry.Value : null;
        PemSource? Pem(string fileKey, string inlineKey) =>
            Text(fileKey) is { } file ? new PemSource(fileKey, Path.GetFullPath(file, directory), null)
            : Text(inlineKey) is { } inline ? new PemSource(inlineKey, null, inline) : null;

        var certificate = Pem("cert_file", "cert");
        var privateKey = Pem("key_file", "key");
        var clientCa = Pem("client_ca_file", "client_ca");
        var clientAuthText = Text("client_auth_type");
        if (certificate is null && privateKey is null && clientCa is null && clientAuthText is null)
        {
            return null;
        }
        if (certificate is null)
        {
            throw section.Error(section.Line, "tls_server_config is missing one of cert or cert_file");
        }
        if (privateKey is null)
        {
            throw section.Error(section.Line, "tls_server_config is missing one of key or key_file");
        }
        var clientAuth = ReadClientAuth(section, clientAuthText, text);
        if (clientCa is not null && clientAuth == ClientAuthType.NoClientCert)
        {
            throw section.Error(text.GetValueOrDefault("client_ca_file", text.GetValueOrDefault("client_ca")).Line,
                "a client CA is configured without a client auth policy (client_auth_type is NoClientCert); set client_auth_type: RequireAndVerifyClientCert");
        }
        if (allowedSans is not null && clientAuth == ClientAuthType.NoClientCert)
        {
            throw section.Error(allowedSans.Count > 0 ? allowedSans[0].Line : section.Line,
                "client_allowed_sans needs a client certificate, but client_auth_type is NoClientCert, so no certificate is asked for and the names would never be checked (exporter-toolkit ignores them then); set client_auth_type: RequireAndVerifyClientCert");
        }
        var minimum = Version(section, text, "min_version") ?? SslProtocols.Tls12;
        var maximum = Version(section, text, "max_version") ?? SslProtocols.Tls13;
        if (maximum < minimum)
        {
            throw section.Error(text["max_version"].Line, "max_version is below min_version");
        }
        var suites = new List<TlsCipherSuite>();
        foreach (var (name, line) in cipherSuites ?? [])
        {
            if (!GoCipherSuites.TryParse(name, out var suite))
            {
                throw section.Error(line, $"unknown cipher: {name} (known: {string.Join(", ", GoCipherSuites.Names)})");
            }
            suites.Add(suite);
        }
        return new TlsServerConfig(
            certificate, privateKey, clientAuth, clientCa, minimum == maximum ? minimum : minimum | maximum, suites,
            allowedSans?.Select(san => san.Value).ToList());
    }

    private static ClientAuthType ReadClientAuth(YamlSection section, string? value, Dictionary<string, (string Value, long Line)> text)
    {
        if (value is null)
        {
            return ClientAuthType.NoClientCert;
        }
        // "RequireClientCert" is exporter-toolkit's old name for RequireAnyClientCert.
        var name = value == "RequireClientCert" ? nameof(ClientAuthType.RequireAnyClientCert) : value;
        return Enum.TryParse<ClientAuthType>(name, ignoreCase: false, out var clientAuth) && Enum.IsDefined(clientAuth) && !char.IsAsciiDigit(name[0])
            ? clientAuth
            : throw section.Error(text["client_auth_type"].Line,
                $"invalid ClientAuth: '{value}' is not one of {string.Join(", ", Enum.GetNames<ClientAuthType>())}");
    }

    private static SslProtocols? Version(YamlSection section, Dictionary<string, (string Value, long Line)> text, string key)
    {
        if (!text.TryGetValue(key, out var entry))
        {
            return null;
        }
        return entry.Value switch
        {
            "TLS12" => SslProtocols.Tls12,
            "TLS13" => SslProtocols.Tls13,
            "TLS10" or "TLS11" => throw section.Error(entry.Line,
                $"{key} {entry.Value} is not supported: .NET treats TLS 1.0 and 1.1 as obsolete and the system OpenSSL refuses them (MinProtocol TLSv1.2); use TLS12 or TLS13"),
            _ => throw section.Error(entry.Line, $"unknown TLS version: {entry.Value} (TLS12 or TLS13)"),
        };
    }
}
