using System.Diagnostics;

namespace NetfilterExporter.TestSupport;

/// <summary>Runs a set-up command for a test (ip, iptables-restore, promtool) and captures its output.</summary>
public static class TestCommand
{
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
        var startInfo = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"could not start {file}");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout ?? TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(deadline.Token);
        var stderr = process.StandardError.ReadToEndAsync(deadline.Token);
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput);
        }
        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync(deadline.Token);
            return new CommandResult(process.ExitCode, await stdout, await stderr);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish in time");
        }
    }
}
