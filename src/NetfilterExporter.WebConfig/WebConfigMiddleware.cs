using System.Net.Http.Headers;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;

namespace NetfilterExporter.WebConfig;

/// <summary>
/// What --web.config.file asks of every request: the configured headers (first, so that every answer carries
/// them, 503 of --web.max-requests and 429 included; exporter-toolkit leaves them off its 429), then rate_limit
/// (429), then basic_auth_users (401 with WWW-Authenticate: Basic), in exporter-toolkit's order. Unlike the
/// toolkit, the exempt path (the exporter's /healthz) is spared the last two, so a kubelet liveness probe needs no
/// credentials and is never turned away by the scrapers' limit; it reveals nothing but "ok" (docs/security.md).
/// </summary>
internal sealed class WebConfigMiddleware(ReloadingWebConfig webConfig, BasicAuthenticator authenticator, RateLimiter? rateLimiter, PathString exemptPath)
{
    private static readonly object ConfigKey = new();
    private static readonly byte[] TooManyRequests = "Too Many Requests\n"u8.ToArray();
    private static readonly byte[] Unauthorized = "Unauthorized\n"u8.ToArray();

    // Go compares the password's bytes; a value that is not UTF-8 cannot match a password typed into a YAML file.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public Task SetHeadersAsync(HttpContext context, RequestDelegate next)
    {
        var config = webConfig.ForRequest();
        context.Items[ConfigKey] = config;
        foreach (var (name, value) in config.Http.Headers)
        {
            context.Response.Headers[name] = value;
        }
        return next(context);
    }

    public async Task ControlAccessAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Request.Path == exemptPath)
        {
            await next(context);
            return;
        }
        if (rateLimiter is not null)
        {
            using var lease = rateLimiter.AttemptAcquire();
            if (!lease.IsAcquired)
            {
                await RefuseAsync(context, StatusCodes.Status429TooManyRequests, TooManyRequests);
                return;
            }
        }
        var config = (WebConfigFile)context.Items[ConfigKey]!;
        if (config.BasicAuthUsers.Count > 0)
        {
            var verdict = Credentials(context.Request.Headers.Authorization) is var (user, password)
                ? await authenticator.CheckAsync(config.BasicAuthUsers, user, password, context.RequestAborted)
                : BasicAuthVerdict.Refused;
            if (verdict == BasicAuthVerdict.Busy)
            {
                await RefuseAsync(context, StatusCodes.Status429TooManyRequests, TooManyRequests);
                return;
            }
            if (verdict == BasicAuthVerdict.Refused)
            {
                context.Response.Headers.WWWAuthenticate = "Basic";
                await RefuseAsync(context, StatusCodes.Status401Unauthorized, Unauthorized);
                return;
            }
        }
        await next(context);
    }

    /// <summary>The user and password of an Authorization: Basic header, as Go's Request.BasicAuth reads them.</summary>
    private static (string User, string Password)? Credentials(string? header)
    {
        if (!AuthenticationHeaderValue.TryParse(header, out var value)
            || !value.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) || value.Parameter is null)
        {
            return null;
        }
        // Kestrel caps request headers at 32 KB; only short values go on the stack.
        Span<byte> decoded = value.Parameter.Length <= 512 ? stackalloc byte[value.Parameter.Length] : new byte[value.Parameter.Length];
        if (!Convert.TryFromBase64String(value.Parameter, decoded, out var length))
        {
            return null;
        }
        string text;
        try
        {
            text = StrictUtf8.GetString(decoded[..length]);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
        var colon = text.IndexOf(':');
        return colon < 0 ? null : (text[..colon], text[(colon + 1)..]);
    }

    private static Task RefuseAsync(HttpContext context, int status, byte[] body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }
}
