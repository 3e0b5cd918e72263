using System.Net.Security;
using System.Security.Authentication;
using NetfilterExporter.TestSupport;

using NetfilterExporter.WebConfig;

namespace NetfilterExporter.Unit.Tests.WebConfig;

public sealed class WebConfigParserTests
{
    private const string ConfigPath = "/etc/netfilter-exporter/web-config.yml";
    private const string Hash = "$2y$10$X0h1gDsPszWURQaxFh.zoubFi6DXncSjhoQNJgRrnGs7EsimhC7zG";

    [Fact]
    public void Relative_files_are_resolved_against_the_configuration_directory_and_defaults_follow_exporter_toolkit()
    {
        var config = WebConfigParser.Parse("tls_server_config:\n  cert_file: tls/server.crt\n  key_file: /secrets/server.key\n", ConfigPath);

        Assert.Equal("/etc/netfilter-exporter/tls/server.crt", config.Tls!.Certificate.File);
        Assert.Equal("/secrets/server.key", config.Tls.Key.File);
        Assert.Equal(ClientAuthType.NoClientCert, config.Tls.ClientAuth);
        Assert.Equal(SslProtocols.Tls12 | SslProtocols.Tls13, config.Tls.Protocols);
        Assert.Empty(config.Tls.CipherSuites);
        Assert.Null(config.Tls.ClientAllowedSans);
        Assert.True(config.Http.Http2);
        Assert.Empty(config.Http.Headers);
        Assert.Empty(config.BasicAuthUsers);
        Assert.Null(config.RateLimit);
    }

    [Fact]
    public void Every_exporter_toolkit_key_is_read()
    {
        var config = WebConfigParser.Parse($"""
            tls_server_config:
              cert: |
                -----BEGIN CERTIFICATE-----
              key: inline-key
              client_auth_type: RequireClientCert
              client_ca: inline-ca
              client_allowed_sans: [scraper.example, 10.0.0.7]
              cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_AES_128_GCM_SHA256]
              curve_preferences: []
              prefer_server_cipher_suites: false
              min_version: TLS13
              max_version: TLS13
            http_server_config:
              http2: false
              headers:
                X-Frame-Options: deny
                Strict-Transport-Security: max-age=31536000
            basic_auth_users:
              prometheus: {Hash}
            rate_limit:
              interval: 1m30s
              burst: 20
            """, ConfigPath);

        var tls = config.Tls!;
        Assert.Equal("-----BEGIN CERTIFICATE-----\n", tls.Certificate.Inline);
        Assert.Null(tls.Certificate.File);
        Assert.Equal("inline-key", tls.Key.Inline);
        Assert.Equal("inline-ca", tls.ClientCa!.Inline);
        Assert.Equal(ClientAuthType.RequireAnyClientCert, tls.ClientAuth);
        Assert.Equal(["scraper.example", "10.0.0.7"], tls.ClientAllowedSans!);
        Assert.Equal([TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TlsCipherSuite.TLS_AES_128_GCM_SHA256], tls.CipherSuites);
        Assert.Equal(SslProtocols.Tls13, tls.Protocols);
        Assert.False(config.Http.Http2);
        Assert.Equal("deny", config.Http.Headers["X-Frame-Options"]);
        Assert.Equal(2, config.Http.Headers.Count);
        Assert.Equal(Hash, config.BasicAuthUsers["prometheus"]);
        Assert.Equal(new RateLimitConfig(TimeSpan.FromSeconds(90), 20), config.RateLimit);
    }

