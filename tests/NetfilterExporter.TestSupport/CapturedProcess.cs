using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace NetfilterExporter.TestSupport;

/// <summary>
/// A server a test starts (the exporter, Prometheus, Alertmanager): its output kept for failure messages, a wait
/// until it answers over HTTP, and a dispose that kills its whole process tree.
/// </summary>
public sealed class CapturedProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder log = new();

    private CapturedProcess(string name, Process process)
    {
        Name = name;
        this.process = process;
    }

    /// <summary>What the test calls the process in messages, e.g. "prometheus".</summary>
    public string Name { get; }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    /// <summary>Everything it wrote to stdout and stderr so far.</summary>
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

    /// <summary>Starts <paramref name="file"/> with stdin closed and both output streams captured.</summary>
    /// <param name="environment">Replaces the inherited environment entirely, as a container runtime or systemd does; null inherits it.</param>
    public static CapturedProcess Start(
        string name, string file, IEnumerable<string> arguments, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var startInfo = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        if (environment is not null)
        {
            startInfo.Environment.Clear();
            foreach (var (variable, value) in environment)
            {
                startInfo.Environment[variable] = value;
            }
        }
        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"could not start {name} ({file})");
        var captured = new CapturedProcess(name, process);
        process.StandardInput.Close();
        process.OutputDataReceived += (_, line) => captured.Append(line.Data);
        process.ErrorDataReceived += (_, line) => captured.Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return captured;
    }

    /// <summary>Polls <paramref name="readyUrl"/> until it answers 2xx; fails early if the process exits.</summary>
    public async Task WaitUntilReadyAsync(HttpClient client, Uri readyUrl, TimeSpan limit, CancellationToken cancellationToken = default)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < limit)
        {
            if (process.HasExited)
            {
                // Waiting again drains the redirected output, so the log holds the process's last words.
                await process.WaitForExitAsync(cancellationToken);
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
            await Task.Delay(100, cancellationToken);
        }
        throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"{Name} did not answer {readyUrl} within {limit.TotalSeconds}s:\n{Log}"));
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
