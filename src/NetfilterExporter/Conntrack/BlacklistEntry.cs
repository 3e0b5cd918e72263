namespace NetfilterExporter.Conntrack;

/// <summary>One thing that keeps nf_conntrack from loading: a modprobe.d line, or a kernel command-line parameter.</summary>
/// <param name="Source">The file as seen on the node, e.g. /etc/modprobe.d/blacklist-conntrack.conf, or <see cref="CommandLine"/>.</param>
/// <param name="Line">1-based line where the directive starts (it may continue over lines ending in a backslash); null for the command line.</param>
/// <param name="Text">The directive with its whitespace collapsed, e.g. "install nf_conntrack /bin/false" or "module_blacklist=nf_conntrack".</param>
/// <param name="Kind">Which mechanism, and so whether an explicit modprobe still works.</param>
public sealed record BlacklistEntry(string Source, int? Line, string Text, BlacklistKind Kind)
{
    public const string CommandLine = "cmdline";

    /// <summary>An explicit <c>modprobe nf_conntrack</c> fails while this is in effect (observed on a real 6.1 kernel with kmod 30).</summary>
    public bool StopsManualModprobe => Kind is BlacklistKind.InstallCommand or BlacklistKind.CommandLineModuleBlacklist;

    /// <summary>In a file under /run, a tmpfs: in effect now, gone after the next reboot.</summary>
    public bool GoneAfterReboot => Source.StartsWith("/run/", StringComparison.Ordinal);

    public bool OnCommandLine => Source == CommandLine;

    /// <summary>"file:line", or "cmdline": how metrics and findings name where it is.</summary>
    public string Location => Line is { } line ? $"{Source}:{line.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : Source;

    /// <summary>The name scripts see in <c>check --output json</c> (docs/contract.md §5).</summary>
    public string KindName => Kind switch
    {
        BlacklistKind.ModprobeBlacklist => "blacklist",
        BlacklistKind.InstallCommand => "install",
        BlacklistKind.CommandLineModprobeBlacklist => "modprobe.blacklist",
        BlacklistKind.CommandLineModuleBlacklist => "module_blacklist",
        _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, null),
    };
}
