using System.Net;

namespace NetfilterExporter.TestSupport;

/// <summary>
/// The exporter started inside a network namespace by a command line taken verbatim from a deployment
/// artefact (the DaemonSet's entrypoint and args, a systemd ExecStart), with nothing appended: unlike
/// <see cref="ExporterProcess"/>, the listen address is whatever the command line says, so the caller names
/// the address it expects the exporter to answer on.
/// </summary>
public sealed class ExactCommandExporter : IAsyncDisposable
{
    private readonly ServerProcess process;

    private ExactCommandExporter(ServerProcess process, Uri baseAddress)
    {
        this.process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>What the exporter logged so far (stdout and stderr).</summary>
    public string Log => process.Log;

    /// <param name="inside">The namespace the command runs in (ip netns exec) and HTTP requests are made from.</param>
    /// <param name="command">The whole command line, e.g. a setpriv wrapper, dotnet, the assembly and its flags.</param>
    /// <param name="baseAddress">Where the command line makes the exporter listen, e.g. http://127.0.0.1:10066/.</param>
    /// <param name="environment">Replaces the inherited environment entirely, as a container runtime or systemd does; null inherits it.</param>
    public static async Task<ExactCommandExporter> StartAsync(
        NetworkNamespace inside,
        IReadOnlyList<string> command,
        Uri baseAddress,
        IReadOnlyDictionary<string, string>? environment = null,
        CancellationToken cancellationToken = default)
    {
        var process = await ServerProcess.StartAsync(
            string.Join(' ', command), command[0], command.Skip(1), new Uri(baseAddress, "healthz"), inside, environment: environment, cancellationToken: cancellationToken);
        return new ExactCommandExporter(process, baseAddress);
    }

    /// <summary>GET relative to <see cref="BaseAddress"/>; the status is returned, not thrown, so tests assert it.</summary>
    public async Task<(HttpStatusCode Status, string Body)> GetAsync(string path, CancellationToken cancellationToken = default)
    {
        using var response = await process.Client.GetAsync(new Uri(BaseAddress, path), cancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <inheritdoc cref="CapturedProcess.WaitForLogAsync"/>
    public Task<bool> WaitForLogAsync(string text, TimeSpan limit, CancellationToken cancellationToken = default) =>
        process.WaitForLogAsync(text, limit, cancellationToken);

    public ValueTask DisposeAsync() => process.DisposeAsync();
}
