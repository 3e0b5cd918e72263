using NetfilterExporter.Host;

namespace NetfilterExporter.Conntrack;

/// <summary>Finds everything that makes nf_conntrack load at boot: modules-load.d, Debian's /etc/modules, the kernel command line.</summary>
internal static class BootLoadSources
{
    private const string CommandLine = "cmdline";
    private const string DebianModulesFile = "/etc/modules";

    public static async Task<IReadOnlyList<string>> FindAsync(RootFileSystem root, string procFs, CancellationToken cancellationToken)
    {
        var sources = new List<string>();
        foreach (var file in ConfigDirectories.FindEffectiveFiles(root, "modules-load.d"))
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
        var commandLinePath = Path.Join(procFs, "cmdline");
        var commandLine = await HostFile.ReadIfPresentAsync(commandLinePath, commandLinePath, cancellationToken);
        if (commandLine is not null && KernelCommandLine.ListsConntrack(commandLine))
        {
            sources.Add(CommandLine);
        }
        return sources;
    }
}
