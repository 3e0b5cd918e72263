using System.CommandLine;
using System.Runtime.InteropServices;
using NetfilterExporter.Check;
using NetfilterExporter.Configuration;
using NetfilterExporter.Fix;
using NetfilterExporter.Sources;
using NetfilterExporter.Web;

// Exit codes: 0 ok, 1 cannot listen, 2 usage or configuration error (and `check`: 1 findings, 2 could not collect,
// 130 interrupted; `fix`: RepairExitCode's).
var commandLine = new CommandLine(Environment.GetEnvironmentVariable, SourceTable.Flags, ServeAsync, CheckAsync, fix: FixAsync);
try
{
    var parse = commandLine.Parse(args);
    if (UsageError.Of(commandLine, parse) is { } error)
    {
        throw new UsageException(error);
    }
    // Signals stay the host's (the server's graceful shutdown, systemd's STOPPING=1) and check's own Ctrl-C handler;
    // exceptions reach the catch below.
    return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false });
}
catch (UsageException usage)
{
    Console.Error.WriteLine($"netfilter-exporter: {usage.Message}");
    return 2;
}

static async Task<int> ServeAsync(ExporterOptions options)
{
    // Contradicting collector flags throw UsageException where the collector is built: in CheckCommand, and in
    // ExporterWebApp.Build, which resolves it for the start-up log before anything listens.
    await using var app = ExporterWebApp.Build(options);
    try
    {
        await app.StartAsync();
    }
    catch (Exception bind) when (bind is IOException or System.Net.Sockets.SocketException)
    {
        // Kestrel's "Failed to bind to address …: address already in use." (an IOException), or the socket's own
        // error for an address the node does not have or a port it may not use: one line, no stack trace.
        var where = options.SystemdSocket ? "the sockets systemd passed" : string.Join(", ", options.ListenAddresses);
        Console.Error.WriteLine($"netfilter-exporter: cannot listen on {where}: {bind.Message}");
        return 1;
    }
    await app.WaitForShutdownAsync();
    return 0;
}

static Task<int> CheckAsync(ExporterOptions options) =>
    InterruptibleAsync("check", token => CheckCommand.RunAsync(options, Console.Out, token));

static Task<int> FixAsync(ExporterOptions options, bool apply) =>
    InterruptibleAsync("fix", token => FixCommand.RunAsync(options, apply, Console.Out, token));

static async Task<int> InterruptibleAsync(string command, Func<CancellationToken, Task<int>> run)
{
    using var interrupted = new CancellationTokenSource();
    // Ctrl-C, and the SIGTERM of a service manager or `kill`: both end the command through its cancellation, so fix
    // reports what it changed instead of dying between two changes.
    void Interrupt(PosixSignalContext signal)
    {
        signal.Cancel = true;
        interrupted.Cancel();
    }
    using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
    using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
    try
    {
        return await run(interrupted.Token);
    }
    catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
    {
        Console.Error.WriteLine($"netfilter-exporter: {command} interrupted");
        return 130;
    }
}
