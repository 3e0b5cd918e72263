using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NetfilterExporter.Collection;
using NetfilterExporter.Configuration;
using NetfilterExporter.Exposition;
using NetfilterExporter.Findings;
using NetfilterExporter.Logging;
using NetfilterExporter.Processes;

namespace NetfilterExporter.Web;

/// <summary>Builds the HTTP server: /metrics (or --web.telemetry-path), / and /healthz.</summary>
public static class ExporterWebApp
{
    /// <param name="configureWebHost">Lets tests swap Kestrel for a TestServer.</param>
    public static WebApplication Build(ExporterOptions options, Action<IWebHostBuilder>? configureWebHost = null)
    {
        if (options.WebConfigFile is { Length: > 0 } webConfig)
        {
            throw new UsageException($"--{Flags.WebConfigFile}={webConfig}: TLS and authentication are not supported by this build yet; serve behind kube-rbac-proxy or bind to the node IP");
        }
        var builder = WebApplication.CreateSlimBuilder();
        LoggingSetup.Apply(builder.Logging, options);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            foreach (var address in options.ListenAddresses.Select(ListenAddress.Parse))
            {
                if (address.Localhost)
                {
                    kestrel.ListenLocalhost(address.Port);
                }
                else if (address.Address is null)
                {
                    kestrel.ListenAnyIP(address.Port);
                }
                else
                {
                    kestrel.Listen(address.Address, address.Port);
                }
            }
            kestrel.AddServerHeader = false;
        });
        configureWebHost?.Invoke(builder.WebHost);

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(BuildInfo.FromAssembly());
        builder.Services.AddSingleton<IProcessRunner, ProcessRunner>();
        builder.Services.AddSingleton(services => NodeCollectorFactory.Create(
            options, services.GetRequiredService<IProcessRunner>(), services.GetRequiredService<ILoggerFactory>(), services.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton(services => new SnapshotCache(
            services.GetRequiredService<NodeCollector>(), options.MinInterval, services.GetRequiredService<TimeProvider>()));
        if (options.MaxRequests > 0)
        {
            builder.Services.AddRateLimiter(limiter =>
            {
                limiter.RejectionStatusCode = StatusCodes.Status503ServiceUnavailable;
                limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(_ => RateLimitPartition.GetConcurrencyLimiter(
                    "all", _ => new ConcurrencyLimiterOptions { PermitLimit = options.MaxRequests, QueueLimit = 0 }));
            });
        }

        var app = builder.Build();
        if (options.MaxRequests > 0)
        {
            app.UseRateLimiter();
        }
        app.MapMethods(options.TelemetryPath, [HttpMethods.Get, HttpMethods.Head], async (SnapshotCache cache, BuildInfo build, HttpContext context) =>
        {
            var snapshot = await cache.GetAsync(context.RequestAborted);
            var body = TextFormat.Serialize(SnapshotMetrics.Build(snapshot, build, cache.MinInterval).Concat(ProcessMetrics.Collect()));
            return Results.Bytes(body, TextFormat.ContentType);
        });
        app.MapGet("/", async (SnapshotCache cache, BuildInfo build, HttpContext context) =>
        {
            var snapshot = await cache.GetAsync(context.RequestAborted);
            return Results.Content(LandingPage.Render(snapshot, FindingDetector.Detect(snapshot), build, options.TelemetryPath), "text/html; charset=utf-8");
        });
        app.MapGet("/healthz", () => Results.Text("ok\n", "text/plain; charset=utf-8"));
        return app;
    }
}
