using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NetfilterExporter.TestSupport;

/// <summary>
/// The real exporter binary (netfilter-exporter from the build output) running as its own process, in a
/// network namespace or on the host's loopback, and reached over real HTTP.
/// </summary>
public sealed class ExporterProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder log = new();

    private ExporterProcess(Process process, HttpClient client, Uri baseAddress)
    {
        this.process = process;
        Client = client;
        BaseAddress = baseAddress;
    }

    public HttpClient Client { get; }

    public Uri BaseAddress { get; }

    public int ProcessId => process.Id;

    /// <summary>What the exporter logged so far (stdout and stderr), for assertion messages.</summary>
    public string Log
    {
        get
        {
            lock (log)
            {
                return log.ToString();
            }
        }
    }

    public static string BinaryPath => Path.Combine(AppContext.BaseDirectory, "netfilter-exporter");

    /// <param name="arguments">Flags; --web.listen-address is added.</param>
    /// <param name="wrapper">Runs the binary through another command, e.g. setpriv with capability flags.</param>
    public static async Task<ExporterProcess> StartAsync(IEnumerable<string> arguments, NetworkNamespace? inside = null, IReadOnlyList<string>? wrapper = null)
    {
        var port = inside is null ? FreeLoopbackPort() : 10066;
        var startInfo = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        var command = new List<string>();
        if (inside is not null)
        {
            command.AddRange(["ip", "netns", "exec", inside.Name]);
        }
        command.AddRange(wrapper ?? []);
        command.Add(BinaryPath);
        command.AddRange(arguments);
        command.Add($"--web.listen-address=127.0.0.1:{port}");
        startInfo.FileName = command[0];
        foreach (var argument in command.Skip(1))
        {
            startInfo.ArgumentList.Add(argument);
        }
        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("could not start the exporter");
        process.StandardInput.Close();
        var client = inside?.CreateHttpClient() ?? new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var exporter = new ExporterProcess(process, client, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, line) => exporter.Append(line.Data);
        process.ErrorDataReceived += (_, line) => exporter.Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await exporter.WaitUntilReadyAsync();
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
        try
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
        process.Dispose();
        Client.Dispose();
    }

    private async Task WaitUntilReadyAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the exporter exited with code {process.ExitCode}:\n{Log}");
            }
            try
            {
                using var response = await Client.GetAsync(new Uri(BaseAddress, "healthz"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"the exporter did not answer /healthz within 60s:\n{Log}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (log)
        {
            log.AppendLine(line);
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
