using CliWrap;
using NetfilterExporter.Iptables;
using NetfilterExporter.Processes;

namespace NetfilterExporter.DumpSources;

/// <summary>Runs "&lt;backend&gt;-save -c -t nat" and parses its output as it streams in.</summary>
/// <remarks>A legacy table that does not exist is reported empty without running anything, since reading it would create it.</remarks>
public sealed class SaveCommandDumpSource(
    RuleSource source, string commandPath, TimeSpan timeout, LegacyNatTableLookup legacyTables) : IDumpSource
{
    public RuleSource Source { get; } = source;

    public string CommandPath { get; } = commandPath;

    public string Origin => CommandPath;

    public async Task<NatTable> ReadAsync(CancellationToken cancellationToken)
    {
        if (Source.Backend == IptablesBackend.Legacy && !legacyTables.Exists(Source.Family))
        {
            return NatTable.Empty;
        }
        var command = Cli.Wrap(CommandPath)
            .WithArguments(["-c", "-t", "nat"])
            .WithEnvironmentVariables(ExplicitEnvironment.Exactly(ExplicitEnvironment.Minimal));
        NatTable? dump = null;
        try
        {
            await command.ExecuteBoundedAsync(
                new CommandLimits(timeout),
                async (output, token) => dump = await NatTableParser.ParseAsync(output, $"{CommandPath} -c -t nat", token),
                cancellationToken);
        }
        catch (CommandFailedException failure) when (failure.IsPermissionProblem)
        {
            throw failure.WithHint("reading netfilter needs CAP_NET_ADMIN and CAP_NET_RAW: run as root or grant both capabilities");
        }
        return dump ?? throw new InvalidOperationException($"{CommandPath} produced no dump");
    }
}
