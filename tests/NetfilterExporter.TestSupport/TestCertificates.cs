using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace NetfilterExporter.TestSupport;

/// <summary>
/// A throw-away PKI made with the openssl command line: a CA, a server certificate for 127.0.0.1 and client
/// certificates, all as PEM files in a temporary directory that disposing removes.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private readonly TemporaryDirectory directory;

    private TestCertificates(TemporaryDirectory directory) => this.directory = directory;

    public string Directory => directory.Path;

    public string PathOf(string name) => Path.Combine(Directory, name);

    public static async Task<TestCertificates> CreateAsync()
    {
        Prerequisites.RequireCommand("openssl", "openssl");
        var certificates = new TestCertificates(new TemporaryDirectory("nfx-pki-"));
        try
        {
            await certificates.CreateAuthorityAsync("ca");
        }
        catch
        {
            certificates.Dispose();
            throw;
        }
        return certificates;
    }

    /// <summary>Creates NAME.crt and NAME.key, a self-signed CA.</summary>
    public async Task CreateAuthorityAsync(string name) =>
        await OpenSslAsync(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
            "-subj", $"/CN=nfx-test-{name}", "-keyout", PathOf(name + ".key"), "-out", PathOf(name + ".crt")]);

    /// <summary>Creates NAME.crt and NAME.key: a server certificate for 127.0.0.1 signed by <paramref name="authority"/>.</summary>
    public Task CreateServerAsync(string name, string authority = "ca") =>
        CreateSignedAsync(name, authority, "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");

    /// <summary>Creates NAME.crt and NAME.key: a client certificate signed by <paramref name="authority"/>.</summary>
    /// <param name="subjectAltName">openssl's form, e.g. "DNS:scraper.example,email:ops@example.com,IP:10.0.0.7,URI:spiffe://x".</param>
    /// <param name="issuerUrl">Where the certificate says its issuer can be downloaded (authorityInfoAccess caIssuers).</param>
    public Task CreateClientAsync(string name, string authority = "ca", string? subjectAltName = null, string? issuerUrl = null) =>
        CreateSignedAsync(name, authority, (subjectAltName is null ? "" : $"subjectAltName={subjectAltName}\n")
            + (issuerUrl is null ? "" : $"authorityInfoAccess=caIssuers;URI:{issuerUrl}\n") + "extendedKeyUsage=clientAuth\n");

    /// <summary>Creates NAME.crt and NAME.key: an intermediate CA signed by <paramref name="authority"/>.</summary>
    public Task CreateIntermediateAsync(string name, string authority = "ca") =>
        CreateSignedAsync(name, authority, "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n");

    /// <summary>
    /// An HTTP client that trusts only this PKI's ca.crt, opens a new connection for every request (so each one
    /// shakes hands again), and presents NAME.crt when <paramref name="clientCertificate"/> is given.
    /// </summary>
    /// <param name="configure">Further TLS client settings (versions, cipher suites, a certificate context).</param>
    /// <param name="seeServer">Called with the certificate the server presented.</param>
    public HttpClient CreateClient(string? clientCertificate = null, Action<SslClientAuthenticationOptions>? configure = null, Action<X509Certificate2>? seeServer = null)
    {
        var authority = X509CertificateLoader.LoadCertificateFromFile(PathOf("ca.crt"));
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            if (certificate is null)
            {
                return false;
            }
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(authority);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            var server = new X509Certificate2(certificate);
            seeServer?.Invoke(server);
            return chain.Build(server);
        };
        if (clientCertificate is not null)
        {
            handler.SslOptions.ClientCertificates = [X509Certificate2.CreateFromPemFile(PathOf(clientCertificate + ".crt"), PathOf(clientCertificate + ".key"))];
        }
        configure?.Invoke(handler.SslOptions);
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    public void Dispose() => directory.Dispose();

    private async Task CreateSignedAsync(string name, string authority, string extensions)
    {
        var extensionFile = PathOf(name + ".ext");
        await File.WriteAllTextAsync(extensionFile, extensions);
        await OpenSslAsync(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-subj", $"/CN=nfx-test-{name}", "-keyout", PathOf(name + ".key"), "-out", PathOf(name + ".csr")]);
        await OpenSslAsync(["x509", "-req", "-in", PathOf(name + ".csr"), "-CA", PathOf(authority + ".crt"), "-CAkey", PathOf(authority + ".key"),
            "-set_serial", Random.Shared.NextInt64(1, long.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-days", "2", "-extfile", extensionFile, "-out", PathOf(name + ".crt")]);
    }

    private static async Task OpenSslAsync(IReadOnlyList<string> arguments) =>
        (await TestCommand.RunAsync("openssl", arguments)).EnsureSuccess("openssl " + arguments[0]);
}
