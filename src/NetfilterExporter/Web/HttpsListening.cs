using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NetfilterExporter.Configuration;
using NetfilterExporter.WebConfig;

namespace NetfilterExporter.Web;

/// <summary>
/// TLS for the listen sockets from --web.config.file. Kept apart from <see cref="ExporterWebApp"/> so that an
/// exporter serving plain HTTP never loads the TLS and certificate code (resident memory measured in docs/performance.md).
/// </summary>
internal static class HttpsListening
{
    /// <summary>
    /// Reads the web config file once before serving, so a bad file stops the exporter with a clear message
    /// instead of failing every connection. Returns how to secure a listen socket, or null when the file asks
    /// for no TLS.
    /// </summary>
    public static Action<ListenOptions>? Configure(WebApplicationBuilder builder, string webConfigFile)
    {
        TlsMaterial initialTls;
        try
        {
            if (WebConfigParser.Load(webConfigFile).Tls is null)
            {
                return null;
            }
            initialTls = TlsMaterial.Load(webConfigFile);
        }
        catch (WebConfigException exception)
        {
            throw new UsageException($"--{Flags.WebConfigFile}: {exception.Message}");
        }
        builder.Services.AddSingleton(services => new ReloadingTlsOptions(
            webConfigFile, initialTls, services.GetRequiredService<ILogger<ReloadingTlsOptions>>()));
        return listen => listen.UseHttps(new TlsHandshakeCallbackOptions
        {
            OnConnection = listen.ApplicationServices.GetRequiredService<ReloadingTlsOptions>().OnConnectionAsync,
        });
    }
}
