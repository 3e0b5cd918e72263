using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace NetfilterExporter.WebConfig;

/// <summary>Turns a tls_server_config into the options of a TLS server connection, from PEM bytes already read.</summary>
internal static class TlsServerOptions
{
    /// <param name="read">The bytes of a file the configuration names.</param>
    /// <param name="http2">Offer h2 by ALPN; fixed when the listener starts.</param>
    /// <exception cref="WebConfigException">A certificate, key or CA is not usable PEM.</exception>
    public static SslServerAuthenticationOptions Build(string webConfigPath, TlsServerConfig tls, Func<string, byte[]> read, bool http2)
    {
        string Pem(PemSource source) => source.File is { } file ? Encoding.ASCII.GetString(read(file)) : source.Inline!;
        X509Certificate2 certificate;
        var chain = new X509Certificate2Collection();
        try
        {
            var certificatePem = Pem(tls.Certificate);
            certificate = X509Certificate2.CreateFromPem(certificatePem, Pem(tls.Key));
            chain.ImportFromPem(certificatePem);
        }
        // A key of another certificate is an ArgumentException, not a CryptographicException.
        catch (Exception exception) when (exception is CryptographicException or ArgumentException)
        {
            throw WebConfigException.At(webConfigPath, null,
                $"{tls.Certificate.Describe()} and {tls.Key.Describe()} are not a matching PEM certificate and key: {exception.Message}", exception);
        }
        X509Certificate2Collection? clientCas = null;
        if (tls.ClientCa is { } caSource)
        {
            clientCas = [];
            try
            {
                clientCas.ImportFromPem(Pem(caSource));
            }
            catch (CryptographicException exception)
            {
                throw WebConfigException.At(webConfigPath, null, $"{caSource.Describe()} is not PEM: {exception.Message}", exception);
            }
            if (clientCas.Count == 0)
            {
                throw WebConfigException.At(webConfigPath, null, $"{caSource.Describe()} holds no certificate");
            }
        }
        var policy = new ClientCertificatePolicy(tls.ClientAuth, clientCas, tls.ClientAllowedSans);
        var intermediates = new X509Certificate2Collection();
        intermediates.AddRange(chain.Skip(1).ToArray());
        return new SslServerAuthenticationOptions
        {
            ServerCertificateContext = SslStreamCertificateContext.Create(certificate, intermediates, offline: true),
            EnabledSslProtocols = tls.Protocols,
            // Go restricts only the TLS 1.2 suites; TLS 1.3's always stay on.
            // The guard is for the analyzer: Windows has no cipher-suite policy, and the exporter runs on Linux only.
            CipherSuitesPolicy = tls.CipherSuites.Count == 0 || OperatingSystem.IsWindows() ? null
                : new CipherSuitesPolicy(tls.CipherSuites.Concat(GoCipherSuites.Tls13).Distinct()),
            ClientCertificateRequired = policy.RequestsCertificate,
            RemoteCertificateValidationCallback = policy.Callback,
            CertificateChainPolicy = policy.ChainPolicy,
            ApplicationProtocols = http2 ? [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11] : [SslApplicationProtocol.Http11],
        };
    }
}
