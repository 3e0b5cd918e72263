using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NetfilterExporter.Assessment;
using NetfilterExporter.Configuration;
using NetfilterExporter.Exposition;
using NetfilterExporter.Instrumentation;
using NetfilterExporter.Logging;
using NetfilterExporter.Sources;
using NetfilterExporter.WebConfig;
using Prometheus;

namespace NetfilterExporter.Web;

/// <summary>Builds the HTTP server: /metrics (or --web.telemetry-path), / and /healthz.</summary>
public static class ExporterWebApp
{
    /// <summary>The liveness endpoint: no limit, no credentials.</summary>
    public const string HealthPath = "/healthz";

    private static readonly byte[] HealthyBody = "ok\n"u8.ToArray();

    /// <param name="configureWebHost">Lets tests swap Kestrel for a TestServer.</param>
    /// <param name="clock">The clock of collections, the snapshot cache, the response cache and the web configuration's retry pause; tests pass a fake one.</param>
    public static WebApplication Build(ExporterOptions options, Action<IWebHostBuilder>? configureWebHost = null, TimeProvider? clock = null)
    {
        // Empty, not slim: the slim builder reads appsettings.json with reload on change, which puts a recursive
        // inotify watch on the working directory. Started from / (systemd, containers) that walks the whole
        // file system (and /host) before serving. The exporter takes its settings from flags only.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.Services.AddRoutingCore();
        LoggingSetup.Apply(builder.Logging, options);
        var time = clock ?? TimeProvider.System;
        var webConfig = options.WebConfigFile is { Length: > 0 } webConfigFile ? ConfigureWebConfig(builder, webConfigFile, time) : null;
        var listen = webConfig?.Listen ?? (_ => { });
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            if (options.SystemdSocket)
            {
                SystemdIntegration.ListenOnPassedSockets(kestrel, listen);
                return;
            }
            foreach (var address in options.ListenAddresses.Select(ListenAddress.Parse))
            {
                if (address.Localhost)
                {
                    kestrel.ListenLocalhost(address.Port, listen);
                }
                else if (address.Address is null)
                {
                    kestrel.ListenAnyIP(address.Port, listen);
                }
                else
                {
                    kestrel.Listen(address.Address, address.Port, listen);
                }
            }
        });
        configureWebHost?.Invoke(builder.WebHost);

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton(BuildInfo.FromAssembly());
        builder.Services.AddSingleton(services => SourceTable.Assessor(
            options, services.GetRequiredService<ILoggerFactory>(), services.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton(services => new SnapshotCache(
            services.GetRequiredService<NodeAssessor>(), options.MinInterval, services.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<SelfMetrics>();
        builder.Services.AddSingleton(services => new MetricsRenderer(
            services.GetRequiredService<BuildInfo>(), services.GetRequiredService<SelfMetrics>(), services.GetRequiredService<TimeProvider>()));
        if (options.MaxRequests > 0)
        {
            builder.Services.AddRateLimiter(limiter =>
            {
                limiter.RejectionStatusCode = StatusCodes.Status503ServiceUnavailable;
                // /healthz costs nothing and a liveness probe turned away gets the pod restarted: it is never limited.
                limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => context.Request.Path == HealthPath
                    ? RateLimitPartition.GetNoLimiter("health")
                    : RateLimitPartition.GetConcurrencyLimiter("all", _ => new ConcurrencyLimiterOptions { PermitLimit = options.MaxRequests, QueueLimit = 0 }));
            });
        }

        var app = builder.Build();
        StartupLog.Write(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("NetfilterExporter"),
            app.Services.GetRequiredService<BuildInfo>(), app.Services.GetRequiredService<NodeAssessor>().Collector);
        var self = app.Services.GetRequiredService<SelfMetrics>();
        // Before the request limit, so that scrapes turned away with 503 are counted, as promhttp counts them.
        app.UseWhen(context => context.Request.Path == options.TelemetryPath, telemetry => telemetry.UseHttpMetrics(metrics =>
        {
            metrics.CaptureMetricsUrl = true;
            metrics.RequestCount.Counter = self.Requests;
            metrics.InProgress.Gauge = self.InFlight;
            metrics.RequestDuration.Enabled = false;
        }));
        webConfig?.UseHeaders(app);
        if (options.MaxRequests > 0)
        {
            app.UseRateLimiter();
        }
        // After the request limit, so that at most --web.max-requests requests wait for bcrypt.
        webConfig?.UseAccessControl(app);
        SystemdIntegration.NotifyReadiness(app.Lifetime);
        // Plain request delegates rather than handlers with bound parameters: those pull in the request delegate
        // factory and System.Text.Json, resident memory a scrape never uses (measured in docs/performance.md).
        var cache = app.Services.GetRequiredService<SnapshotCache>();
        var renderer = app.Services.GetRequiredService<MetricsRenderer>();
        var build = app.Services.GetRequiredService<BuildInfo>();
        var accept = new LastAccept();
        app.MapMethods(options.TelemetryPath, [HttpMethods.Get, HttpMethods.Head], async context =>
        {
            var assessment = await cache.GetAsync(context.RequestAborted);
            var format = accept.FormatFor(context.Request.Headers.Accept);
            // The body depends on Accept: a cache in between must not hand one format to a scraper that asked for the other.
            context.Response.Headers.Vary = "Accept";
            await RespondAsync(context, await renderer.RenderAsync(assessment, format, context.RequestAborted), ScrapeFormat.ContentType(format));
        });
        app.MapGet("/", async context =>
        {
            var page = LandingPage.Render(await cache.GetAsync(context.RequestAborted), build, options.TelemetryPath);
            await RespondAsync(context, Encoding.UTF8.GetBytes(page), "text/html; charset=utf-8");
        });
        app.MapGet(HealthPath, context => RespondAsync(context, HealthyBody, "text/plain; charset=utf-8"));
        return app;
    }

    /// <summary>
    /// Reads --web.config.file once before serving: a file that cannot be used stops the exporter (exit 2) naming
    /// the file, line and key. A method of its own, so a start without the flag never reaches the web configuration's code.
    /// </summary>
    private static WebConfigServer ConfigureWebConfig(WebApplicationBuilder builder, string webConfigFile, TimeProvider clock)
    {
        try
        {
            return WebConfigServer.Configure(builder, webConfigFile, HealthPath, clock);
        }
        catch (WebConfigException exception)
        {
            throw new UsageException($"--{Flags.WebConfigFile}: {exception.Message}");
        }
    }

    private static Task RespondAsync(HttpContext context, byte[] body, string contentType)
    {
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }
}
