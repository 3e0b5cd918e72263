using System.Security.Authentication;
using NetfilterExporter.Configuration;
using NetfilterExporter.TestSupport;
using NetfilterExporter.Web;
using NetfilterExporter.WebConfig;

namespace NetfilterExporter.Tests.Reliability;

public sealed class WebConfigParserTests
{
    private const string ConfigPath = "/etc/netfilter-exporter/web-config.yml";

    [Fact]
    public void Relative_files_are_resolved_against_the_configuration_directory_and_defaults_follow_exporter_toolkit()
    {
        var config = WebConfigParser.Parse("tls_server_config:\n  cert_file: tls/server.crt\n  key_file: /secrets/server.key\n", ConfigPath);

        Assert.Equal("/etc/netfilter-exporter/tls/server.crt", config.Tls!.CertFile);
        Assert.Equal("/secrets/server.key", config.Tls.KeyFile);
        Assert.Equal(ClientAuthType.NoClientCert, config.Tls.ClientAuth);
        Assert.Equal(SslProtocols.Tls12 | SslProtocols.Tls13, config.Tls.Protocols);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    [InlineData("tls_server_config:\n")]
    public void An_empty_configuration_means_plain_http(string text)
    {
        Assert.Null(WebConfigParser.Parse(text, ConfigPath).Tls);
    }

    [Theory]
    [InlineData("tls_server_config:\n  cert_file: a.crt\n  key_file: a.key\n  certfile: b.crt\n", "line 4: unknown key 'certfile' in tls_server_config")]
    [InlineData("tls_config:\n  cert_file: a.crt\n", "line 1: unknown key 'tls_config' at the top level")]
    [InlineData("basic_auth_users:\n  alice: $2y$10$abcdefghijklmnopqrstuv\n", "line 1: basic_auth_users is not supported: its passwords are bcrypt hashes")]
    [InlineData("tls_server_config:\n  cert_file: a.crt\n  key_file: a.key\n  client_ca_file: ca.crt\n", "line 4: client_ca_file is set but client_auth_type is NoClientCert")]
    [InlineData("tls_server_config:\n  cert_file: a.crt\n  key_file: a.key\n  client_auth_type: RequireAndVerifyClientCert\n", "line 4: client_auth_type RequireAndVerifyClientCert needs client_ca_file")]
    [InlineData("tls_server_config:\n  cert_file: a.crt\n  key_file: a.key\n  client_auth_type: Require\n", "line 4: client_auth_type 'Require' is not one of")]
    [InlineData("tls_server_config:\n  cert_file: a.crt\n  key_file: a.key\n  min_version: TLS10\n", "line 4: min_version TLS10 is not supported")]
    [InlineData("tls_server_config:\n  cert_file: a.crt\n  key_file: a.key\n  min_version: TLS13\n  max_version: TLS12\n", "line 5: max_version is below min_version")]
    [InlineData("tls_server_config:\n  cert_file: a.crt\n", "line 2: tls_server_config needs both cert_file and key_file")]
    [InlineData("tls_server_config:\n  cert_file: a.crt\n  key_file: a.key\n  cipher_suites: [TLS_AES_128_GCM_SHA256]\n", "line 4: tls_server_config.cipher_suites is not supported")]
    [InlineData("tls_server_config:\n  cert_file: [a.crt]\n  key_file: a.key\n", "line 2: tls_server_config.cert_file must be a single value")]
    [InlineData("tls_server_config:\n  cert_file: a.crt\n   key_file: \"a.key\n", "line 3: not valid YAML")]
    [InlineData("rate_limit:\n  interval: 1s\n", "line 1: rate_limit is not supported; use --web.max-requests")]
    public void Keys_it_cannot_honour_are_refused_naming_file_and_line(string text, string expected)
    {
        var error = Assert.Throws<WebConfigException>(() => WebConfigParser.Parse(text, ConfigPath));

        Assert.StartsWith(ConfigPath + " ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_exporter_refuses_to_start_with_basic_auth_users_and_says_why()
    {
        var directory = Directory.CreateTempSubdirectory("nfx-webconfig-");
        try
        {
            var config = Path.Combine(directory.FullName, "web-config.yml");
            await File.WriteAllTextAsync(config, "basic_auth_users:\n  prometheus: $2y$10$X0h1gDsPszWURQaxFh.zoubFi6DXncSjhoQNJgRrnGs7EsimhC7zG\n", TestContext.Current.CancellationToken);

            var run = await TestCommand.RunAsync(ExporterProcess.BinaryPath, [$"--web.config.file={config}", "--web.listen-address=127.0.0.1:0"], timeout: TimeSpan.FromSeconds(60));

            Assert.Equal(2, run.ExitCode);
            Assert.Contains($"--web.config.file: {config} line 1: basic_auth_users is not supported", run.StandardError, StringComparison.Ordinal);
            Assert.Contains("bcrypt", run.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_certificate_file_that_cannot_be_read_stops_the_start_naming_it()
    {
        var directory = Directory.CreateTempSubdirectory("nfx-webconfig-");
        try
        {
            var config = Path.Combine(directory.FullName, "web-config.yml");
            File.WriteAllText(config, "tls_server_config:\n  cert_file: missing.crt\n  key_file: missing.key\n");

            var error = Assert.Throws<UsageException>(() => ExporterWebApp.Build(Fixture.Options("persistent-etc", $"--web.config.file={config}")));

            Assert.Contains($"cannot read cert_file {Path.Combine(directory.FullName, "missing.crt")}", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
