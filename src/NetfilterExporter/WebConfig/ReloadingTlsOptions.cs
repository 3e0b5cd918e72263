using System.Net.Security;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;

namespace NetfilterExporter.WebConfig;

/// <summary>
/// Hands Kestrel the TLS options for each new connection, re-reading --web.config.file and the files it names
/// when any of them changed, as exporter-toolkit does: a rotated certificate or CA applies to the next
/// connection without a restart. A configuration that no longer loads refuses connections (it is never
/// replaced by something weaker) and is logged once per distinct problem.
/// </summary>
public sealed class ReloadingTlsOptions(string webConfigPath, TlsMaterial initial, ILogger<ReloadingTlsOptions> logger)
{
    private readonly Lock gate = new();
    private TlsMaterial current = initial;
    private string? lastProblem;

    public ValueTask<SslServerAuthenticationOptions> OnConnectionAsync(TlsHandshakeCallbackContext context) => new(Current());

    public SslServerAuthenticationOptions Current()
    {
        lock (gate)
        {
            if (current.IsCurrent())
            {
                return current.Options;
            }
            try
            {
                current = TlsMaterial.Load(webConfigPath);
                lastProblem = null;
                logger.LogInformation("reloaded TLS settings from {WebConfigFile}", webConfigPath);
                return current.Options;
            }
            catch (WebConfigException exception)
            {
                if (exception.Message != lastProblem)
                {
                    lastProblem = exception.Message;
                    logger.LogError("refusing TLS connections until the web configuration loads again: {Problem}", exception.Message);
                }
                throw;
            }
        }
    }
}
