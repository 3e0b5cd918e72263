using NetfilterExporter.Host;

namespace NetfilterExporter.Conntrack;

/// <summary>
/// Reads whether nf_conntrack is loaded now and will be after a reboot, from procfs, sysfs and the node's
/// configuration files. Called once per collection; it only reads small files.
/// </summary>
public sealed class ConntrackProbe(HostPaths paths)
{
    /// <exception cref="ConntrackProbeException">A host path flag is wrong or a file cannot be read or understood.</exception>
    public async Task<ConntrackReport> ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await ReadAsync(cancellationToken);
        }
        catch (IOException exception)
        {
            throw new ConntrackProbeException(exception.Message, exception);
        }
    }

    private async Task<ConntrackReport> ReadAsync(CancellationToken cancellationToken)
    {
        HostPathsCheck.Require(paths);
        var root = new RootFileSystem(paths.RootFs);
        // The file kube-proxy opens; its absence is what makes kubelite fail.
        var sysctlPresent = File.Exists(Path.Join(paths.ProcFs, ConntrackSysctl.SysctlDirectory, "nf_conntrack_max"));
        var module = await KernelModuleState.ReadAsync(paths, root, sysctlPresent, cancellationToken);
        var commandLinePath = Path.Join(paths.ProcFs, "cmdline");
        var commandLine = KernelCommandLine.Parse(await HostFile.ReadIfPresentAsync(commandLinePath, commandLinePath, cancellationToken) ?? "");
        var sources = await BootLoadSources.FindAsync(root, commandLine, cancellationToken);
        // The command line is the same now and at the next boot (docs/contract.md §2).
        var commandLineEntries = commandLine.FindBlacklistEntries().ToList();
        var (modprobeNow, modprobeNextBoot) = await ModprobeBlacklist.FindAsync(root, cancellationToken);
        return new ConntrackReport(
            ModuleLoaded: module.Loaded,
            ModuleBuiltIn: module.BuiltIn,
            SysctlPresent: sysctlPresent,
            BootLoadConfigured: module.BuiltIn || (sources.Count > 0 && modprobeNextBoot.Count == 0 && commandLineEntries.Count == 0),
            BootLoadSources: sources,
            // A /run line is reported while it is in effect; a line that /run masks now is reported for the next boot.
            Blacklist: [.. modprobeNextBoot.Union(modprobeNow), .. commandLineEntries],
            ManualModprobeWorks: module.BuiltIn || !modprobeNow.Concat(commandLineEntries).Any(entry => entry.StopsManualModprobe),
            Entries: await ConntrackSysctl.ReadAsync(paths.ProcFs, "nf_conntrack_count", cancellationToken),
            Limit: await ConntrackSysctl.ReadAsync(paths.ProcFs, "nf_conntrack_max", cancellationToken));
    }
}
