using NetfilterExporter.Host;

namespace NetfilterExporter.Conntrack;

/// <summary>
/// systemd-modules-load probes with the blacklist applied, so a modprobe.d blacklist or do-nothing install
/// line defeats every boot-time listing of the module.
/// </summary>
internal static class ModprobeBlacklist
{
    public static async Task<IReadOnlyList<BlacklistEntry>> FindAsync(RootFileSystem root, ConfigView view, CancellationToken cancellationToken)
    {
        var entries = new List<BlacklistEntry>();
        foreach (var file in ConfigDirectories.FindEffectiveFiles(root, "modprobe.d", view))
        {
            var text = await HostFile.ReadIfPresentAsync(file.Target.HostPath, file.Target.Describe(), cancellationToken);
            if (text is not null)
            {
                entries.AddRange(ModprobeDirectives.FindBlacklistEntries(file.NodePath, text));
            }
        }
        return entries;
    }
}
