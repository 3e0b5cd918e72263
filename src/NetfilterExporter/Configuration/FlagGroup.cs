namespace NetfilterExporter.Configuration;

/// <summary>The headings --help lists the flags under, in this order.</summary>
public enum FlagGroup
{
    Web,
    Sources,
    Collectors,
    Logging,
    Check,
}
