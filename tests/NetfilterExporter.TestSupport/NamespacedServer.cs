using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace NetfilterExporter.TestSupport;

/// <summary>
/// A long-running server (an exporter on any port, Prometheus, Alertmanager) started inside a network namespace
/// with ip netns exec, which execs the program, so killing the process tree on dispose leaves nothing behind.
/// Its output is kept for failure messages.
/// </summary>
public sealed class NamespacedServer : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private readonly Process process;
    private readonly StringBuilder log = new();

    private NamespacedServer(string name, Process process)
    {
        Name = name;
        this.process = process;
    }

    /// <summary>What the test calls the server in messages, e.g. "prometheus".</summary>
    public string Name { get; }

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

    /// <summary>Starts <paramref name="file"/> in <paramref name="inside"/> and returns once <paramref name="readyUrl"/> answers 2xx.</summary>
    public static async Task<NamespacedServer> StartAsync(
        string name, NetworkNamespace inside, string file, IEnumerable<string> arguments, Uri readyUrl, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo("ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["netns", "exec", inside.Name, file, .. arguments])
        {
            startInfo.ArgumentList.Add(argument);
        }
        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"could not start {name} ({file})");
        var server = new NamespacedServer(name, process);
        process.StandardInput.Close();
        process.OutputDataReceived += (_, line) => server.Append(line.Data);
        process.ErrorDataReceived += (_, line) => server.Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilReadyAsync(inside, readyUrl, cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
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
    }

    private async Task WaitUntilReadyAsync(NetworkNamespace inside, Uri readyUrl, CancellationToken cancellationToken)
    {
        using var client = inside.CreateHttpClient(TimeSpan.FromSeconds(5));
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < ReadyTimeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {process.ExitCode} before it was ready:\n{Log}");
            }
            try
            {
                using var response = await client.GetAsync(readyUrl, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The client's own timeout: still starting up.
            }
            await Task.Delay(200, cancellationToken);
        }
        throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"{Name} did not answer {readyUrl} within {ReadyTimeout.TotalSeconds}s:\n{Log}"));
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
}