    [Fact]
    public void A_file_wins_over_the_same_pem_inline_as_in_exporter_toolkit()
    {
        var tls = WebConfigParser.Parse("tls_server_config:\n  cert_file: a.crt\n  cert: inline\n  key_file: a.key\n", ConfigPath).Tls!;

        Assert.Equal("/etc/netfilter-exporter/a.crt", tls.Certificate.File);
        Assert.Null(tls.Certificate.Inline);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    [InlineData("tls_server_config:\n")]
    [InlineData("tls_server_config:\n  min_version: TLS13\n")]
    [InlineData("basic_auth_users:\n")]
    [InlineData("rate_limit:\n  interval: 0s\n  burst: 0\n")]
    public void A_configuration_that_turns_nothing_on_means_plain_http_without_authentication(string text)
    {
        var config = WebConfigParser.Parse(text, ConfigPath);

        Assert.Null(config.Tls);
        Assert.Empty(config.BasicAuthUsers);
        Assert.Null(config.RateLimit);
    }

    [Theory]
    [InlineData("tls_server_config:\n  cert_file: a.crt\n  key_file: a.key\n  certfile: b.crt\n", "line 4: unknown key 'certfile' in tls_server_config")]
    [InlineData("tls_config:\n  cert_file: a.crt\n", "line 1: unknown key 'tls_config' at the top level")]
    [InlineData("http_server_config:\n  http3: true\n", "line 2: unknown key 'http3' in http_server_config")]
    [InlineData("rate_limit:\n  period: 1s\n", "line 2: unknown key 'period' in rate_limit")]
    [InlineData("tls_server_config:\n  cert_file: a.crt\n  key_file: a.key\n  client_ca_file: ca.crt\n", "line 4: a client CA is configured without a client auth policy")]
    [InlineData("tls_server_config:\n  cert_file: a.crt\n  key_file: a.key\n  client_allowed_sans: [x]\n", "line 4: client_allowed_sans needs a client certificate")]
    [InlineData("tls_server_config:\n  cert_file: a.crt\n  key_file: a.key\n  client_auth_type: Require\n", "line 4: invalid ClientAuth: 'Require'")]
    [InlineData("tls_server_config:\n  cert_file: a.crt\n  key_file: a.key\n  min_version: TLS10\n", "line 4: min_version TLS10 is not supported")]
    [InlineData("tls_server_config:\n  cert_file: a.crt\n  key_file: a.key\n  max_version: TLS14\n", "line 4: unknown TLS version: TLS14")]
    [InlineData("tls_server_config:\n  cert_file: a.crt\n  key_file: a.key\n  min_version: TLS13\n  max_version: TLS12\n", "line 5: max_version is below min_version")]
    [InlineData("tls_server_config:\n  cert_file: a.crt\n", "line 2: tls_server_config is missing one of key or key_file")]
    [InlineData("tls_server_config:\n  client_auth_type: RequireAndVerifyClientCert\n", "line 2: tls_server_config is missing one of cert or cert_file")]
    [InlineData("tls_server_config:\n  cert_file: a.crt\n  key_file: a.key\n  cipher_suites:\n    - TLS_RSA_WITH_RC4_128_SHA\n", "line 5: unknown cipher: TLS_RSA_WITH_RC4_128_SHA")]
    [InlineData("tls_server_config:\n  cert_file: a.crt\n  key_file: a.key\n  curve_preferences: [X25519]\n", "line 4: tls_server_config.curve_preferences is not supported")]
    [InlineData("tls_server_config:\n  cert_file: a.crt\n  key_file: a.key\n  prefer_server_cipher_suites: maybe\n", "line 4: tls_server_config.prefer_server_cipher_suites must be true or false")]
    [InlineData("tls_server_config:\n  cert_file: [a.crt]\n  key_file: a.key\n", "line 2: tls_server_config.cert_file must be a single value")]
    [InlineData("tls_server_config:\n  cert_file: a.crt\n   key_file: \"a.key\n", "line 3: not valid YAML")]
    [InlineData("http_server_config:\n  headers:\n    Server: nginx\n", "line 3: http_server_config.headers: HTTP header \"Server\" can not be configured")]
    [InlineData("http_server_config:\n  headers:\n    X-Frame-Options: allow\n", "line 3: http_server_config.headers: invalid value for X-Frame-Options")]
    [InlineData("http_server_config:\n  http2: sometimes\n", "line 2: http_server_config.http2 must be true or false")]
    [InlineData("basic_auth_users:\n  alice: secret\n", "line 2: basic_auth_users.alice is not a bcrypt hash")]
    [InlineData("basic_auth_users:\n  alice: $1$abcdefgh$0123456789012345678901\n", "line 2: basic_auth_users.alice is not a bcrypt hash")]
    [InlineData("basic_auth_users:\n  alice: $2y$99$X0h1gDsPszWURQaxFh.zoubFi6DXncSjhoQNJgRrnGs7EsimhC7zG\n", "line 2: basic_auth_users.alice has bcrypt cost 99")]
    [InlineData("basic_auth_users:\n  alice: $2y$10$tooshort\n", "line 2: basic_auth_users.alice is not a well-formed bcrypt hash")]
    [InlineData("rate_limit:\n  interval: fast\n", "line 2: rate_limit.interval 'fast' is not a duration")]
    [InlineData("rate_limit:\n  interval: -1s\n  burst: 1\n", "line 2: rate_limit.interval '-1s' is not a duration")]
    [InlineData("rate_limit:\n  interval: 1s\n", "line 2: rate_limit.burst must be at least 1")]
    [InlineData("rate_limit:\n  interval: 500us\n  burst: 1\n", "line 2: rate_limit.interval must be at least 1ms")]
    [InlineData("rate_limit:\n  interval: 1s\n  burst: many\n", "line 3: rate_limit.burst 'many' is not a whole number")]
    [InlineData("tls_server_config: yes\n", "line 1: tls_server_config must be a mapping")]
    [InlineData("http_server_config:\n  http2: true\n  http2: false\n", "line 3: not valid YAML: Duplicate key http2")]
    [InlineData("basic_auth_users:\n  alice: $2y$10$X0h1gDsPszWURQaxFh.zoubFi6DXncSjhoQNJgRrnGs7EsimhC7zG\n  alice: $2y$10$X0h1gDsPszWURQaxFh.zoubFi6DXncSjhoQNJgRrnGs7EsimhC7zG\n", "line 3: not valid YAML: Duplicate key alice")]
    public void Bad_input_is_refused_naming_file_line_and_key(string text, string expected)
    {
        var error = Assert.Throws<WebConfigException>(() => WebConfigParser.Parse(text, ConfigPath));

        Assert.StartsWith(ConfigPath + " ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

}
