using System.Runtime.Versioning;
using System.Text;
using CliWrap;
using NetfilterExporter.Processes;
using NetfilterExporter.TestSupport;
using Xunit;

namespace NetfilterExporter.Tests.Processes;

[SupportedOSPlatform("linux")]
public sealed class BoundedExecutionTests : IDisposable
{
    private const string PermissionDenied = "iptables-legacy-save v1.8.9 (legacy): Cannot initialize: Permission denied (you must be root)";

    // Generous for commands that should finish: the machine may be busy, and hitting it would be a failure.
    private static readonly TimeSpan Ample = TimeSpan.FromSeconds(60);

    private readonly FakeScripts scripts = new();

    public void Dispose() => scripts.Dispose();

    [Fact]
    public async Task Streams_standard_output_to_the_reader_and_keeps_standard_error()
    {
        var path = scripts.Write("save", "printf 'line one\\nline two\\n'; echo 'a warning' >&2");
        string? output = null;

        var result = await Command(path).ExecuteBoundedAsync(Limits, async (stream, token) =>
        {
            using var reader = new StreamReader(stream, Encoding.UTF8);
            output = await reader.ReadToEndAsync(token);
        }, CancellationToken.None);

        Assert.Equal("line one\nline two\n", output);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("a warning", result.StandardError);
    }

