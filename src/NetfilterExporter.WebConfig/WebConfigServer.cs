using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace NetfilterExporter.WebConfig;

/// <summary>
/// exporter-toolkit's web configuration (--web.config.file) applied to an ASP.NET Core server: TLS and HTTP/2 on
/// the listen sockets, then the configured headers, rate_limit and basic_auth_users on every request. All of it
/// starts from <see cref="Configure"/>, so a server without a web configuration, which never calls it, never loads
/// the TLS, bcrypt and YAML code (resident memory measured in docs/performance.md).
/// </summary>
public sealed class WebConfigServer
{
    private WebConfigServer(Action<ListenOptions> listen) => Listen = listen;

    /// <summary>Sets up one listen socket: HTTP/2 as configured, and TLS whose options are re-read for every connection.</summary>
    public Action<ListenOptions> Listen { get; }

    /// <summary>
    /// Reads the web configuration once before serving, so a bad file stops the start with the file, line and key
    /// instead of failing every request, and registers what the requests need.
    /// </summary>
    /// <param name="exemptPath">
    /// A path rate_limit and basic_auth_users never turn away (compared as ASP.NET compares paths, ignoring case):
    /// a liveness probe needs no credentials and must not be refused because scrapers used up the limit.
    /// </param>
    /// <param name="clock">The server's clock (<see cref="TimeProvider.System"/> in production): paces the retries of a changed file that does not load.</param>
    /// <exception cref="WebConfigException">The file, or a file it names, is missing, unreadable or invalid.</exception>
    public static WebConfigServer Configure(WebApplicationBuilder builder, string webConfigFile, PathString exemptPath, TimeProvider clock)
    {
        var initial = LoadedWebConfig.Load(webConfigFile);
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
        builder.Services.AddSingleton(services => new ReloadingWebConfig(initial, services.GetRequiredService<ILogger<ReloadingWebConfig>>(), clock, PrepareDummyHash));
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
            }) : null,
            exemptPath));
        var http2 = initial.Config.Http.Http2;
        var tls = initial.Tls is not null;
        return new WebConfigServer(listen =>
        {
            listen.Protocols = http2 ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1;
            if (tls)
            {
                listen.UseHttps(new TlsHandshakeCallbackOptions
                {
                    OnConnection = listen.ApplicationServices.GetRequiredService<ReloadingWebConfig>().OnConnectionAsync,
                });
            }
        });
    }

    /// <summary>The configured headers. First, before anything can answer, so every response carries them (a server-wide limit's 503 too).</summary>
    public void UseHeaders(WebApplication app) => app.Use(Middleware(app).SetHeadersAsync);

    /// <summary>
    /// rate_limit (429), then basic_auth_users (401). After a server-wide request limit, if there is one, so that at
    /// most that many requests wait for bcrypt.
    /// </summary>
    public void UseAccessControl(WebApplication app) => app.Use(Middleware(app).ControlAccessAsync);

    private static WebConfigMiddleware Middleware(WebApplication app) => app.Services.GetRequiredService<WebConfigMiddleware>();
}
