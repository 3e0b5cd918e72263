using NetfilterExporter.Host;

namespace NetfilterExporter.Conntrack;

/// <summary>
/// systemd-modules-load probes with the blacklist applied, so a modprobe.d blacklist or do-nothing install
/// line defeats every boot-time listing of the module.
/// </summary>
internal static class ModprobeBlacklist
{
    /// <summary>
    /// The modprobe.d entries in effect now and those the next boot will read. The two views differ only by /run,
    /// so every file is read once and its entries shared by both.
    /// </summary>
    public static async Task<(IReadOnlyList<BlacklistEntry> Now, IReadOnlyList<BlacklistEntry> NextBoot)> FindAsync(
        RootFileSystem root, CancellationToken cancellationToken)
    {
        var byFile = new Dictionary<string, IReadOnlyList<BlacklistEntry>>(StringComparer.Ordinal);
        async Task<IReadOnlyList<BlacklistEntry>> EntriesOf(ConfigView view)
        {
            var entries = new List<BlacklistEntry>();
            foreach (var file in ConfigDirectories.FindEffectiveFiles(root, "modprobe.d", view))
            {
                if (!byFile.TryGetValue(file.NodePath, out var found))
                {
                    var text = await HostFile.ReadIfPresentAsync(file.Target.HostPath, file.Target.Describe(), cancellationToken);
                    byFile[file.NodePath] = found = text is null ? [] : ModprobeDirectives.FindBlacklistEntries(file.NodePath, text).ToList();
                }
                entries.AddRange(found);
            }
            return entries;
        }
        return (await EntriesOf(ConfigView.Now), await EntriesOf(ConfigView.NextBoot));
    }
}
