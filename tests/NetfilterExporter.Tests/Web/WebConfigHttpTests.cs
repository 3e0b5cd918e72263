using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NetfilterExporter.TestSupport;
using NetfilterExporter.Web;

namespace NetfilterExporter.Tests.Web;

/// <summary>
/// The web configuration over real sockets: Kestrel on loopback, certificates from openssl, Debian's Prometheus
/// scraping with basic_auth over TLS.
/// </summary>
public sealed class WebConfigHttpTests
{
    private const string Password = "correct horse";
    private static readonly string PasswordHash = BCrypt.Net.BCrypt.HashPassword(Password, 10);

    [Fact]
    public async Task Prometheus_scrapes_with_basic_auth_over_tls_and_a_wrong_password_is_down()
    {
        using var pki = await ServerPkiAsync();
        await WriteConfigAsync(pki, $"{ServerTls(pki)}basic_auth_users:\n  prometheus: {PasswordHash}\n");
        var port = LoopbackPort.Free();
        await using var exporter = await StartAsync(pki, port);
        var passwordFile = pki.PathOf("password");
        await File.WriteAllTextAsync(passwordFile, Password, TestContext.Current.CancellationToken);
        string Job(string name, string password) => $"""
              - job_name: {name}
                scheme: https
                tls_config:
                  ca_file: {pki.PathOf("ca.crt")}
                basic_auth:
                  username: prometheus
                  {password}
                static_configs:
                  - targets: ['127.0.0.1:{port}']
            """;
        await using var prometheus = await PrometheusProcess.StartAsync(
            Job("with-password", $"password_file: {passwordFile}") + "\n" + Job("wrong-password", "password: guess"));

        var duplicates = await prometheus.WaitForSeriesAsync("netfilter_hostport_dnat_duplicates{job=\"with-password\",port=\"443\"}");
        var down = await prometheus.WaitForSeriesAsync("up{job=\"wrong-password\"} == 0");

        Assert.Equal("1", duplicates[0].GetProperty("value")[1].GetString());
        Assert.Equal(1, down.GetArrayLength());
        Assert.Contains("401", await prometheus.TargetsAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_path_but_healthz_needs_credentials_and_every_response_carries_the_headers()
    {
        using var pki = await ServerPkiAsync();
        await WriteConfigAsync(pki, ServerTls(pki) + $"""
            http_server_config:
              headers:
                X-Frame-Options: deny
                Strict-Transport-Security: max-age=31536000
            basic_auth_users:
              prometheus: {PasswordHash}
            """);
        var port = LoopbackPort.Free();
        await using var exporter = await StartAsync(pki, port);
        using var client = pki.CreateClient();
        var ct = TestContext.Current.CancellationToken;
        Uri At(string path) => new($"https://127.0.0.1:{port}{path}");

        foreach (var path in new[] { "/metrics", "/", "/nothing-here" })
        {
            using var anonymous = await client.GetAsync(At(path), ct);
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Equal("Basic", anonymous.Headers.WwwAuthenticate.Single().Scheme);
            Assert.Equal("deny", anonymous.Headers.GetValues("X-Frame-Options").Single());
            using var wrong = await SendAsync(client, At(path), "prometheus", "guess", ct);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            using var unknown = await SendAsync(client, At(path), "grafana", Password, ct);
            Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        }
        using var metrics = await SendAsync(client, At("/metrics"), "prometheus", Password, ct);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Contains("netfilter_hostport_dnat_duplicates", await metrics.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.Equal("max-age=31536000", metrics.Headers.GetValues("Strict-Transport-Security").Single());
        using var healthz = await client.GetAsync(At("/healthz"), ct);
        Assert.Equal(HttpStatusCode.OK, healthz.StatusCode);
        Assert.Equal("deny", healthz.Headers.GetValues("X-Frame-Options").Single());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Http2_false_turns_http2_off(bool http2)
    {
        using var pki = await ServerPkiAsync();
        await WriteConfigAsync(pki, ServerTls(pki) + $"http_server_config:\n  http2: {(http2 ? "true" : "false")}\n");
        var port = LoopbackPort.Free();
        await using var exporter = await StartAsync(pki, port);
        using var client = pki.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"https://127.0.0.1:{port}/healthz"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(http2 ? HttpVersion.Version20 : HttpVersion.Version11, response.Version);
    }

    [Fact]
    public async Task Rate_limit_answers_429_past_the_burst_and_leaves_healthz_alone()
    {
        using var pki = await ServerPkiAsync();
        await WriteConfigAsync(pki, "rate_limit:\n  interval: 1h\n  burst: 2\n");
        var port = LoopbackPort.Free();
        await using var exporter = await StartAsync(pki, port);
        using var client = new HttpClient();
        var ct = TestContext.Current.CancellationToken;
        var metrics = new Uri($"http://127.0.0.1:{port}/metrics");

        var statuses = new List<HttpStatusCode>();
        for (var request = 0; request < 4; request++)
        {
            using var response = await client.GetAsync(metrics, ct);
            statuses.Add(response.StatusCode);
        }
        using var healthz = await client.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz"), ct);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.OK, healthz.StatusCode);
    }

    [Theory]
    [InlineData("DNS:scraper.example", true)]
    [InlineData("email:prometheus@example.com", true)]
    [InlineData("IP:10.0.0.7", true)]
    [InlineData("URI:spiffe://cluster.local/ns/monitoring/sa/prometheus", true)]
    [InlineData("DNS:other.example,IP:10.0.0.8", false)]
    public async Task Client_allowed_sans_admits_only_certificates_naming_one_of_them(string subjectAltName, bool admitted)
    {
        using var pki = await ServerPkiAsync();
        await pki.CreateClientAsync("scraper", subjectAltName: subjectAltName);
        await WriteConfigAsync(pki, ServerTls(pki) + $"""
              client_auth_type: RequireAndVerifyClientCert
              client_ca_file: ca.crt
              client_allowed_sans:
                - scraper.example
                - prometheus@example.com
                - 10.0.0.7
                - spiffe://cluster.local/ns/monitoring/sa/prometheus
            """);
        var port = LoopbackPort.Free();
        await using var exporter = await StartAsync(pki, port);
        using var client = pki.CreateClient("scraper");
        var healthz = new Uri($"https://127.0.0.1:{port}/healthz");

        if (admitted)
        {
            Assert.Equal("ok\n", await client.GetStringAsync(healthz, TestContext.Current.CancellationToken));
        }
        else
        {
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => client.GetStringAsync(healthz, TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public async Task A_client_certificate_from_an_intermediate_verifies_against_the_root_alone_when_the_client_sends_the_intermediate()
    {
        using var pki = await ServerPkiAsync();
        await pki.CreateIntermediateAsync("intermediate");
        await pki.CreateClientAsync("scraper", "intermediate");
        await WriteConfigAsync(pki, ServerTls(pki) + "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\n");
        var port = LoopbackPort.Free();
        await using var exporter = await StartAsync(pki, port);
        var healthz = new Uri($"https://127.0.0.1:{port}/healthz");

        using var withIntermediate = pki.CreateClient(configure: tls => tls.ClientCertificateContext = ClientContext(pki, "scraper", "intermediate"));
        using var leafOnly = pki.CreateClient(configure: tls => tls.ClientCertificateContext = ClientContext(pki, "scraper"));

        Assert.Equal("ok\n", await withIntermediate.GetStringAsync(healthz, TestContext.Current.CancellationToken));
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => leafOnly.GetStringAsync(healthz, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_client_certificate_cannot_make_the_exporter_download_its_issuer()
    {
        using var issuerServer = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        issuerServer.Start();
        var issuerUrl = $"http://127.0.0.1:{((IPEndPoint)issuerServer.LocalEndpoint).Port}/intermediate.crt";
        using var pki = await ServerPkiAsync();
        await pki.CreateIntermediateAsync("intermediate");
        await pki.CreateClientAsync("scraper", "intermediate", issuerUrl: issuerUrl);
        await WriteConfigAsync(pki, ServerTls(pki) + "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\n");
        var port = LoopbackPort.Free();
        await using var exporter = await StartAsync(pki, port);
        using var leafOnly = pki.CreateClient(configure: tls => tls.ClientCertificateContext = ClientContext(pki, "scraper"));

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => leafOnly.GetStringAsync(new Uri($"https://127.0.0.1:{port}/healthz"), TestContext.Current.CancellationToken));

        Assert.False(issuerServer.Pending(), $"the exporter connected to {issuerUrl} named in the client's certificate");
    }

    [Fact]
    public async Task Head_requests_and_other_spellings_of_healthz_are_no_way_around_basic_auth()
    {
        using var pki = await ServerPkiAsync();
        await WriteConfigAsync(pki, $"basic_auth_users:\n  prometheus: {PasswordHash}\n");
        var port = LoopbackPort.Free();
        await using var exporter = await StartAsync(pki, port);
        using var client = new HttpClient();
        var ct = TestContext.Current.CancellationToken;

        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, new Uri($"http://127.0.0.1:{port}/metrics")), ct);
        using var slash = await client.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz/"), ct);
        using var upper = await client.GetAsync(new Uri($"http://127.0.0.1:{port}/HEALTHZ"), ct);

        Assert.Equal(HttpStatusCode.Unauthorized, head.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, slash.StatusCode);
        Assert.Equal("ok\n", await upper.Content.ReadAsStringAsync(ct));
    }

    [Fact]
    public async Task Guessers_filling_the_request_limit_do_not_turn_away_healthz()
    {
        using var pki = await ServerPkiAsync();
        // Cost 14: one guess keeps the only request slot for about a second.
        await WriteConfigAsync(pki, $"basic_auth_users:\n  prometheus: {BCrypt.Net.BCrypt.HashPassword(Password, 14)}\n");
        var port = LoopbackPort.Free();
        var options = Fixture.Options("not-loaded", Fixture.ExampleFlag("after-stop-start.legacy-ipv4.txt"),
            $"--web.config.file={pki.PathOf("web-config.yml")}", $"--web.listen-address=127.0.0.1:{port}", "--web.max-requests=1");
        await using var app = ExporterWebApp.Build(options);
        await app.StartAsync(TestContext.Current.CancellationToken);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var ct = TestContext.Current.CancellationToken;
        var metrics = new Uri($"http://127.0.0.1:{port}/metrics");

        var guess = SendAsync(client, metrics, "prometheus", "guess", ct);
        // The guess alone is in flight, so once the request limiter has no permit left it holds the slot; if it never
        // gets there first, the assertion below says so.
        var limiter = app.Services.GetRequiredService<IOptions<RateLimiterOptions>>().Value.GlobalLimiter!;
        var scrape = new DefaultHttpContext { Request = { Path = "/metrics" } };
        while (limiter.GetStatistics(scrape)?.CurrentAvailablePermits != 0 && !guess.IsCompleted)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), ct);
        }
        HttpStatusCode second;
        do
        {
            using var another = await SendAsync(client, metrics, "prometheus", "another guess", ct);
            second = another.StatusCode;
        }
        while (second != HttpStatusCode.ServiceUnavailable && !guess.IsCompleted);
        using var healthz = await client.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz"), ct);
        var guessStillRunning = !guess.IsCompleted;
        using var guessed = await guess;

        Assert.True(guessStillRunning && second == HttpStatusCode.ServiceUnavailable, "the guess did not hold the only request slot while the test looked");
        Assert.Equal(HttpStatusCode.OK, healthz.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, guessed.StatusCode);
    }

    [Fact]
    public async Task Inline_certificate_and_key_serve_tls()
    {
        using var pki = await ServerPkiAsync();
        string Indented(string file) => string.Join("\n", File.ReadAllText(pki.PathOf(file)).TrimEnd().Split('\n').Select(line => "    " + line));
        await WriteConfigAsync(pki, $"tls_server_config:\n  cert: |\n{Indented("server.crt")}\n  key: |\n{Indented("server.key")}\n");
        var port = LoopbackPort.Free();
        await using var exporter = await StartAsync(pki, port);
        using var client = pki.CreateClient();

        Assert.Equal("ok\n", await client.GetStringAsync(new Uri($"https://127.0.0.1:{port}/healthz"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Cipher_suites_restrict_tls12_to_the_listed_suites()
    {
        using var pki = await ServerPkiAsync();
        await WriteConfigAsync(pki, ServerTls(pki) + "  max_version: TLS12\n  cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384]\n");
        var port = LoopbackPort.Free();
        await using var exporter = await StartAsync(pki, port);
        var healthz = new Uri($"https://127.0.0.1:{port}/healthz");
        var ct = TestContext.Current.CancellationToken;

        using var listed = pki.CreateClient(configure: OnlySuite(TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384));
        using var unlisted = pki.CreateClient(configure: OnlySuite(TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256));

        Assert.Equal("ok\n", await listed.GetStringAsync(healthz, ct));
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => unlisted.GetStringAsync(healthz, ct));
    }

    [Fact]
    public async Task The_shipped_binary_keeps_serving_the_last_good_users_after_a_broken_edit_and_logs_it_once()
    {
        using var directory = new TemporaryDirectory("nfx-webconfig-");
        var config = directory.Combine("web-config.yml");
        await File.WriteAllTextAsync(config, $"basic_auth_users:\n  prometheus: {PasswordHash}\n", TestContext.Current.CancellationToken);
        await using var exporter = await ExporterProcess.StartAsync(
            [$"--web.config.file={config}", Fixture.ExampleFlag("after-stop-start.legacy-ipv4.txt"), .. Fixture.ConntrackFlags("not-loaded")]);
        var metrics = new Uri(exporter.BaseAddress, "metrics");
        var ct = TestContext.Current.CancellationToken;

        await File.WriteAllTextAsync(config, "basic_auth_users:\n  prometheus: [not, a, hash]\n", ct);
        var statuses = new List<HttpStatusCode>();
        // Six requests 400 ms apart span the binary's 1 s retry pause twice, on its own clock, which no test can
        // advance: the broken file is read again, keeps the last good users serving and is still logged once.
        for (var request = 0; request < 6; request++)
        {
            using var response = await SendAsync(exporter.Client, metrics, "prometheus", Password, ct);
            statuses.Add(response.StatusCode);
            await Task.Delay(TimeSpan.FromMilliseconds(400), ct);
        }
        var newHash = BCrypt.Net.BCrypt.HashPassword("rotated", 4);
        await File.WriteAllTextAsync(config, $"basic_auth_users:\n  prometheus: {newHash}\n", ct);
        // The fixed file is read once the binary's retry pause (1 s, on its own clock) has passed since the last broken read.
        var rotated = await AskUntilAsync(exporter, metrics, "rotated", HttpStatusCode.OK, ct);
        using var old = await SendAsync(exporter.Client, metrics, "prometheus", Password, ct);

        Assert.Equal(6, statuses.Count);
        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
        var problem = $"{config} line 2: basic_auth_users.prometheus must be a single value";
        // Once: one line, which has it in msg and, as its own key, in err.
        var logged = exporter.Log.Split('\n').Where(line => line.Contains(problem, StringComparison.Ordinal)).ToList();
        Assert.True(logged.Count == 1, $"expected the error once in:\n{exporter.Log}");
        Assert.EndsWith($"keeps serving: {problem}\" err=\"{problem}\"", logged[0], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, rotated);
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
    }

    /// <summary>Asks with <paramref name="password"/> until the answer is <paramref name="expected"/> or a generous deadline passes; returns the last answer.</summary>
    private static async Task<HttpStatusCode> AskUntilAsync(ExporterProcess exporter, Uri uri, string password, HttpStatusCode expected, CancellationToken ct)
    {
        // The last answer is returned either way: the caller's assertion names what came instead.
        var last = default(HttpStatusCode);
        await Poll.WhetherAsync(TimeSpan.FromSeconds(15), async token =>
        {
            using var response = await SendAsync(exporter.Client, uri, "prometheus", password, token);
            last = response.StatusCode;
            return last == expected;
        }, cancellationToken: ct);
        return last;
    }

    private static async Task<TestCertificates> ServerPkiAsync()
    {
        var pki = await TestCertificates.CreateAsync();
        await pki.CreateServerAsync("server");
        return pki;
    }

    private static string ServerTls(TestCertificates pki) => "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n";

    private static Task WriteConfigAsync(TestCertificates pki, string text) =>
        File.WriteAllTextAsync(pki.PathOf("web-config.yml"), text, TestContext.Current.CancellationToken);

    private static async Task<WebApplication> StartAsync(TestCertificates pki, int port)
    {
        var options = Fixture.Options("not-loaded", Fixture.ExampleFlag("after-stop-start.legacy-ipv4.txt"),
            $"--web.config.file={pki.PathOf("web-config.yml")}", $"--web.listen-address=127.0.0.1:{port}");
        var app = ExporterWebApp.Build(options);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return app;
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, Uri uri, string user, string password, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return client.SendAsync(request, ct);
    }

    /// <summary>NAME.crt with its key, sending exactly the given intermediates and never downloading any.</summary>
    private static SslStreamCertificateContext ClientContext(TestCertificates pki, string name, params string[] intermediates) =>
        SslStreamCertificateContext.Create(
            X509Certificate2.CreateFromPemFile(pki.PathOf(name + ".crt"), pki.PathOf(name + ".key")),
            [.. intermediates.Select(intermediate => X509CertificateLoader.LoadCertificateFromFile(pki.PathOf(intermediate + ".crt")))],
            offline: true);

    /// <summary>Offers only TLS 1.2 with one cipher suite.</summary>
    private static Action<SslClientAuthenticationOptions> OnlySuite(TlsCipherSuite suite) => tls =>
    {
        tls.EnabledSslProtocols = SslProtocols.Tls12;
        tls.CipherSuitesPolicy = new CipherSuitesPolicy([suite]);
    };
}