    [Fact]
    public async Task A_binary_briefly_open_for_writing_is_started_once_it_is_released()
    {
        var path = scripts.Write("busy", "echo started");
        var writer = new FileStream(path, FileMode.Open, FileAccess.Write);
        // While the writer is open, exec fails with ETXTBSY; the runner retries and succeeds after the release.
        var release = new Thread(() =>
        {
            Thread.Sleep(30);
            writer.Dispose();
        });
        release.Start();
        string? output = null;

        var result = await Command(path).ExecuteBoundedAsync(Limits, async (stream, token) =>
        {
            using var reader = new StreamReader(stream, Encoding.UTF8);
            output = await reader.ReadToEndAsync(token);
        }, CancellationToken.None);
        release.Join();

        Assert.Equal("started\n", output);
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task Passes_arguments_verbatim_without_a_shell()
    {
        var path = scripts.Write("args", "printf '%s\\n' \"$@\"");
        string[] arguments = ["-c", "a b", "$HOME", "*", "; echo injected", "'quoted'"];
        string? output = null;

        await Command(path, arguments).ExecuteBoundedAsync(Limits, async (stream, token) => output = await new StreamReader(stream).ReadToEndAsync(token), CancellationToken.None);

        Assert.Equal(arguments, output!.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Closes_standard_input_so_a_command_reading_it_does_not_wait()
    {
        var path = scripts.Write("reads-stdin", "cat; echo done");
        string? output = null;

        await Command(path).ExecuteBoundedAsync(Limits, async (stream, token) => output = await new StreamReader(stream).ReadToEndAsync(token), CancellationToken.None);

        Assert.Equal("done\n", output);
    }

    [Fact]
    public async Task Drains_large_output_on_both_streams_at_once()
    {
        // Standard error is written first and last: a runner reading the streams one after the other
        // would wait forever on a full pipe.
        const int size = 5_000_000;
        var path = scripts.Write("flood-both",
            $"head -c {size} /dev/zero | tr '\\0' e >&2; head -c {size} /dev/zero | tr '\\0' o; head -c {size} /dev/zero | tr '\\0' e >&2");
        var command = Command(path);
        long outputBytes = 0;
        var onlyLetterO = true;

        var result = await command.ExecuteBoundedAsync(Limits, async (stream, token) =>
        {
            var buffer = new byte[8192];
            int read;
            while ((read = await stream.ReadAsync(buffer, token)) > 0)
            {
                outputBytes += read;
                onlyLetterO &= buffer.AsSpan(0, read).IndexOfAnyExcept((byte)'o') < 0;
            }
        }, CancellationToken.None);

        Assert.Equal(size, outputBytes);
        Assert.True(onlyLetterO);
        Assert.Equal(new string('e', Limits.ErrorLimitBytes), result.StandardError);
    }

    [Fact]
    public async Task Drains_what_the_reader_left_unread()
    {
        var path = scripts.Write("long", "echo first; head -c 5000000 /dev/zero");
        string? firstLine = null;

        var result = await Command(path).ExecuteBoundedAsync(Limits, async (stream, token) => firstLine = await new StreamReader(stream).ReadLineAsync(token), CancellationToken.None);

        Assert.Equal("first", firstLine);
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task Hanging_command_times_out_and_is_killed()
    {
        var path = scripts.Write("hang", $"echo $$ > '{scripts.PathOf("pid")}'; sleep 600");

        var failure = await Assert.ThrowsAsync<CommandFailedException>(() =>
            Command(path).ExecuteBoundedAsync(Limits with { Timeout = TimeSpan.FromSeconds(1) }, ReadToEnd, CancellationToken.None));

        Assert.Equal(CommandFailureKind.TimedOut, failure.Kind);
        Assert.Equal(path, failure.CommandPath);
        Assert.StartsWith(path + " did not finish within 1s; killed it", failure.Message);
        Assert.False(HostScan.IsAlive(scripts.ReadProcessId("pid")));
    }

    [Fact]
    public async Task Orphaned_grandchild_holding_the_output_is_killed_on_timeout()
    {
        // The script exits at once, but the background sleep keeps standard output open, so the end of
        // stream never comes and a parent-id based tree kill no longer finds the sleep.
        var path = scripts.Write("fork", $"sleep 600 & echo $! > '{scripts.PathOf("grandchild")}'; echo started; exit 0");
        string? firstLine = null;

        var failure = await Assert.ThrowsAsync<CommandFailedException>(() =>
            Command(path).ExecuteBoundedAsync(Limits with { Timeout = TimeSpan.FromSeconds(2) }, async (stream, token) =>
            {
                var reader = new StreamReader(stream);
                firstLine = await reader.ReadLineAsync(token);
                await reader.ReadToEndAsync(token);
            }, CancellationToken.None));

        Assert.Equal("started", firstLine);
        Assert.Equal(CommandFailureKind.TimedOut, failure.Kind);
        Assert.Contains("1 other process", failure.Message);
        Assert.False(HostScan.IsAlive(scripts.ReadProcessId("grandchild")));
    }

    [Fact]
    public async Task Output_beyond_the_limit_fails_and_kills_the_command()
    {
        var path = scripts.Write("flood", $"echo $$ > '{scripts.PathOf("pid")}'; exec yes");

        var failure = await Assert.ThrowsAsync<CommandFailedException>(() =>
            Command(path).ExecuteBoundedAsync(Limits with { OutputLimitBytes = 1024 * 1024 }, ReadToEnd, CancellationToken.None));

        Assert.Equal(CommandFailureKind.OutputLimitExceeded, failure.Kind);
        Assert.Contains("wrote more than 1048576 bytes", failure.Message);
        Assert.False(HostScan.IsAlive(scripts.ReadProcessId("pid")));
    }

    [Fact]
    public async Task Output_beyond_the_limit_fails_while_draining_after_the_reader_returned()
    {
        var path = scripts.Write("flood", $"echo $$ > '{scripts.PathOf("pid")}'; exec yes");

        var failure = await Assert.ThrowsAsync<CommandFailedException>(() =>
            Command(path).ExecuteBoundedAsync(Limits with { OutputLimitBytes = 1024 * 1024 }, (_, _) => Task.CompletedTask, CancellationToken.None));

        Assert.Equal(CommandFailureKind.OutputLimitExceeded, failure.Kind);
        Assert.False(HostScan.IsAlive(scripts.ReadProcessId("pid")));
    }

    [Fact]
    public async Task Non_zero_exit_fails_with_the_trimmed_standard_error()
    {
        var path = scripts.Write("denied", $"echo '{PermissionDenied}' >&2; exit 1");

        var failure = await Assert.ThrowsAsync<CommandFailedException>(() => Command(path).ExecuteBoundedAsync(Limits, ReadToEnd, CancellationToken.None));

        Assert.Equal(CommandFailureKind.NonZeroExit, failure.Kind);
        Assert.Equal(1, failure.ExitCode);
        Assert.Equal(PermissionDenied, failure.StandardError);
        Assert.Equal($"{path} exited with code 1: {PermissionDenied}", failure.Message);
    }

    [Fact]
    public async Task Missing_binary_is_not_found()
    {
        var path = scripts.PathOf("iptables-legacy-save");

        var failure = await Assert.ThrowsAsync<CommandFailedException>(() => Command(path).ExecuteBoundedAsync(Limits, ReadToEnd, CancellationToken.None));

        Assert.Equal(CommandFailureKind.NotFound, failure.Kind);
        Assert.Equal(path, failure.CommandPath);
        Assert.Contains(path, failure.Message);
    }

    [Fact]
    public async Task File_that_is_not_executable_fails_to_start()
    {
        var path = scripts.PathOf("not-executable");
        await File.WriteAllTextAsync(path, "#!/bin/sh\n", TestContext.Current.CancellationToken);

        var failure = await Assert.ThrowsAsync<CommandFailedException>(() => Command(path).ExecuteBoundedAsync(Limits, ReadToEnd, CancellationToken.None));

        Assert.Equal(CommandFailureKind.StartFailed, failure.Kind);
    }

    [Fact]
    public async Task Relative_path_is_rejected()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Command("iptables-legacy-save").ExecuteBoundedAsync(Limits, ReadToEnd, CancellationToken.None));
    }

    [Fact]
    public async Task Reader_exception_is_rethrown_unchanged_after_killing_the_command()
    {
        var path = scripts.Write("slow", $"echo $$ > '{scripts.PathOf("pid")}'; echo 'bad line'; exec sleep 600");
        var thrown = new InvalidDataException("line 1: bad line");

        var caught = await Assert.ThrowsAsync<InvalidDataException>(() =>
            Command(path).ExecuteBoundedAsync(Limits, async (stream, token) =>
            {
                await new StreamReader(stream).ReadLineAsync(token);
                throw thrown;
            }, CancellationToken.None));

        Assert.Same(thrown, caught);
        Assert.False(HostScan.IsAlive(scripts.ReadProcessId("pid")));
    }

    [Fact]
    public async Task Caller_cancellation_kills_the_command()
    {
        var path = scripts.Write("slow", $"echo $$ > '{scripts.PathOf("pid")}'; echo started; exec sleep 600");
        using var cancellation = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Command(path).ExecuteBoundedAsync(Limits, async (stream, token) =>
            {
                var reader = new StreamReader(stream);
                await reader.ReadLineAsync(token);
                await cancellation.CancelAsync();
                await reader.ReadToEndAsync(token);
            }, cancellation.Token));

        Assert.False(HostScan.IsAlive(scripts.ReadProcessId("pid")));
    }

    [Fact]
    public async Task Environment_is_exactly_the_given_one()
    {
        var environment = new Dictionary<string, string> { ["LC_ALL"] = "C", ["PATH"] = "/usr/bin:/bin", ["NFX_MARKER"] = "a value with spaces" };

        var printed = await PrintEnvironmentAsync(Command("/usr/bin/env").WithEnvironmentVariables(ExplicitEnvironment.Exactly(environment)));

        Assert.Equal(environment.Select(pair => pair.Key + "=" + pair.Value).Order(StringComparer.Ordinal), printed);
    }

    [Fact]
    public async Task Default_environment_is_minimal()
    {
        var printed = await PrintEnvironmentAsync(Command("/usr/bin/env"));

        Assert.Equal(ExplicitEnvironment.Minimal.Select(pair => pair.Key + "=" + pair.Value).Order(StringComparer.Ordinal), printed);
        Assert.Contains("LC_ALL=C", printed);
    }

    private static async Task<IEnumerable<string>> PrintEnvironmentAsync(Command command)
    {
        string? output = null;
        await command.ExecuteBoundedAsync(Limits, async (stream, token) => output = await new StreamReader(stream).ReadToEndAsync(token), CancellationToken.None);
        return output!.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal);
    }

    private static readonly CommandLimits Limits = new(Ample);

    /// <summary>As the save commands are described: argument list and the minimal environment, nothing inherited.</summary>
    private static Command Command(string path, IReadOnlyList<string>? arguments = null) =>
        Cli.Wrap(path).WithArguments(arguments ?? []).WithEnvironmentVariables(ExplicitEnvironment.Exactly(ExplicitEnvironment.Minimal));

    private static Task ReadToEnd(Stream stream, CancellationToken token) => stream.CopyToAsync(Stream.Null, token);
}
