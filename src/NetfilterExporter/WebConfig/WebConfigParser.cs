using System.Security.Authentication;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace NetfilterExporter.WebConfig;

/// <summary>
/// Reads exporter-toolkit's web configuration YAML (the file --web.config.file names in every Prometheus exporter).
/// Keys this exporter cannot honour are refused, never ignored: a security setting that silently does nothing
/// is worse than an exporter that does not start. Uses YamlDotNet's node model, which needs no reflection.
/// </summary>
public static class WebConfigParser
{
    private static readonly string[] TopLevelKeys = ["tls_server_config", "http_server_config", "basic_auth_users", "rate_limit"];
    private static readonly string[] TlsKeys = ["cert_file", "key_file", "client_auth_type", "client_ca_file", "min_version", "max_version"];

    // exporter-toolkit keys that exist but have no equivalent here, with what to do instead.
    private static readonly Dictionary<string, string> UnsupportedTlsKeys = new(StringComparer.Ordinal)
    {
        ["cert"] = "inline certificates are not supported; use cert_file",
        ["key"] = "inline keys are not supported; use key_file",
        ["client_ca"] = "an inline client CA is not supported; use client_ca_file",
        ["client_allowed_sans"] = "restricting client certificates by SAN is not supported; issue client certificates from a CA used only for scraping",
        ["cipher_suites"] = "cipher suites are chosen by the system's OpenSSL policy; set min_version instead",
        ["curve_preferences"] = "curves are chosen by the system's OpenSSL policy",
        ["prefer_server_cipher_suites"] = "cipher suite order is chosen by the system's OpenSSL policy",
    };

    public static WebConfigFile Load(string path)
    {
        var fullPath = Path.GetFullPath(path);
        string text;
        try
        {
            text = File.ReadAllText(fullPath);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw WebConfigException.At(fullPath, null, $"cannot read: {exception.Message}", exception);
        }
        return Parse(text, fullPath);
    }

    /// <param name="fullPath">Where the text came from: names it in errors and anchors relative file paths.</param>
    public static WebConfigFile Parse(string text, string fullPath)
    {
        var yaml = new YamlStream();
        try
        {
            yaml.Load(new StringReader(text));
        }
        catch (YamlException exception)
        {
            throw WebConfigException.At(fullPath, exception.Start.Line, $"not valid YAML: {exception.Message}", exception);
        }
        if (yaml.Documents.Count == 0 || IsEmpty(yaml.Documents[0].RootNode))
        {
            return new WebConfigFile(fullPath, null);
        }
        if (yaml.Documents.Count > 1)
        {
            throw WebConfigException.At(fullPath, yaml.Documents[1].RootNode.Start.Line, "more than one YAML document");
        }
        var root = Mapping(yaml.Documents[0].RootNode, fullPath, "the web configuration");
        TlsServerConfig? tls = null;
        foreach (var (keyNode, value) in root.Children)
        {
            var key = Key(keyNode, fullPath);
            switch (key)
            {
                case "tls_server_config":
                    tls = IsEmpty(value) ? null : ReadTls(Mapping(value, fullPath, key), fullPath);
                    break;
                case "basic_auth_users":
                    throw WebConfigException.At(fullPath, keyNode.Start.Line,
                        "basic_auth_users is not supported: its passwords are bcrypt hashes and this build has no bcrypt implementation. "
                        + "Remove the key and protect /metrics with client certificates (client_auth_type: RequireAndVerifyClientCert), "
                        + "kube-rbac-proxy or a NetworkPolicy; see docs/security.md");
                case "http_server_config":
                    throw WebConfigException.At(fullPath, keyNode.Start.Line,
                        "http_server_config is not supported (HTTP/2 is negotiated automatically over TLS; extra response headers are not configurable)");
                case "rate_limit":
                    throw WebConfigException.At(fullPath, keyNode.Start.Line,
                        "rate_limit is not supported; use --web.max-requests to bound concurrent requests");
                default:
                    throw UnknownKey(fullPath, keyNode, key, "at the top level", TopLevelKeys);
            }
        }
        return new WebConfigFile(fullPath, tls);
    }

