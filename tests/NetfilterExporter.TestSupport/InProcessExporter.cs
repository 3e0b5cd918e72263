using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using NetfilterExporter.Configuration;
using NetfilterExporter.Web;

namespace NetfilterExporter.TestSupport;

/// <summary>The exporter's web app in this process on a TestServer: real routing and middleware, no socket, no child.</summary>
public static class InProcessExporter
{
    public static async Task<WebApplication> StartAsync(ExporterOptions options, TimeProvider? clock = null)
    {
        var app = ExporterWebApp.Build(options, web => web.UseTestServer(), clock);
        await app.StartAsync();
        return app;
    }
}
