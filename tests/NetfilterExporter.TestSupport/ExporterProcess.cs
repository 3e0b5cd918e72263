using System.Net;

namespace NetfilterExporter.TestSupport;

/// <summary>
/// The real exporter binary, the Native AOT build that ships (<see cref="BinaryPath"/>), running as its own
/// process, in a network namespace or on the host's loopback, and reached over real HTTP.
/// </summary>
public sealed class ExporterProcess : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private readonly CapturedProcess process;

    private ExporterProcess(CapturedProcess process, HttpClient client, Uri baseAddress)
    {
        this.process = process;
        Client = client;
        BaseAddress = baseAddress;
    }

    public HttpClient Client { get; }

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
        var command = new List<string>();
        if (inside is not null)
        {
            command.AddRange(["ip", "netns", "exec", inside.Name]);
        }
        command.AddRange(wrapper ?? []);
        command.Add(BinaryPath);
        command.AddRange(arguments);
        command.Add($"--web.listen-address=127.0.0.1:{port}");
        var process = CapturedProcess.Start("the exporter", command[0], command.Skip(1), workingDirectory);
        var client = inside?.CreateHttpClient() ?? new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var exporter = new ExporterProcess(process, client, new Uri($"http://127.0.0.1:{port}/"));
        try
        {
            await process.WaitUntilReadyAsync(client, new Uri(exporter.BaseAddress, "healthz"), ReadyTimeout);
        }
        catch
        {
            await exporter.DisposeAsync();
            throw;
        }
        return exporter;
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

    public async ValueTask DisposeAsync()
    {
        await process.DisposeAsync();
        Client.Dispose();
    }
}
