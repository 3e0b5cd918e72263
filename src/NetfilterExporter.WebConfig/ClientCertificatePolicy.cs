using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace NetfilterExporter.WebConfig;

/// <summary>
/// Decides whether a TLS client may connect, with the semantics of Go's tls.ClientAuthType that exporter-toolkit
/// exposes. The chain is the one TLS built from what the client sent (its intermediates included) under
/// <see cref="ChainPolicy"/>: against the client CA when one is configured, else the system's trust store (Go's
/// nil ClientCAs), requiring the clientAuth extended key usage, and never downloading a missing issuer named in
/// the certificate (.NET would by default; Go never does, and a client must not make the exporter fetch URLs).
/// With client_allowed_sans, a certificate must be presented and carry one of those names.
/// </summary>
internal sealed class ClientCertificatePolicy(ClientAuthType mode, X509Certificate2Collection? clientCas, IReadOnlyList<string>? allowedSans)
{
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    /// <summary>Whether the server asks the client for a certificate at all.</summary>
    public bool RequestsCertificate => mode != ClientAuthType.NoClientCert;

    public X509ChainPolicy ChainPolicy
    {
        get
        {
            var policy = new X509ChainPolicy
            {
                RevocationMode = X509RevocationMode.NoCheck,
                DisableCertificateDownloads = true,
            };
            policy.ApplicationPolicy.Add(ClientAuthentication);
            if (clientCas is not null)
            {
                policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                policy.CustomTrustStore.AddRange(clientCas);
            }
            return policy;
        }
    }

    public RemoteCertificateValidationCallback Callback => (_, certificate, _, errors) => Accepts(certificate, errors);

    /// <param name="errors">What TLS found building the chain under <see cref="ChainPolicy"/>.</param>
    public bool Accepts(X509Certificate? certificate, SslPolicyErrors errors)
    {
        // A server does not check a client's name; only whether the chain verifies matters.
        var verifies = certificate is not null && (errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) == SslPolicyErrors.None;
        var modeAllows = mode switch
        {
            ClientAuthType.NoClientCert or ClientAuthType.RequestClientCert => true,
            ClientAuthType.RequireAnyClientCert => certificate is not null,
            ClientAuthType.VerifyClientCertIfGiven => certificate is null || verifies,
            ClientAuthType.RequireAndVerifyClientCert => verifies,
            _ => false,
        };
        return modeAllows && (allowedSans is null || (certificate is not null && CarriesAllowedName(certificate)));
    }

    private bool CarriesAllowedName(X509Certificate certificate)
    {
        using var presented = new X509Certificate2(certificate);
        return SubjectAlternativeNames.Of(presented).Any(name => allowedSans!.Contains(name, StringComparer.Ordinal));
    }
}
