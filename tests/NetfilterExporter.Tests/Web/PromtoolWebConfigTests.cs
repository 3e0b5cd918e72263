using NetfilterExporter.TestSupport;
using NetfilterExporter.WebConfig;

namespace NetfilterExporter.Tests.Web;

/// <summary>
/// The exporter's web configuration parser against the reference one, <c>promtool check web-config</c> of both
/// sets of monitoring parts: Debian 12's (Prometheus 2.42, which vendors exporter-toolkit v0.8.2) and today's
/// (Prometheus 3.5, exporter-toolkit v0.17), fed the very files the exporter loads, with real certificate files next
/// to them. Where the exporter and a promtool disagree the disagreement is written down here, so this test fails when
/// either side changes: keys toolkit v0.8.2 does not know yet (today's promtool accepts them), and settings the
/// exporter refuses on purpose (docs/security.md, "Restricting access").
/// </summary>
public sealed class PromtoolWebConfigTests
{
    private const string Hash = "$2y$10$V11CPk1GELO/TIVgsXO6B.c0fgGWxfPWrqLttcU930l.wTD7UnlXm";

    private const string Tls = """
        tls_server_config:
          cert_file: server.crt
          key_file: server.key
        """;

    private const string MutualTls = """
        tls_server_config:
          cert_file: server.crt
          key_file: server.key
          client_auth_type: RequireAndVerifyClientCert
          client_ca_file: ca.crt
        """;

    private static string[] ExampleNames() =>
        [.. Directory.GetFiles(RepositoryPaths.Combine("examples"), "web-config*.yml").Select(path => Path.GetFileName(path)).Order(StringComparer.Ordinal)];

    public static TheoryData<string, string> Examples => PartsUnderTest.SetsWith(ExampleNames());

    /// <summary>
    /// Configurations both refuse: the YAML, what Debian 12's promtool 2.42 (toolkit v0.8.2) says, what today's
    /// promtool 3.x (toolkit v0.17) says where its wording changed (null: the same), what the exporter says.
    /// </summary>
    private static readonly Dictionary<string, (string Yaml, string Promtool2, string? Promtool3, string Exporter)> BothRefuse = new()
    {
        ["unknown top-level key"] = (Tls + "\nunknown_key: 1", "field unknown_key not found in type web.Config", null, "unknown key 'unknown_key' at the top level"),
        ["unknown tls key"] = (Tls + "\n  bogus: 1", "field bogus not found in type web.TLSConfig", null, "unknown key 'bogus' in tls_server_config"),
        ["bad client_auth_type"] = (Tls + "\n  client_auth_type: Whatever", "Invalid ClientAuth: Whatever", "invalid ClientAuth: Whatever", "invalid ClientAuth: 'Whatever'"),
        ["bad TLS version"] = (Tls + "\n  min_version: TLS14", "unknown TLS version: TLS14", null, "unknown TLS version: TLS14"),
        ["unknown cipher"] = (Tls + "\n  cipher_suites: [TLS_RSA_WITH_RC4_128_SHA]", "unknown cipher: TLS_RSA_WITH_RC4_128_SHA", null, "unknown cipher: TLS_RSA_WITH_RC4_128_SHA"),
        ["header not allowed"] = (Tls + "\nhttp_server_config:\n  headers:\n    X-Custom: x", "HTTP header \"X-Custom\" can not be configured", null, "HTTP header \"X-Custom\" can not be configured"),
        ["header value not allowed"] = (Tls + "\nhttp_server_config:\n  headers:\n    X-Frame-Options: allow", "invalid value for X-Frame-Options", null, "invalid value for X-Frame-Options"),
        ["not a bcrypt hash"] = (Tls + "\nbasic_auth_users:\n  prometheus: notahash", "crypto/bcrypt: hashedSecret too short", null, "basic_auth_users.prometheus is not a bcrypt hash"),
        ["bcrypt cost below 4"] = (Tls + "\nbasic_auth_users:\n  prometheus: " + Hash.Replace("$10$", "$03$", StringComparison.Ordinal), "cost 3 is outside allowed range (4,31)", "cost 3 is outside allowed inclusive range 4..31", "outside 4 to 31"),
        ["client CA without client auth"] = (Tls + "\n  client_ca_file: ca.crt", "Client CA's have been configured without a Client Auth Policy", "client CA's have been configured without a Client Auth Policy", "a client CA is configured without a client auth policy"),
        ["missing key"] = ("tls_server_config:\n  cert_file: server.crt", "missing key_file", "missing one of key or key_file", "missing one of key or key_file"),
        ["missing certificate"] = ("tls_server_config:\n  key_file: server.key", "missing cert_file", "missing one of cert or cert_file", "missing one of cert or cert_file"),
        ["client auth without a certificate"] = ("tls_server_config:\n  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt", "missing cert_file", "missing one of cert or cert_file", "missing one of cert or cert_file"),
        ["key of another certificate"] = ("tls_server_config:\n  cert_file: ca.crt\n  key_file: server.key", "private key does not match public key", null, "are not a matching PEM certificate and key"),
        ["certificate file absent"] = ("tls_server_config:\n  cert_file: absent.crt\n  key_file: server.key", "failed to load X509KeyPair: open", "failed to read cert_file", "cannot read cert_file"),
    };

