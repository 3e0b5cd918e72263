namespace NetfilterExporter.Configuration;

/// <summary>One --flag: its default, whether it may be given more than once, and its help line.</summary>
/// <param name="IsSwitch">A boolean, kingpin style: --name alone means true, --no-name false, --name=true|false.</param>
public sealed record FlagDefinition(string Name, string? Default, bool Repeatable, string Help, bool CheckOnly = false, bool IsSwitch = false)
{
    /// <summary>NETFILTER_EXPORTER_WEB_LISTEN_ADDRESS for --web.listen-address.</summary>
    public string EnvironmentVariable =>
        "NETFILTER_EXPORTER_" + Name.ToUpperInvariant().Replace('.', '_').Replace('-', '_');

    /// <summary>By the name's prefix, as node_exporter's flags are named: web.*, collector.*, log.*; every other flag says where to read.</summary>
    public FlagGroup Group =>
        CheckOnly ? FlagGroup.Check
        : Name.StartsWith("web.", StringComparison.Ordinal) ? FlagGroup.Web
        : Name.StartsWith(Flags.CollectorPrefix, StringComparison.Ordinal) ? FlagGroup.Collectors
        : Name.StartsWith("log.", StringComparison.Ordinal) ? FlagGroup.Logging
        : FlagGroup.Sources;
}
