using NetfilterExporter.Host;

namespace NetfilterExporter.Conntrack;

/// <summary>Finds everything that makes nf_conntrack load at boot: modules-load.d, Debian's /etc/modules, the kernel command line.</summary>
internal static class BootLoadSources
{
    private const string DebianModulesFile = "/etc/modules";

    /// <summary>What the next boot reads: files under /run are left out, a reboot empties it.</summary>
    public static async Task<IReadOnlyList<string>> FindAsync(RootFileSystem root, KernelCommandLine commandLine, CancellationToken cancellationToken)
    {
        var sources = new List<string>();
        foreach (var file in ConfigDirectories.FindEffectiveFiles(root, "modules-load.d", ConfigView.NextBoot))
        {
            // Debian ships /etc/modules-load.d/modules.conf -> ../modules: that file is read once, below,
            // and reported under the name users edit.
            if (file.Target.NodePath == DebianModulesFile)
            {
                continue;
            }
            var text = await HostFile.ReadIfPresentAsync(file.Target.HostPath, file.Target.Describe(), cancellationToken);
            if (text is not null && ModuleListFormats.ModulesLoadListsConntrack(text))
            {
                sources.Add(file.NodePath);
            }
        }
        var debianModules = root.Resolve(DebianModulesFile);
        var debianText = await HostFile.ReadIfPresentAsync(debianModules.HostPath, debianModules.Describe(), cancellationToken);
        if (debianText is not null && ModuleListFormats.DebianModulesListsConntrack(debianText))
        {
            sources.Add(DebianModulesFile);
        }
        if (commandLine.ListsConntrack(Initramfs.RunsSystemd(root)))
        {
            sources.Add(BlacklistEntry.CommandLine);
        }
        return sources;
    }
}
