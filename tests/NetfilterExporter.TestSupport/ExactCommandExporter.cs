using System.Diagnostics;
using System.Net;
using System.Text;

namespace NetfilterExporter.TestSupport;

/// <summary>
/// The exporter started inside a network namespace by a command line taken verbatim from a deployment
/// artefact (the DaemonSet's entrypoint and args, a systemd ExecStart), with nothing appended: unlike
/// <see cref="ExporterProcess"/>, the listen address is whatever the command line says, so the caller names
/// the address it expects the exporter to answer on.
/// </summary>
public sealed class ExactCommandExporter : IAsyncDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private readonly Process _process;
    private readonly HttpClient _client;
    private readonly StringBuilder _log = new();

    private ExactCommandExporter(Process process, HttpClient client, Uri baseAddress)
    {
        _process = process;
        _client = client;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>What the exporter logged so far (stdout and stderr).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

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
        var startInfo = new ProcessStartInfo("ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["netns", "exec", inside.Name, .. command])
        {
            startInfo.ArgumentList.Add(argument);
        }
        if (environment is not null)
        {
            startInfo.Environment.Clear();
            foreach (var (name, value) in environment)
            {
                startInfo.Environment[name] = value;
            }
        }
        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"could not start {string.Join(' ', command)}");
        process.StandardInput.Close();
        var exporter = new ExactCommandExporter(process, inside.CreateHttpClient(), baseAddress);
        process.OutputDataReceived += (_, line) => exporter.Append(line.Data);
        process.ErrorDataReceived += (_, line) => exporter.Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await exporter.WaitUntilHealthyAsync(string.Join(' ', command), cancellationToken);
        }
        catch
        {
            await exporter.DisposeAsync();
            throw;
        }
        return exporter;
    }

    /// <summary>GET relative to <see cref="BaseAddress"/>; the status is returned, not thrown, so tests assert it.</summary>
    public async Task<(HttpStatusCode Status, string Body)> GetAsync(string path, CancellationToken cancellationToken = default)
    {
        using var response = await _client.GetAsync(new Uri(BaseAddress, path), cancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <summary>
    /// Whether <paramref name="text"/> shows up in the log within <paramref name="limit"/>. The console logger and
    /// the pipe reader run behind the HTTP response, so a line logged while serving a request can arrive after it.
    /// </summary>
    public async Task<bool> WaitForLogAsync(string text, TimeSpan limit, CancellationToken cancellationToken = default)
    {
        var waited = Stopwatch.StartNew();
        while (!Log.Contains(text, StringComparison.Ordinal))
        {
            if (waited.Elapsed > limit || _process.HasExited)
            {
                return Log.Contains(text, StringComparison.Ordinal);
            }
            await Task.Delay(PollInterval, cancellationToken);
        }
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
        _process.Dispose();
        _client.Dispose();
    }

    private async Task WaitUntilHealthyAsync(string commandLine, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < StartLimit)
        {
            if (_process.HasExited)
            {
                // Waiting again drains the redirected output, so the log holds the exporter's last words.
                await _process.WaitForExitAsync(cancellationToken);
                throw new InvalidOperationException($"{commandLine} exited with code {_process.ExitCode}:\n{Log}");
            }
            try
            {
                using var response = await _client.GetAsync(new Uri(BaseAddress, "healthz"), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(PollInterval, cancellationToken);
        }
        throw new TimeoutException($"{commandLine} did not answer {BaseAddress}healthz within {StartLimit.TotalSeconds}s:\n{Log}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_log)
        {
            _log.AppendLine(line);
        }
    }
}