    private static TlsServerConfig ReadTls(YamlMappingNode section, string fullPath)
    {
        var values = new Dictionary<string, (string Value, long Line)>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in section.Children)
        {
            var key = Key(keyNode, fullPath);
            if (UnsupportedTlsKeys.TryGetValue(key, out var instead))
            {
                throw WebConfigException.At(fullPath, keyNode.Start.Line, $"tls_server_config.{key} is not supported: {instead}");
            }
            if (!TlsKeys.Contains(key))
            {
                throw UnknownKey(fullPath, keyNode, key, "in tls_server_config", TlsKeys);
            }
            if (value is not YamlScalarNode { Value: var scalar })
            {
                throw WebConfigException.At(fullPath, value.Start.Line, $"tls_server_config.{key} must be a single value");
            }
            if (scalar is { Length: > 0 })
            {
                values[key] = (scalar, value.Start.Line);
            }
        }
        var sectionLine = section.Start.Line;
        var directory = Path.GetDirectoryName(fullPath)!;
        string? FileNamedBy(string key) => values.TryGetValue(key, out var entry) ? Path.GetFullPath(entry.Value, directory) : null;
        var certFile = FileNamedBy("cert_file");
        var keyFile = FileNamedBy("key_file");
        if (certFile is null || keyFile is null)
        {
            throw WebConfigException.At(fullPath, sectionLine, "tls_server_config needs both cert_file and key_file");
        }
        var clientAuth = ClientAuthType.NoClientCert;
        if (values.TryGetValue("client_auth_type", out var auth))
        {
            // "RequireClientCert" is exporter-toolkit's old name for RequireAnyClientCert.
            var name = auth.Value == "RequireClientCert" ? nameof(ClientAuthType.RequireAnyClientCert) : auth.Value;
            if (!Enum.TryParse(name, ignoreCase: false, out clientAuth) || !Enum.IsDefined(clientAuth))
            {
                throw WebConfigException.At(fullPath, auth.Line,
                    $"client_auth_type '{auth.Value}' is not one of {string.Join(", ", Enum.GetNames<ClientAuthType>())}");
            }
        }
        var clientCaFile = FileNamedBy("client_ca_file");
        if (clientCaFile is not null && clientAuth == ClientAuthType.NoClientCert)
        {
            throw WebConfigException.At(fullPath, values["client_ca_file"].Line,
                "client_ca_file is set but client_auth_type is NoClientCert, so it would not be used; set client_auth_type: RequireAndVerifyClientCert");
        }
        if (clientCaFile is null && clientAuth is ClientAuthType.VerifyClientCertIfGiven or ClientAuthType.RequireAndVerifyClientCert)
        {
            throw WebConfigException.At(fullPath, values["client_auth_type"].Line, $"client_auth_type {clientAuth} needs client_ca_file to verify against");
        }
        var minimum = Version(values, "min_version", fullPath) ?? SslProtocols.Tls12;
        var maximum = Version(values, "max_version", fullPath) ?? SslProtocols.Tls13;
        if (maximum < minimum)
        {
            throw WebConfigException.At(fullPath, values["max_version"].Line, "max_version is below min_version");
        }
        var protocols = minimum == maximum ? minimum : minimum | maximum;
        return new TlsServerConfig(certFile, keyFile, clientAuth, clientCaFile, protocols);
    }

    private static SslProtocols? Version(Dictionary<string, (string Value, long Line)> values, string key, string fullPath)
    {
        if (!values.TryGetValue(key, out var entry))
        {
            return null;
        }
        return entry.Value switch
        {
            "TLS12" => SslProtocols.Tls12,
            "TLS13" => SslProtocols.Tls13,
            "TLS10" or "TLS11" => throw WebConfigException.At(fullPath, entry.Line, $"{key} {entry.Value} is not supported: TLS 1.0 and 1.1 are disabled; use TLS12 or TLS13"),
            _ => throw WebConfigException.At(fullPath, entry.Line, $"{key} '{entry.Value}' is not one of TLS12, TLS13"),
        };
    }

    private static YamlMappingNode Mapping(YamlNode node, string fullPath, string what) =>
        node as YamlMappingNode ?? throw WebConfigException.At(fullPath, node.Start.Line, $"{what} must be a mapping of keys to values");

    private static string Key(YamlNode node, string fullPath) =>
        node is YamlScalarNode { Value: { } key } ? key : throw WebConfigException.At(fullPath, node.Start.Line, "keys must be plain names");

    private static bool IsEmpty(YamlNode node) => node is YamlScalarNode { Value: null or "" or "~" or "null" };

    private static WebConfigException UnknownKey(string fullPath, YamlNode keyNode, string key, string where, string[] known) =>
        WebConfigException.At(fullPath, keyNode.Start.Line, $"unknown key '{key}' {where} (known: {string.Join(", ", known)})");
}
