using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace NetfilterExporter.WebConfig;

/// <summary>
/// Decides whether a TLS client may connect, with the semantics of Go's tls.ClientAuthType that exporter-toolkit
/// exposes: verification is against the client CA when one is configured, else the system's trust store (Go's
/// nil ClientCAs), and requires the clientAuth extended key usage when the certificate lists usages. With
/// client_allowed_sans, a certificate must be presented and carry one of those names.
/// </summary>
public sealed class ClientCertificatePolicy(ClientAuthType mode, X509Certificate2Collection? clientCas, IReadOnlyList<string>? allowedSans)
{
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    /// <summary>Whether the server asks the client for a certificate at all.</summary>
    public bool RequestsCertificate => mode != ClientAuthType.NoClientCert;

    public RemoteCertificateValidationCallback Callback => (_, certificate, _, _) => Accepts(certificate);

    public bool Accepts(X509Certificate? certificate)
    {
        var modeAllows = mode switch
        {
            ClientAuthType.NoClientCert or ClientAuthType.RequestClientCert => true,
            ClientAuthType.RequireAnyClientCert => certificate is not null,
            ClientAuthType.VerifyClientCertIfGiven => certificate is null || Verifies(certificate),
            ClientAuthType.RequireAndVerifyClientCert => certificate is not null && Verifies(certificate),
            _ => false,
        };
        return modeAllows && (allowedSans is null || (certificate is not null && CarriesAllowedName(certificate)));
    }

    private bool CarriesAllowedName(X509Certificate certificate)
    {
        using var presented = new X509Certificate2(certificate);
        return SubjectAlternativeNames.Of(presented).Any(name => allowedSans!.Contains(name, StringComparer.Ordinal));
    }

    private bool Verifies(X509Certificate certificate)
    {
        using var chain = new X509Chain();
        if (clientCas is not null)
        {
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(clientCas);
        }
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(ClientAuthentication);
        using var presented = new X509Certificate2(certificate);
        return chain.Build(presented);
    }
}
