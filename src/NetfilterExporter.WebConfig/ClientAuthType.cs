namespace NetfilterExporter.WebConfig;

/// <summary>exporter-toolkit's client_auth_type values, which are Go's tls.ClientAuthType names.</summary>
internal enum ClientAuthType
{
    NoClientCert,
    RequestClientCert,
    RequireAnyClientCert,
    VerifyClientCertIfGiven,
    RequireAndVerifyClientCert,
}
