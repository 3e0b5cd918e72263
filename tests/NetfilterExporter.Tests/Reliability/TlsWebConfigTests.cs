using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using NetfilterExporter.TestSupport;
using NetfilterExporter.Web;

namespace NetfilterExporter.Tests.Reliability;

/// <summary>
/// --web.config.file with exporter-toolkit's tls_server_config, over real sockets: certificates from openssl and
/// Debian's Prometheus scraping with a client certificate. The example file against promtool is in
/// Web/PromtoolWebConfigTests.
/// </summary>
public sealed class TlsWebConfigTests
{
    [Fact]
    public async Task Prometheus_scrapes_over_tls_with_a_client_certificate()
    {
        using var pki = await MutualTlsAsync();
        var port = LoopbackPort.Free();
        await using var exporter = await StartAsync(pki, port);
        var scrapeConfig = $"""
              - job_name: netfilter-tls
                scheme: https
                tls_config:
                  ca_file: {pki.PathOf("ca.crt")}
                  cert_file: {pki.PathOf("scraper.crt")}
                  key_file: {pki.PathOf("scraper.key")}
                static_configs:
                  - targets: ['127.0.0.1:{port}']
            """;
        await using var prometheus = await PrometheusProcess.StartAsync(scrapeConfig);

        var duplicates = await prometheus.WaitForSeriesAsync("netfilter_hostport_dnat_duplicates{job=\"netfilter-tls\",port=\"443\"}");
        var up = await prometheus.WaitForSeriesAsync("up{job=\"netfilter-tls\"} == 1");

        Assert.Equal("1", duplicates[0].GetProperty("value")[1].GetString());
        Assert.Equal(1, up.GetArrayLength());
    }

    [Fact]
    public async Task Clients_without_a_certificate_from_the_client_ca_are_refused()
    {
        using var pki = await MutualTlsAsync();
        await pki.CreateAuthorityAsync("other-ca");
        await pki.CreateClientAsync("stranger", "other-ca");
        var port = LoopbackPort.Free();
        await using var exporter = await StartAsync(pki, port);
        var metrics = new Uri($"https://127.0.0.1:{port}/metrics");

        using var anonymous = pki.CreateClient();
        using var stranger = pki.CreateClient("stranger");
        using var plain = new HttpClient();
        using var scraper = pki.CreateClient("scraper");

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => anonymous.GetStringAsync(metrics, TestContext.Current.CancellationToken));
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => stranger.GetStringAsync(metrics, TestContext.Current.CancellationToken));
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => plain.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"), TestContext.Current.CancellationToken));
        using var accepted = await scraper.GetAsync(metrics, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task A_rotated_certificate_applies_to_new_connections_without_a_restart_and_a_broken_one_keeps_the_last_good_one()
    {
        using var pki = await MutualTlsAsync();
        await pki.CreateServerAsync("rotated");
        var port = LoopbackPort.Free();
        await using var exporter = await StartAsync(pki, port);
        var before = await ServerCertificateAsync(pki, port);

        File.Copy(pki.PathOf("rotated.crt"), pki.PathOf("server.crt"), overwrite: true);
        File.Copy(pki.PathOf("rotated.key"), pki.PathOf("server.key"), overwrite: true);
        var after = await ServerCertificateAsync(pki, port);

        Assert.Equal(X509CertificateLoader.LoadCertificateFromFile(pki.PathOf("rotated.crt")).Thumbprint, after);
        Assert.NotEqual(before, after);

        await File.WriteAllTextAsync(pki.PathOf("server.key"), "not a key\n", TestContext.Current.CancellationToken);
        Assert.Equal(after, await ServerCertificateAsync(pki, port));

        // Half-way through a rotation that writes the key first: a key of another certificate.
        await pki.CreateServerAsync("next");
        File.Copy(pki.PathOf("next.key"), pki.PathOf("server.key"), overwrite: true);
        Assert.Equal(after, await ServerCertificateAsync(pki, port));
    }

    [Fact]
    public async Task Min_version_turns_away_clients_that_only_speak_older_tls()
    {
        using var pki = await TestCertificates.CreateAsync();
        await pki.CreateServerAsync("server");
        await File.WriteAllTextAsync(pki.PathOf("web-config.yml"), "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  min_version: TLS13\n", TestContext.Current.CancellationToken);
        var port = LoopbackPort.Free();
        await using var exporter = await StartAsync(pki, port);
        var healthz = new Uri($"https://127.0.0.1:{port}/healthz");

        using var tls12 = pki.CreateClient(configure: tls => tls.EnabledSslProtocols = SslProtocols.Tls12);
        using var tls13 = pki.CreateClient(configure: tls => tls.EnabledSslProtocols = SslProtocols.Tls13);

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => tls12.GetStringAsync(healthz, TestContext.Current.CancellationToken));
        Assert.Equal("ok\n", await tls13.GetStringAsync(healthz, TestContext.Current.CancellationToken));
    }

    /// <summary>ca.crt, server.crt/key for 127.0.0.1, scraper.crt/key as a client, and web-config.yml requiring client certificates.</summary>
    private static async Task<TestCertificates> MutualTlsAsync()
    {
        var pki = await TestCertificates.CreateAsync();
        await pki.CreateServerAsync("server");
        await pki.CreateClientAsync("scraper");
        await File.WriteAllTextAsync(pki.PathOf("web-config.yml"),
            "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\n  min_version: TLS12\n");
        return pki;
    }

    private static async Task<WebApplication> StartAsync(TestCertificates pki, int port)
    {
        var options = Fixture.Options("not-loaded", Fixture.ExampleFlag("after-stop-start.legacy-ipv4.txt"),
            $"--web.config.file={pki.PathOf("web-config.yml")}", $"--web.listen-address=127.0.0.1:{port}");
        var app = ExporterWebApp.Build(options);
        await app.StartAsync();
        return app;
    }

    /// <summary>Opens a new connection with the scraper's certificate and returns the thumbprint the server presented.</summary>
    private static async Task<string> ServerCertificateAsync(TestCertificates pki, int port)
    {
        string? thumbprint = null;
        using var client = pki.CreateClient("scraper", seeServer: server => thumbprint = server.Thumbprint);
        using var response = await client.GetAsync(new Uri($"https://127.0.0.1:{port}/healthz"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return thumbprint!;
    }
}
