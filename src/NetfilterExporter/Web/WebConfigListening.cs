using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NetfilterExporter.Configuration;
using NetfilterExporter.WebConfig;

namespace NetfilterExporter.Web;

/// <summary>
/// Applies --web.config.file to the server. Kept apart from <see cref="ExporterWebApp"/> so that an exporter
/// serving plain HTTP without a web configuration never loads the TLS, bcrypt and YAML code (resident memory
/// measured in docs/performance.md).
/// </summary>
internal static class WebConfigListening
{
    /// <summary>
    /// Reads the web configuration once before serving, so a bad file stops the exporter (exit 2) with the file,
    /// line and key instead of failing every request. Returns how to set up a listen socket.
    /// </summary>
    public static Action<ListenOptions> Configure(WebApplicationBuilder builder, string webConfigFile)
    {
        LoadedWebConfig initial;
        try
        {
            initial = LoadedWebConfig.Load(webConfigFile);
        }
        catch (WebConfigException exception)
        {
            throw new UsageException($"--{Flags.WebConfigFile}: {exception.Message}");
        }
        var authenticator = new BasicAuthenticator();
        // The dummy hash is made before a version serves, so the first unknown user does not pay for it and stand out by timing.
        void PrepareDummyHash(WebConfigFile config)
        {
            if (config.BasicAuthUsers.Count > 0)
            {
                authenticator.DummyHashFor(config.BasicAuthUsers);
            }
        }
        PrepareDummyHash(initial.Config);
        builder.Services.AddSingleton(services => new ReloadingWebConfig(initial, services.GetRequiredService<ILogger<ReloadingWebConfig>>(), PrepareDummyHash));
        builder.Services.AddSingleton(authenticator);
        builder.Services.AddSingleton(services => new WebConfigMiddleware(
            services.GetRequiredService<ReloadingWebConfig>(), services.GetRequiredService<BasicAuthenticator>(),
            initial.Config.RateLimit is { } limit ? new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                // Go's rate.NewLimiter(rate.Every(interval), burst): a full bucket of burst tokens, one more per interval.
                TokenLimit = limit.Burst,
                TokensPerPeriod = 1,
                ReplenishmentPeriod = limit.Interval,
                QueueLimit = 0,
                AutoReplenishment = true,
            }) : null));
        var http2 = initial.Config.Http.Http2;
        var tls = initial.Tls is not null;
        return listen =>
        {
            listen.Protocols = http2 ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1;
            if (tls)
            {
                listen.UseHttps(new TlsHandshakeCallbackOptions
                {
                    OnConnection = listen.ApplicationServices.GetRequiredService<ReloadingWebConfig>().OnConnectionAsync,
                });
            }
        };
    }

    /// <summary>The configured headers, before anything can answer the request.</summary>
    public static void UseHeaders(WebApplication app) => app.Use(app.Services.GetRequiredService<WebConfigMiddleware>().SetHeadersAsync);

    /// <summary>rate_limit and basic_auth_users, after --web.max-requests so at most that many wait for bcrypt.</summary>
    public static void UseAccessControl(WebApplication app) => app.Use(app.Services.GetRequiredService<WebConfigMiddleware>().ControlAccessAsync);
}
