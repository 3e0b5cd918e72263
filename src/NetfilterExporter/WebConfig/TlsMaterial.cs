using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace NetfilterExporter.WebConfig;

/// <summary>
/// The TLS options one web configuration yields, together with the exact bytes they were built from, so that a
/// change to the configuration, certificate, key or CA file (including a rotation by symlink swap) is noticed.
/// </summary>
public sealed class TlsMaterial
{
    private readonly IReadOnlyDictionary<string, byte[]> sources;

    private TlsMaterial(IReadOnlyDictionary<string, byte[]> sources, SslServerAuthenticationOptions options)
    {
        this.sources = sources;
        Options = options;
    }

    public SslServerAuthenticationOptions Options { get; }

    /// <exception cref="WebConfigException">The configuration or a file it names is missing, unreadable or invalid.</exception>
    public static TlsMaterial Load(string webConfigPath)
    {
        var fullPath = Path.GetFullPath(webConfigPath);
        var configBytes = Read(fullPath, fullPath, "the web configuration");
        var config = WebConfigParser.Parse(Encoding.UTF8.GetString(configBytes), fullPath);
        var tls = config.Tls ?? throw WebConfigException.At(fullPath, null,
            "tls_server_config was removed; switching from HTTPS to plain HTTP needs a restart");
        var sources = new Dictionary<string, byte[]>(StringComparer.Ordinal) { [fullPath] = configBytes };
        foreach (var file in tls.Files)
        {
            sources[file] = Read(fullPath, file, file == tls.CertFile ? "cert_file" : file == tls.KeyFile ? "key_file" : "client_ca_file");
        }
        X509Certificate2 certificate;
        var chain = new X509Certificate2Collection();
        try
        {
            certificate = X509Certificate2.CreateFromPem(
                Encoding.ASCII.GetString(sources[tls.CertFile]), Encoding.ASCII.GetString(sources[tls.KeyFile]));
            chain.ImportFromPem(Encoding.ASCII.GetString(sources[tls.CertFile]));
        }
        catch (CryptographicException exception)
        {
            throw WebConfigException.At(fullPath, null, $"cert_file {tls.CertFile} and key_file {tls.KeyFile} are not a matching PEM certificate and key: {exception.Message}", exception);
        }
        var clientCas = new X509Certificate2Collection();
        if (tls.ClientCaFile is { } caFile)
        {
            try
            {
                clientCas.ImportFromPem(Encoding.ASCII.GetString(sources[caFile]));
            }
            catch (CryptographicException exception)
            {
                throw WebConfigException.At(fullPath, null, $"client_ca_file {caFile} is not PEM: {exception.Message}", exception);
            }
            if (clientCas.Count == 0)
            {
                throw WebConfigException.At(fullPath, null, $"client_ca_file {caFile} holds no certificate");
            }
        }
        var policy = new ClientCertificatePolicy(tls.ClientAuth, clientCas);
        var intermediates = new X509Certificate2Collection();
        intermediates.AddRange(chain.Skip(1).ToArray());
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = SslStreamCertificateContext.Create(certificate, intermediates, offline: true),
            EnabledSslProtocols = tls.Protocols,
            ClientCertificateRequired = policy.RequestsCertificate,
            RemoteCertificateValidationCallback = policy.Callback,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        };
        return new TlsMaterial(sources, options);
    }

    /// <summary>True when every file this was built from still has the same content.</summary>
    public bool IsCurrent()
    {
        foreach (var (path, bytes) in sources)
        {
            try
            {
                if (!File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes))
                {
                    return false;
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                return false;
            }
        }
        return true;
    }

    private static byte[] Read(string webConfigPath, string path, string what)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw WebConfigException.At(webConfigPath, null, $"cannot read {what} {path}: {exception.Message}", exception);
        }
    }
}
