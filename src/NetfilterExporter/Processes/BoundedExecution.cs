using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using CliWrap;

namespace NetfilterExporter.Processes;

/// <summary>
/// Runs a CliWrap command with what a scrape needs on top of CliWrap: standard output streamed into a reader
/// under a byte cap, standard error kept bounded, one deadline enforced through CliWrap's forceful
/// cancellation, a non-zero exit turned into a failure that carries standard error, a retry while the binary is
/// briefly busy, and, when the command fails or times out, no process left holding its output.
/// </summary>
public static class BoundedExecution
{
    private const int NoSuchFile = 2;
    private const int TextFileBusy = 26;
    private const int TextFileBusyAttempts = 5;

    /// <summary>
    /// Streams standard output into <paramref name="readStandardOutput"/>; output it leaves unread is drained.
    /// Returns once the command has exited and both streams have ended: CliWrap waits for the pipes to close,
    /// which is when a dump is complete, and the deadline bounds that wait.
    /// </summary>
    /// <exception cref="CommandFailedException">The command could not start, failed, timed out or wrote too much.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the command was killed.</exception>
    /// <remarks>Any other exception is the reader's own, rethrown unchanged after the command was killed.</remarks>
    public static async Task<CommandRun> ExecuteBoundedAsync(
        this Command command,
        CommandLimits limits,
        Func<Stream, CancellationToken, Task> readStandardOutput,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(readStandardOutput);
        var path = command.TargetFilePath;
        if (!Path.IsPathFullyQualified(path))
        {
            throw new ArgumentException($"command path must be absolute, got '{path}'", nameof(command));
        }
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(limits.Timeout, TimeSpan.Zero, nameof(limits));
        cancellationToken.ThrowIfCancellationRequested();

        var standardError = new BoundedCapture(limits.ErrorLimitBytes);
        var bounded = command
            .WithStandardOutputPipe(PipeTarget.Create(async (origin, token) =>
            {
                PipeCapacity.TryGrow(origin);
                var output = new LimitedOutputStream(origin, path, limits.OutputLimitBytes);
                await readStandardOutput(output, token).ConfigureAwait(false);
                await output.DrainAsync(token).ConfigureAwait(false);
            }))
            .WithStandardErrorPipe(standardError)
            .WithValidation(CommandResultValidation.None);

        using var deadline = new CancellationTokenSource(limits.Timeout);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        OutputWriterKiller? killer = null;
        var childWasRunning = false;
        // Registered on the deadline itself after linking, so it runs before the linked token makes CliWrap kill the child.
        using var whenDeadline = deadline.Token.Register(() => childWasRunning = killer?.ChildIsRunning() ?? false);
        CommandResult result;
        try
        {
            result = await StartAsync(bounded, process => killer = new OutputWriterKiller(process), stop.Token).ConfigureAwait(false);
        }
        catch (Exception failure)
        {
            // Null when the command never started (a start failure, or the deadline during the busy-binary retry).
            var others = killer is null ? 0 : await killer.KillAllAsync().ConfigureAwait(false);
            if (failure is CommandFailedException)
            {
                throw;
            }
            cancellationToken.ThrowIfCancellationRequested();
            if (failure is OperationCanceledException && deadline.IsCancellationRequested)
            {
                throw new CommandFailedException(CommandFailureKind.TimedOut, path, string.Create(CultureInfo.InvariantCulture,
                    $"{path} did not finish within {limits.Timeout.TotalSeconds:0.###}s; {KillReport(childWasRunning, others)}"));
            }
            throw;
        }

        var error = standardError.Text.Trim();
        if (result.ExitCode != 0)
        {
            throw new CommandFailedException(
                CommandFailureKind.NonZeroExit,
                path,
                string.Create(CultureInfo.InvariantCulture, $"{path} exited with code {result.ExitCode}{(error.Length > 0 ? ": " + OneLine(error) : "")}"),
                result.ExitCode,
                error);
        }
        return new CommandRun(result.ExitCode, error);
    }

    private static async Task<CommandResult> StartAsync(Command command, Action<Process> started, CancellationToken forcefulCancellation)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await command.ExecuteAsync(null, started, forcefulCancellation).ConfigureAwait(false);
            }
            // CliWrap wraps the start failure in a Win32Exception of its own; the errno is the inner one's.
            catch (Win32Exception exception) when (exception.InnerException is Win32Exception { NativeErrorCode: TextFileBusy } && attempt < TextFileBusyAttempts)
            {
                // ETXTBSY: the binary is still open for writing somewhere (being replaced by a package upgrade, or a
                // file descriptor inherited by a sibling between its fork and exec). It clears within milliseconds.
                await Task.Delay(TimeSpan.FromMilliseconds(20 * attempt), forcefulCancellation).ConfigureAwait(false);
            }
            catch (Win32Exception exception)
            {
                var errno = (exception.InnerException as Win32Exception)?.NativeErrorCode ?? exception.NativeErrorCode;
                var reason = errno == NoSuchFile ? "not found" : "could not be started: " + (exception.InnerException ?? exception).Message;
                throw new CommandFailedException(
                    errno == NoSuchFile ? CommandFailureKind.NotFound : CommandFailureKind.StartFailed,
                    command.TargetFilePath,
                    $"{command.TargetFilePath} {reason}",
                    innerException: exception);
            }
        }
    }

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