    public static TheoryData<string, string> BothRefuseCases => PartsUnderTest.SetsWith(BothRefuse.Keys);

    /// <summary>
    /// exporter-toolkit keys newer than v0.8.2: the exporter serves them, Debian 12's promtool 2.42 refuses them (what
    /// it says is given), today's promtool 3.x (toolkit v0.17) accepts them.
    /// </summary>
    private static readonly Dictionary<string, (string Yaml, string Promtool2, Action<WebConfigFile> Check)> NewerThanToolkit082 = new()
    {
        ["client_allowed_sans"] = (MutualTls + "\n  client_allowed_sans: [prometheus.monitoring.example, 10.0.0.7]",
            "field client_allowed_sans not found in type web.TLSConfig",
            config => Assert.Equal(["prometheus.monitoring.example", "10.0.0.7"], config.Tls!.ClientAllowedSans!)),
        ["inline cert and key"] = ("tls_server_config:\n  cert: |\n{server.crt}\n  key: |\n{server.key}",
            "field cert not found in type web.TLSConfig",
            config => Assert.Contains("BEGIN CERTIFICATE", config.Tls!.Certificate.Inline, StringComparison.Ordinal)),
        ["inline client_ca"] = (Tls + "\n  client_auth_type: RequireAndVerifyClientCert\n  client_ca: |\n{ca.crt}",
            "field client_ca not found in type web.TLSConfig",
            config => Assert.NotNull(config.Tls!.ClientCa!.Inline)),
        ["rate_limit"] = (Tls + "\nrate_limit:\n  interval: 1s\n  burst: 10",
            "field rate_limit not found in type web.Config",
            config => Assert.Equal(new RateLimitConfig(TimeSpan.FromSeconds(1), 10), config.RateLimit)),
    };

    public static TheoryData<string> NewerThanToolkit082Cases => new(NewerThanToolkit082.Keys.ToArray());

    /// <summary>Settings promtool accepts and the exporter refuses on purpose, each for a reason docs/security.md gives.</summary>
    private static readonly Dictionary<string, (string Yaml, string Exporter)> RefusedOnPurpose = new()
    {
        ["curve_preferences"] = (Tls + "\n  curve_preferences: [X25519]", "curve_preferences is not supported"),
        ["TLS10"] = (Tls + "\n  min_version: TLS10", "min_version TLS10 is not supported"),
        ["TLS11"] = (Tls + "\n  min_version: TLS11", "min_version TLS11 is not supported"),
        ["max_version below min_version"] = (Tls + "\n  min_version: TLS13\n  max_version: TLS12", "max_version is below min_version"),
    };

