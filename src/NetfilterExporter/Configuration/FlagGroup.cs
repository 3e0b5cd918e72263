namespace NetfilterExporter.Configuration;

/// <summary>The headings --help lists the flags under; each command's help picks its own order (HelpText).</summary>
public enum FlagGroup
{
    Web,
    Sources,
    Collectors,
    Logging,
    Check,
}
