using System.Net;

namespace NetfilterExporter.TestSupport;

/// <summary>
/// The real exporter binary, the Native AOT build that ships (<see cref="BinaryPath"/>), running as its own
/// process, in a network namespace or on the host's loopback, and reached over real HTTP.
/// </summary>
public sealed class ExporterProcess : IAsyncDisposable
{
    private readonly ServerProcess process;

    private ExporterProcess(ServerProcess process, Uri baseAddress)
    {
        this.process = process;
        BaseAddress = baseAddress;
    }

    public HttpClient Client => process.Client;

    public Uri BaseAddress { get; }

    public int ProcessId => process.Id;

    /// <summary>What the exporter logged so far (stdout and stderr), for assertion messages.</summary>
    public string Log => process.Log;

    /// <summary>The directory the test build publishes the shipped binary into (NetfilterExporter.TestSupport.csproj).</summary>
    public static string PublishedDirectory => RepositoryPaths.Combine("artifacts", "aot");

    public static string BinaryPath => Path.Combine(PublishedDirectory, "netfilter-exporter");

    /// <param name="arguments">Flags; --web.listen-address is added.</param>
    /// <param name="wrapper">Runs the binary through another command, e.g. setpriv with capability flags.</param>
    /// <param name="workingDirectory">The exporter's working directory; the test's when null.</param>
    public static async Task<ExporterProcess> StartAsync(
        IEnumerable<string> arguments, NetworkNamespace? inside = null, IReadOnlyList<string>? wrapper = null, string? workingDirectory = null)
    {
        var port = inside is null ? LoopbackPort.Free() : 10066;
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        string[] command = [.. wrapper ?? Array.Empty<string>(), BinaryPath, .. arguments, $"--web.listen-address=127.0.0.1:{port}"];
        var process = await ServerProcess.StartAsync(
            "the exporter", command[0], command[1..], new Uri(baseAddress, "healthz"), inside, workingDirectory);
        return new ExporterProcess(process, baseAddress);
    }

    public async Task<string> GetStringAsync(string path)
    {
        using var response = await Client.GetAsync(new Uri(BaseAddress, path));
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}: {body}\nexporter log:\n{Log}");
        }
        return body;
    }

    /// <inheritdoc cref="CapturedProcess.WaitForLogAsync"/>
    public Task<bool> WaitForLogAsync(string text, TimeSpan limit, CancellationToken cancellationToken = default) =>
        process.WaitForLogAsync(text, limit, cancellationToken);

    public ValueTask DisposeAsync() => process.DisposeAsync();
}