    public static TheoryData<string, string> RefusedOnPurposeCases => PartsUnderTest.SetsWith(RefusedOnPurpose.Keys);

    [Fact]
    public async Task The_examples_are_tls_alone_mutual_tls_and_basic_auth_over_tls()
    {
        Assert.Equal(["web-config-basic-auth.yml", "web-config-tls.yml", "web-config.yml"], ExampleNames());
        using var pki = await CertificatesAsync();
        WebConfigFile Load(string example)
        {
            var path = pki.PathOf(example);
            File.Copy(RepositoryPaths.Combine("examples", example), path, overwrite: true);
            return LoadedWebConfig.Load(path).Config;
        }

        var tls = Load("web-config-tls.yml");
        var mutualTls = Load("web-config.yml");
        var basicAuth = Load("web-config-basic-auth.yml");

        Assert.Equal(ClientAuthType.NoClientCert, tls.Tls!.ClientAuth);
        Assert.Empty(tls.BasicAuthUsers);
        Assert.Equal(ClientAuthType.RequireAndVerifyClientCert, mutualTls.Tls!.ClientAuth);
        Assert.Equal(pki.PathOf("ca.crt"), mutualTls.Tls.ClientCa!.File);
        Assert.Empty(mutualTls.BasicAuthUsers);
        Assert.Equal(ClientAuthType.NoClientCert, basicAuth.Tls!.ClientAuth);
        Assert.Equal(["prometheus"], basicAuth.BasicAuthUsers.Keys);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Every_example_passes_promtool_and_loads_in_the_exporter(string set, string example)
    {
        var parts = await PartsUnderTest.UseAsync(set);
        using var pki = await CertificatesAsync();
        var path = pki.PathOf(example);
        File.Copy(RepositoryPaths.Combine("examples", example), path);

        var check = await PromtoolAsync(parts, path);
        var loaded = LoadedWebConfig.Load(path);

        Assert.True(check.ExitCode == 0, check.Output);
        Assert.Contains("SUCCESS", check.Output, StringComparison.Ordinal);
        Assert.NotNull(loaded.Tls);
        Assert.Equal(pki.PathOf("server.crt"), loaded.Config.Tls!.Certificate.File);
    }

    [Theory]
    [MemberData(nameof(BothRefuseCases))]
    public async Task Invalid_configurations_are_refused_by_both(string set, string name)
    {
        var parts = await PartsUnderTest.UseAsync(set);
        var (yaml, promtool2Says, promtool3Says, exporterSays) = BothRefuse[name];
        var promtoolSays = parts.PrometheusVersion.Major >= 3 ? promtool3Says ?? promtool2Says : promtool2Says;
        using var pki = await CertificatesAsync();
        var path = await WriteAsync(pki, yaml);

        var check = await PromtoolAsync(parts, path);
        var refusal = Assert.Throws<WebConfigException>(() => LoadedWebConfig.Load(path));

        Assert.True(check.ExitCode == 1, $"promtool accepted it: {check.Output}");
        Assert.Contains(promtoolSays, check.Output, StringComparison.Ordinal);
        Assert.Contains(exporterSays, refusal.Message, StringComparison.Ordinal);
        Assert.StartsWith(path, refusal.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(NewerThanToolkit082Cases))]
    public async Task Keys_newer_than_toolkit_0_8_2_are_refused_by_Debian_12s_promtool_and_served_by_the_exporter(string name)
    {
        var parts = await PartsUnderTest.UseAsync(MonitoringParts.Debian12);
        var (yaml, promtoolSays, check) = NewerThanToolkit082[name];
        using var pki = await CertificatesAsync();
        var path = await WriteAsync(pki, yaml);

        var promtool = await PromtoolAsync(parts, path);
        var loaded = LoadedWebConfig.Load(path);

        Assert.True(promtool.ExitCode == 1, $"Debian 12's promtool ({parts.Describe()}) now knows {name}: {promtool.Output}");
        Assert.Contains(promtoolSays, promtool.Output, StringComparison.Ordinal);
        Assert.NotNull(loaded.Tls);
        check(loaded.Config);
    }

    [Theory]
    [MemberData(nameof(NewerThanToolkit082Cases))]
    public async Task Keys_newer_than_toolkit_0_8_2_are_accepted_by_todays_promtool_and_served_by_the_exporter(string name)
    {
        var parts = await PartsUnderTest.UseAsync(MonitoringParts.Today);
        var (yaml, _, check) = NewerThanToolkit082[name];
        using var pki = await CertificatesAsync();
        var path = await WriteAsync(pki, yaml);

        var promtool = await PromtoolAsync(parts, path);
        var loaded = LoadedWebConfig.Load(path);

        Assert.True(promtool.ExitCode == 0, $"today's promtool ({parts.Describe()}) refuses {name}: {promtool.Output}");
        Assert.Contains("SUCCESS", promtool.Output, StringComparison.Ordinal);
        Assert.NotNull(loaded.Tls);
        check(loaded.Config);
    }

    [Theory]
    [MemberData(nameof(RefusedOnPurposeCases))]
    public async Task Settings_the_exporter_cannot_honour_pass_promtool_and_are_refused_by_the_exporter(string set, string name)
    {
        var parts = await PartsUnderTest.UseAsync(set);
        var (yaml, exporterSays) = RefusedOnPurpose[name];
        using var pki = await CertificatesAsync();
        var path = await WriteAsync(pki, yaml);

        var check = await PromtoolAsync(parts, path);
        var refusal = Assert.Throws<WebConfigException>(() => LoadedWebConfig.Load(path));

        Assert.True(check.ExitCode == 0, check.Output);
        Assert.Contains(exporterSays, refusal.Message, StringComparison.Ordinal);
    }

    private static async Task<TestCertificates> CertificatesAsync()
    {
        var pki = await TestCertificates.CreateAsync();
        try
        {
            await pki.CreateServerAsync("server");
        }
        catch
        {
            pki.Dispose();
            throw;
        }
        return pki;
    }

    /// <summary>Writes the configuration next to the certificates; {name} becomes that file's PEM, indented as a YAML block.</summary>
    private static async Task<string> WriteAsync(TestCertificates pki, string yaml)
    {
        foreach (var file in new[] { "server.crt", "server.key", "ca.crt" })
        {
            var pem = (await File.ReadAllTextAsync(pki.PathOf(file))).TrimEnd('\n');
            yaml = yaml.Replace("{" + file + "}", string.Join('\n', pem.Split('\n').Select(line => "    " + line)), StringComparison.Ordinal);
        }
        var path = pki.PathOf("web-config.yml");
        await File.WriteAllTextAsync(path, yaml + "\n");
        return path;
    }

    private static async Task<(int ExitCode, string Output)> PromtoolAsync(MonitoringParts parts, string path)
    {
        var result = await Promtool.RunAsync(parts, "check", "web-config", path);
        return (result.ExitCode, result.StandardOutput + result.StandardError);
    }

    [Fact]
    public async Task A_bad_hash_stops_the_exporter_with_exit_2_naming_file_line_and_user()
    {
        using var directory = new TemporaryDirectory("nfx-webconfig-");
        var config = Path.Combine(directory.Path, "web-config.yml");
        await File.WriteAllTextAsync(config, "basic_auth_users:\n  prometheus: $2y$10$tooshort\n", TestContext.Current.CancellationToken);

        var run = await TestCommand.RunAsync(ExporterProcess.BinaryPath, [$"--web.config.file={config}", "--web.listen-address=127.0.0.1:0"], timeout: TimeSpan.FromSeconds(60));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"--web.config.file: {config} line 2: basic_auth_users.prometheus is not a well-formed bcrypt hash", run.StandardError, StringComparison.Ordinal);
    }
}
