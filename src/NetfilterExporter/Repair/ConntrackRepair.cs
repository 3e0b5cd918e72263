namespace NetfilterExporter.Repair;

/// <summary>The nf_conntrack repair: load the module now and, when nothing lists it for boot, list it in modules-load.d.</summary>
/// <param name="LoadNow">Run <c>modprobe nf_conntrack</c>: the sysctl is absent and nothing refuses an explicit modprobe.</param>
/// <param name="BootFile">The file to create as the node names it (<see cref="BootFilePath"/>); null when something already lists the module for boot.</param>
public sealed record ConntrackRepair(bool LoadNow, string? BootFile)
{
    public const string BootFilePath = "/etc/modules-load.d/nf_conntrack.conf";

    /// <summary>What the boot file holds: the module's name on a line of its own (modules-load.d(5)).</summary>
    public const string BootFileContent = "nf_conntrack\n";

    /// <summary>The commands as a person would run them, for the plan printed without --apply.</summary>
    public IReadOnlyList<string> ShellCommands =>
        [.. LoadNow ? ["modprobe nf_conntrack"] : Array.Empty<string>(), .. BootFile is { } file ? [$"echo nf_conntrack > {file}"] : Array.Empty<string>()];
}
