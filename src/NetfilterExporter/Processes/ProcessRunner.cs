using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace NetfilterExporter.Processes;

/// <summary>
/// Runs a command with the safeguards a scrape needs: argument list without a shell, explicit environment,
/// both streams drained at once, bounded output, one deadline, and nothing left running when it fails.
/// </summary>
public sealed class ProcessRunner : IProcessRunner
{
    private const int NoSuchFile = 2;
    private const int TextFileBusy = 26;
    private const int TextFileBusyAttempts = 5;

    // After SIGKILL, how long to wait for the pipes to close and the child to be reaped. Only a process
    // stuck in the kernel takes longer; then the runner reports the failure rather than hang the scrape.
    private static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(5);

    public async Task<ProcessResult> RunAsync(ProcessCommand command, Func<Stream, CancellationToken, Task> readStandardOutput, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(readStandardOutput);
        Validate(command);
        cancellationToken.ThrowIfCancellationRequested();

        var stopwatch = Stopwatch.StartNew();
        using var deadline = new CancellationTokenSource(command.Timeout);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        using var process = Start(command);
        process.StandardInput.Close();
        var killer = new OutputWriterKiller(process);
        var output = new LimitedOutputStream(process.StandardOutput.BaseStream, command.Path, command.OutputLimitBytes, stop.Token);
        var standardError = ReadErrorAsync(process.StandardError.BaseStream, command.ErrorLimitBytes);

        // On its own thread pool task, so that a reader that blocks instead of awaiting cannot stall the deadline.
        var exchange = Task.Run(async () =>
        {
            await readStandardOutput(output, stop.Token).ConfigureAwait(false);
            await output.DrainAsync().ConfigureAwait(false);
            await standardError.ConfigureAwait(false);
            await process.WaitForExitAsync(stop.Token).ConfigureAwait(false);
        });
        try
        {
            // Pipe reads ignore cancellation; only killing the writers ends them. ForceYielding keeps that
            // killing off the thread of whoever cancelled the caller's token.
            await exchange.WaitAsync(stop.Token).ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        }
        catch (OperationCanceledException) when (exchange.IsCompletedSuccessfully)
        {
            // Finished just as the run was stopped: the output is complete and the process has exited.
        }
        catch (Exception)
        {
            var timedOut = deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested;
            var childWasRunning = !process.HasExited;
            var otherWriters = await killer.KillAllAsync().ConfigureAwait(false);
            await WaitQuietlyAsync(Task.WhenAll(exchange, standardError, process.WaitForExitAsync(CancellationToken.None))).ConfigureAwait(false);
            if (output.LimitExceeded)
            {
                throw Failure(command, CommandFailureKind.OutputLimitExceeded, string.Create(CultureInfo.InvariantCulture,
                    $"{command.Path} wrote more than {command.OutputLimitBytes} bytes to standard output; {KillReport(childWasRunning, otherWriters)}"));
            }
            cancellationToken.ThrowIfCancellationRequested();
            if (timedOut)
            {
                throw Failure(command, CommandFailureKind.TimedOut, string.Create(CultureInfo.InvariantCulture,
                    $"{command.Path} did not finish within {command.Timeout.TotalSeconds:0.###}s; {KillReport(childWasRunning, otherWriters)}"));
            }
            throw;
        }

        var error = (await standardError.ConfigureAwait(false)).Trim();
        if (process.ExitCode != 0)
        {
            throw new CommandFailedException(
                CommandFailureKind.NonZeroExit,
                command.Path,
                string.Create(CultureInfo.InvariantCulture, $"{command.Path} exited with code {process.ExitCode}{(error.Length > 0 ? ": " + OneLine(error) : "")}"),
                process.ExitCode,
                error);
        }
        return new ProcessResult(process.ExitCode, error, stopwatch.Elapsed);
    }

    private static void Validate(ProcessCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (!Path.IsPathFullyQualified(command.Path))
        {
            throw new ArgumentException($"command path must be absolute, got '{command.Path}'", nameof(command));
        }
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(command.Timeout, TimeSpan.Zero, nameof(command));
        ArgumentOutOfRangeException.ThrowIfNegative(command.OutputLimitBytes, nameof(command));
        ArgumentOutOfRangeException.ThrowIfNegative(command.ErrorLimitBytes, nameof(command));
    }

    private static Process Start(ProcessCommand command)
    {
        var startInfo = new ProcessStartInfo(command.Path)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in command.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        startInfo.Environment.Clear();
        foreach (var (name, value) in command.Environment)
        {
            startInfo.Environment[name] = value;
        }
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return Process.Start(startInfo) ?? throw new CommandFailedException(CommandFailureKind.StartFailed, command.Path, $"{command.Path} could not be started");
            }
            catch (Win32Exception exception) when (exception.NativeErrorCode == TextFileBusy && attempt < TextFileBusyAttempts)
            {
                // ETXTBSY: the binary is still open for writing somewhere (being replaced by a package upgrade, or a
                // file descriptor inherited by a sibling between its fork and exec). It clears within milliseconds.
                Thread.Sleep(TimeSpan.FromMilliseconds(20 * attempt));
            }
            catch (Win32Exception exception)
            {
                throw Failure(command, exception);
            }
        }
    }

    private static CommandFailedException Failure(ProcessCommand command, Win32Exception exception)
    {
        var kind = exception.NativeErrorCode == NoSuchFile ? CommandFailureKind.NotFound : CommandFailureKind.StartFailed;
        var reason = kind == CommandFailureKind.NotFound ? "not found" : "could not be started: " + exception.Message;
        return new CommandFailedException(kind, command.Path, $"{command.Path} {reason}", innerException: exception);
    }

    /// <summary>Keeps the first <paramref name="limitBytes"/> bytes and reads the rest only so the child never blocks on a full pipe.</summary>
    private static async Task<string> ReadErrorAsync(Stream pipe, int limitBytes)
    {
        using var kept = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await pipe.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            kept.Write(buffer, 0, (int)Math.Min(read, limitBytes - kept.Length));
        }
        return Encoding.UTF8.GetString(kept.GetBuffer(), 0, (int)kept.Length);
    }

    private static async Task WaitQuietlyAsync(Task task)
    {
        try
        {
            await task.WaitAsync(KillGrace).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The original failure is what gets reported; these tasks failed only because of it.
        }
    }

    private static CommandFailedException Failure(ProcessCommand command, CommandFailureKind kind, string message) =>
        new(kind, command.Path, message);

    private static string KillReport(bool childWasRunning, int otherWriters)
    {
        var others = otherWriters == 1 ? "1 other process" : otherWriters.ToString(CultureInfo.InvariantCulture) + " other processes";
        return (childWasRunning, otherWriters) switch
        {
            (true, 0) => "killed it",
            (true, _) => $"killed it and {others} holding its output",
            (false, 0) => "it had exited, but its output was not read in time",
            (false, 1) => "it had exited, but 1 other process still held its output; killed it",
            (false, _) => $"it had exited, but {others} still held its output; killed them",
        };
    }

    private static string OneLine(string text) =>
        string.Join(" | ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
