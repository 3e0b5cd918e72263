using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using NetfilterExporter.TestSupport;
using NetfilterExporter.WebConfig;

namespace NetfilterExporter.Unit.Tests.WebConfig;

public sealed class ReloadingWebConfigTests : IDisposable
{
    private static readonly string FirstHash = BCrypt.Net.BCrypt.HashPassword("one", 4);
    private static readonly string SecondHash = BCrypt.Net.BCrypt.HashPassword("two", 4);

    private readonly TemporaryDirectory directory = new("nfx-reload-");
    private readonly RecordingLogger<ReloadingWebConfig> logger = new();
    private readonly FakeTimeProvider clock = new();

    private string ConfigPath => directory.Combine("web-config.yml");

    public void Dispose() => directory.Dispose();

    [Fact]
    public void A_changed_file_applies_to_the_next_request()
    {
        var web = Start($"basic_auth_users:\n  prometheus: {FirstHash}\n");

        File.WriteAllText(ConfigPath, $"basic_auth_users:\n  prometheus: {SecondHash}\nhttp_server_config:\n  headers:\n    X-Frame-Options: deny\n");

        var config = web.ForRequest();
        Assert.Equal(SecondHash, config.BasicAuthUsers["prometheus"]);
        Assert.Equal("deny", config.Http.Headers["X-Frame-Options"]);
        Assert.Contains(logger.Entries, entry => entry.Level == LogLevel.Information && entry.Message.Contains("reloaded", StringComparison.Ordinal));
    }

    [Fact]
    public void A_broken_version_keeps_the_last_good_one_serving_and_is_logged_once()
    {
        var web = Start($"basic_auth_users:\n  prometheus: {FirstHash}\n");

        File.WriteAllText(ConfigPath, "basic_auth_users:\n  prometheus: $2y$10$tooshort\n");
        for (var request = 0; request < 5; request++)
        {
            Assert.Equal(FirstHash, web.ForRequest().BasicAuthUsers["prometheus"]);
            // Five requests over 1.5 s, so the broken version is read again after the 1 s retry pause and still logged only once.
            clock.Advance(TimeSpan.FromMilliseconds(300));
        }

        var errors = logger.Entries.Where(entry => entry.Level == LogLevel.Error).ToList();
        var error = Assert.Single(errors);
        Assert.Contains($"{ConfigPath} line 2: basic_auth_users.prometheus is not a well-formed bcrypt hash", error.Message, StringComparison.Ordinal);
        Assert.Contains("the last good one keeps serving", error.Message, StringComparison.Ordinal);

        // The last retry was at 1.2 s, the clock reads 1.5 s: a fixed file waits for the pause to end, then serves.
        File.WriteAllText(ConfigPath, $"basic_auth_users:\n  prometheus: {SecondHash}\n");
        Assert.Equal(FirstHash, web.ForRequest().BasicAuthUsers["prometheus"]);
        clock.Advance(TimeSpan.FromMilliseconds(700));
        Assert.Equal(SecondHash, web.ForRequest().BasicAuthUsers["prometheus"]);
    }

    [Fact]
    public void Switching_tls_off_needs_a_restart_and_the_running_tls_stays()
    {
        // A self-signed pair made in process: this test reads the configuration, it never handshakes.
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddYears(100));
        File.WriteAllText(directory.Combine("server.crt"), certificate.ExportCertificatePem());
        File.WriteAllText(directory.Combine("server.key"), key.ExportPkcs8PrivateKeyPem());
        var tls = $"tls_server_config:\n  cert_file: {directory.Combine("server.crt")}\n  key_file: {directory.Combine("server.key")}\n";
        var web = Start(tls);

        File.WriteAllText(ConfigPath, $"basic_auth_users:\n  prometheus: {FirstHash}\n");

        Assert.NotNull(web.ForRequest().Tls);
        Assert.Empty(web.ForRequest().BasicAuthUsers);
        Assert.Contains(logger.Entries, entry => entry.Level == LogLevel.Error && entry.Message.Contains("switching from HTTPS to HTTP needs a restart", StringComparison.Ordinal));
    }

    [Fact]
    public void Http2_and_rate_limit_changes_wait_for_a_restart_and_say_so()
    {
        var web = Start("rate_limit:\n  interval: 1s\n  burst: 5\n");

        File.WriteAllText(ConfigPath, "rate_limit:\n  interval: 1s\n  burst: 50\nhttp_server_config:\n  http2: false\n");

        Assert.Equal(50, web.ForRequest().RateLimit!.Burst);
        Assert.Equal(5, web.AtStart.RateLimit!.Burst);
        Assert.True(web.AtStart.Http.Http2);
        Assert.Contains(logger.Entries, entry => entry.Level == LogLevel.Warning && entry.Message.Contains("take effect after a restart", StringComparison.Ordinal));
    }

    private ReloadingWebConfig Start(string text)
    {
        File.WriteAllText(ConfigPath, text);
        return new ReloadingWebConfig(LoadedWebConfig.Load(ConfigPath), logger, clock);
    }
}
