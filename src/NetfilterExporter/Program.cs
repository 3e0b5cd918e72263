using NetfilterExporter.Check;
using NetfilterExporter.Configuration;
using NetfilterExporter.Instrumentation;
using NetfilterExporter.Sources;
using NetfilterExporter.Web;

// Exit codes: 0 ok, 1 cannot listen, 2 usage or configuration error (and `check`: 1 findings, 2 could not collect).
var checkMode = args.Length > 0 && args[0] == "check";
var flags = checkMode ? args[1..] : args;
if (flags.Contains("--help") || flags.Contains("-h"))
{
    Console.Out.Write(CommandLine.Usage(SourceTable.Flags));
    return 0;
}
if (flags.Contains("--version"))
{
    var build = BuildInfo.FromAssembly();
    Console.Out.WriteLine($"netfilter-exporter {build.Version} (revision {build.Revision}, .NET {build.DotnetVersion})");
    return 0;
}
try
{
    // Contradicting collector flags throw UsageException where the collector is built: in CheckCommand, and in
    // ExporterWebApp.Build, which resolves it for the start-up log before anything listens.
    var options = CommandLine.Parse(flags, checkMode, Environment.GetEnvironmentVariable, SourceTable.Flags);
    if (checkMode)
    {
        using var interrupted = new CancellationTokenSource();
        Console.CancelKeyPress += (_, cancel) =>
        {
            cancel.Cancel = true;
            interrupted.Cancel();
        };
        return await CheckCommand.RunAsync(options, Console.Out, interrupted.Token);
    }
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
catch (UsageException usage)
{
    Console.Error.WriteLine($"netfilter-exporter: {usage.Message}");
    return 2;
}
catch (OperationCanceledException) when (checkMode)
{
    Console.Error.WriteLine("netfilter-exporter: check interrupted");
    return 130;
}
