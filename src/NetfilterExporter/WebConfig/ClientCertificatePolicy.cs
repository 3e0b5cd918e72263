using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace NetfilterExporter.WebConfig;

/// <summary>
/// Decides whether a TLS client may connect, with the semantics of Go's tls.ClientAuthType that exporter-toolkit
/// exposes: verification is against client_ca_file only (never the system store) and requires the clientAuth
/// extended key usage when the certificate lists usages.
/// </summary>
public sealed class ClientCertificatePolicy(ClientAuthType mode, X509Certificate2Collection clientCas)
{
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    /// <summary>Whether the server asks the client for a certificate at all.</summary>
    public bool RequestsCertificate => mode != ClientAuthType.NoClientCert;

    public bool Accepts(X509Certificate? certificate) => mode switch
    {
        ClientAuthType.NoClientCert or ClientAuthType.RequestClientCert => true,
        ClientAuthType.RequireAnyClientCert => certificate is not null,
        ClientAuthType.VerifyClientCertIfGiven => certificate is null || Verifies(certificate),
        ClientAuthType.RequireAndVerifyClientCert => certificate is not null && Verifies(certificate),
        _ => false,
    };

    public RemoteCertificateValidationCallback Callback => (_, certificate, _, _) => Accepts(certificate);

    private bool Verifies(X509Certificate certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(clientCas);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(ClientAuthentication);
        using var presented = new X509Certificate2(certificate);
        return chain.Build(presented);
    }
}
