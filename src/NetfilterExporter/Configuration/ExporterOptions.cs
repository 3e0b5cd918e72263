using Microsoft.Extensions.Logging;
using NetfilterExporter.Host;
using NetfilterExporter.Iptables;

namespace NetfilterExporter.Configuration;

/// <summary>Everything the flags of docs/contract.md §4 configure, parsed and validated.</summary>
/// <param name="RuleSources">Backend and family pairs to read when not reading files.</param>
/// <param name="AutoBackends">"auto": skip a backend whose save command is not installed instead of failing it.</param>
/// <param name="SystemdSocket">Listen on the sockets systemd passed instead of <paramref name="ListenAddresses"/>.</param>
/// <param name="SaveCommandOverrides">Explicit save command paths per source; others are looked up on PATH.</param>
/// <param name="CollectorSwitches">The collectors switched on (true) or off (false) by name with --[no-]collector.&lt;name&gt;; the others keep their default.</param>
/// <param name="DisableDefaultCollectors">--collector.disable-defaults: only collectors switched on by name run.</param>
/// <param name="NodeName">--node.name; null to take the host's name (Host/NodeName).</param>
/// <param name="NftCommand">--nftables.command; null to look nft up on PATH.</param>
public sealed record ExporterOptions(
    IReadOnlyList<string> ListenAddresses,
    string TelemetryPath,
    string? WebConfigFile,
    bool SystemdSocket,
    int MaxRequests,
    HostPaths HostPaths,
    IReadOnlyList<RuleSource> RuleSources,
    bool AutoBackends,
    IReadOnlyList<DumpFile> DumpFiles,
    IReadOnlyDictionary<RuleSource, string> SaveCommandOverrides,
    TimeSpan CollectorTimeout,
    TimeSpan MinInterval,
    CriEndpoint CriEndpoint,
    LogLevel LogLevel,
    LogFormat LogFormat,
    OutputFormat Output,
    IReadOnlyDictionary<string, bool> CollectorSwitches,
    bool DisableDefaultCollectors,
    string? NodeName = null,
    string? NftCommand = null);
