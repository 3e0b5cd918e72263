using System.Text;
using CliWrap;
using NetfilterExporter.Processes;

namespace NetfilterExporter.TestSupport;

/// <summary>
/// A long-running process a test starts (the exporter, Prometheus, Alertmanager, containerd), run through CliWrap
/// as production runs its children: its output kept for failure messages, waits for it to answer or to log a line,
/// and a dispose that cancels it forcefully, which kills its whole process tree. Every owner disposes it with
/// <c>await using</c> or in a catch, so the process is stopped also when the test fails.
/// </summary>
public sealed class CapturedProcess : IAsyncDisposable
{
    private readonly StringBuilder log = new();
    private readonly CancellationTokenSource killing = new();
    private readonly CommandTask<CliWrap.CommandResult> execution;

    private CapturedProcess(string name, Command command)
    {
        Name = name;
        execution = command
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(PipeTarget.ToDelegate(Append))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(Append))
            .ExecuteAsync(killing.Token);
    }

    /// <summary>What the test calls the process in messages, e.g. "prometheus".</summary>
    public string Name { get; }

    public int Id => execution.ProcessId;

    /// <summary>Whether it exited and everything it wrote has been read into <see cref="Log"/>.</summary>
    public bool HasExited => execution.Task.IsCompleted;

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
        var command = Cli.Wrap(file).WithArguments(arguments);
        if (workingDirectory is not null)
        {
            command = command.WithWorkingDirectory(workingDirectory);
        }
        if (environment is not null)
        {
            command = command.WithEnvironmentVariables(ExplicitEnvironment.Exactly(environment));
        }
        return new CapturedProcess(name, command);
    }

    /// <summary>Polls <paramref name="readyUrl"/> until it answers 2xx; fails early if the process exits.</summary>
    public Task WaitUntilReadyAsync(HttpClient client, Uri readyUrl, TimeSpan limit, CancellationToken cancellationToken = default) =>
        Poll.UntilAsync(
            $"{Name} to answer {readyUrl}",
            limit,
            async token =>
            {
                if (HasExited)
                {
                    throw new InvalidOperationException($"{Name} exited with code {(await execution).ExitCode} before it was ready:\n{Log}");
                }
                try
                {
                    using var response = await client.GetAsync(readyUrl, token);
                    return response.IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                    return false;
                }
                catch (TaskCanceledException) when (!token.IsCancellationRequested)
                {
                    // The client's own timeout: still starting up.
                    return false;
                }
            },
            () => Log,
            cancellationToken: cancellationToken);

    /// <summary>
    /// Whether <paramref name="text"/> shows up in the log within <paramref name="limit"/>; stops waiting early
    /// when the process exits. The log travels through a pipe behind the process's other answers (a line logged
    /// while serving a request can arrive after the response), so a test waits for it rather than reading once.
    /// </summary>
    public async Task<bool> WaitForLogAsync(string text, TimeSpan limit, CancellationToken cancellationToken = default)
    {
        await Poll.WhetherAsync(limit, () => Logged(text) || HasExited, cancellationToken: cancellationToken);
        return Logged(text);
    }

    public async ValueTask DisposeAsync()
    {
        await killing.CancelAsync();
        try
        {
            await execution;
        }
        catch (OperationCanceledException)
        {
            // Killed, as asked.
        }
        killing.Dispose();
        execution.Dispose();
    }

    private bool Logged(string text) => Log.Contains(text, StringComparison.Ordinal);

    private void Append(string line)
    {
        lock (log)
        {
            log.AppendLine(line);
        }
    }
}
