using CliWrap;
using CliWrap.Buffered;

namespace NetfilterExporter.TestSupport;

/// <summary>
/// Runs a command to completion for a test (ip, iptables-restore, promtool) through CliWrap, as production runs its
/// save commands, and captures its output. A command that outlives its time is killed with its process tree.
/// </summary>
public static class TestCommand
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    public static Task<CommandResult> RunAsync(string file, IEnumerable<string> arguments, string? standardInput = null, TimeSpan? timeout = null) =>
        RunCancellableAsync(file, arguments, CancellationToken.None, standardInput, timeout);

    /// <summary>
    /// <see cref="RunAsync"/> that also ends (killing the command) when the test is cancelled. A name of its own
    /// rather than an overload: an overload taking a token would make xunit's analyzer (xUnit1051) demand one at
    /// every existing call.
    /// </summary>
    public static async Task<CommandResult> RunCancellableAsync(
        string file, IEnumerable<string> arguments, CancellationToken cancellationToken, string? standardInput = null, TimeSpan? timeout = null)
    {
        var argumentList = arguments.ToList();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout ?? DefaultTimeout);
        try
        {
            var result = await Cli.Wrap(file)
                .WithArguments(argumentList)
                .WithStandardInputPipe(standardInput is null ? PipeSource.Null : PipeSource.FromString(standardInput))
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(deadline.Token);
            return new CommandResult(result.ExitCode, result.StandardOutput, result.StandardError);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{file} {string.Join(' ', argumentList)} did not finish in time");
        }
    }
}
