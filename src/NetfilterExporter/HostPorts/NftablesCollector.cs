using CliWrap;
using NetfilterExporter.Collection;
using NetfilterExporter.Iptables;
using NetfilterExporter.Nftables;
using NetfilterExporter.Processes;

namespace NetfilterExporter.HostPorts;

/// <summary>
/// A <c>nftables_&lt;family&gt;</c> collector: lists portmap's <c>cni_hostport</c> table of one family with
/// <c>nft -j list table</c>, bounded like the save commands, and finds its host port claims. nft only ever lists
/// here. A table that does not exist is a node whose portmap writes iptables: no claims, no error.
/// </summary>
public sealed class NftablesCollector(RuleSource source, string nftPath, TimeSpan timeout) : ICollector
{
    /// <summary>
    /// The most standard output nft may write. Far above any portmap table (a rule lists in about 350 bytes, so some
    /// 190,000 rules), and lower than the save commands' cap because the listing is held whole to be parsed, not streamed.
    /// </summary>
    public const long OutputLimitBytes = 64L * 1024 * 1024;

    public string Name => source.CollectorName;

    public string Reads => $"{nftPath} -j list table {source.NftFamily} {RuleSource.NftablesTable}";

    public async Task<ICollectorResult> CollectAsync(CancellationToken cancellationToken) =>
        await ListAsync(source, nftPath, timeout, cancellationToken) is { } table
            ? new HostPortObservation(source, PortmapNftAnalyzer.Analyze(table, Reads))
            : new HostPortObservation(source, HostPortReport.Empty);

    /// <summary>
    /// Lists the table as the collector does; null when it does not exist. A repair reads it again through here just
    /// before it deletes, so the rules it compares are read exactly as the ones it planned from.
    /// </summary>
    public static async Task<NftTable?> ListAsync(RuleSource source, string nftPath, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var reads = $"{nftPath} -j list table {source.NftFamily} {RuleSource.NftablesTable}";
        var command = Cli.Wrap(nftPath)
            .WithArguments(["-j", "list", "table", source.NftFamily, RuleSource.NftablesTable])
            .WithEnvironmentVariables(ExplicitEnvironment.Exactly(ExplicitEnvironment.Minimal));
        // Read whole, then parsed: a missing table is an exit status with nothing on standard output, which must not be
        // taken for broken JSON while the command is still running.
        using var output = new MemoryStream();
        try
        {
            await command.ExecuteBoundedAsync(new CommandLimits(timeout, OutputLimitBytes), (stream, token) => stream.CopyToAsync(output, token), cancellationToken);
        }
        catch (CommandFailedException failure) when (failure.ExitCode is not null && failure.StandardError.Contains("No such file or directory", StringComparison.Ordinal))
        {
            return null;
        }
        catch (CommandFailedException failure) when (failure.IsPermissionProblem)
        {
            throw failure.WithHint("listing nftables needs CAP_NET_ADMIN: run as root or grant the capability");
        }
        // The collector's buffer, read in place: a second copy of a large listing would double the memory it takes.
        return NftTableParser.Parse(output.GetBuffer().AsSpan(0, (int)output.Length), reads, source.Family, RuleSource.NftablesTable);
    }
}
