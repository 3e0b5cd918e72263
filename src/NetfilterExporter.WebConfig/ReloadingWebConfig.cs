using System.Net.Security;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;

namespace NetfilterExporter.WebConfig;

/// <summary>
/// The web configuration in effect, re-read when it changes, as exporter-toolkit re-reads it: the file on every
/// request (users, headers), the file and the certificates it names on every new TLS connection. A version that
/// does not load keeps the last good one serving, never something weaker, and its error is logged once.
/// What the listeners fixed at start (TLS on or off, http2, rate_limit) waits for a restart, which each reload
/// that changes it says in the log.
/// </summary>
/// <param name="clock">Times the pause between retries of a version that does not load; tests pass a fake one.</param>
/// <param name="loaded">Runs after each successful reload, before the new version serves (the bcrypt dummy hash).</param>
internal sealed class ReloadingWebConfig(LoadedWebConfig initial, ILogger<ReloadingWebConfig> logger, TimeProvider clock, Action<WebConfigFile>? loaded = null)
{
    // While a changed version does not load, it is tried again at most this often rather than on every request.
    private static readonly TimeSpan RetryPause = TimeSpan.FromSeconds(1);

    private readonly Lock gate = new();
    private LoadedWebConfig current = initial;
    private string? lastProblem;
    private long lastFailureTimestamp;

    /// <summary>Settings of the start-up version: the listeners and the rate limiter were built from them.</summary>
    public WebConfigFile AtStart { get; } = initial.Config;

    public WebConfigFile ForRequest() => Refreshed(tlsConnection: false).Config;

    public ValueTask<SslServerAuthenticationOptions> OnConnectionAsync(TlsHandshakeCallbackContext context) =>
        new(Refreshed(tlsConnection: true).Tls!);

    private LoadedWebConfig Refreshed(bool tlsConnection)
    {
        var seen = Volatile.Read(ref current);
        if (tlsConnection ? seen.AllFilesAreCurrent() : seen.ConfigFileIsCurrent())
        {
            return seen;
        }
        lock (gate)
        {
            if (!ReferenceEquals(seen, current) || (lastProblem is not null && clock.GetElapsedTime(lastFailureTimestamp) < RetryPause))
            {
                return current;
            }
            try
            {
                var next = LoadedWebConfig.Load(AtStart.Path, AtStart.Http.Http2);
                if ((next.Tls is null) != (AtStart.Tls is null))
                {
                    throw WebConfigException.At(AtStart.Path, null,
                        AtStart.Tls is null ? "tls_server_config was added; switching from HTTP to HTTPS needs a restart"
                            : "tls_server_config was removed; switching from HTTPS to HTTP needs a restart");
                }
                loaded?.Invoke(next.Config);
                Volatile.Write(ref current, next);
                lastProblem = null;
                logger.LogInformation("reloaded the web configuration from {WebConfigFile}", AtStart.Path);
                if (next.Config.Http.Http2 != AtStart.Http.Http2 || next.Config.RateLimit != AtStart.RateLimit)
                {
                    logger.LogWarning("{WebConfigFile}: http_server_config.http2 and rate_limit take effect after a restart; the values from start-up stay in force", AtStart.Path);
                }
            }
            catch (WebConfigException exception)
            {
                lastFailureTimestamp = clock.GetTimestamp();
                if (exception.Message != lastProblem)
                {
                    lastProblem = exception.Message;
                    logger.LogError("the changed web configuration does not load; the last good one keeps serving: {Error}", exception.Message);
                }
            }
            return current;
        }
    }
}
