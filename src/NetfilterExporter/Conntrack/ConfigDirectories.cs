using NetfilterExporter.Host;

namespace NetfilterExporter.Conntrack;

/// <summary>
/// The drop-in directories that systemd-modules-load (modules-load.d) and kmod (modprobe.d) read: only
/// <c>*.conf</c> files count, a file in an earlier directory replaces the same-named file in later ones, a
/// link to /dev/null masks it, and files take effect in file-name order across all directories.
/// The <see cref="ConfigView.NextBoot"/> view leaves out /run, which a reboot empties.
/// </summary>
internal static class ConfigDirectories
{
    // Highest precedence first; /lib matters on systems without merged /usr.
    private static readonly string[] Prefixes = ["/etc", "/run", "/usr/local/lib", "/usr/lib", "/lib"];

    public static IReadOnlyList<ConfigFile> FindEffectiveFiles(RootFileSystem root, string directoryName, ConfigView view)
    {
        // A null value is a mask: it claims the name, so later directories cannot supply it, but nothing is read.
        var byName = new SortedDictionary<string, ConfigFile?>(StringComparer.Ordinal);
        foreach (var prefix in view == ConfigView.Now ? Prefixes : Prefixes.Where(prefix => prefix != "/run"))
        {
            var directoryNodePath = $"{prefix}/{directoryName}";
            foreach (var name in ListConfNames(root.Resolve(directoryNodePath), directoryNodePath))
            {
                if (byName.ContainsKey(name))
                {
                    continue;
                }
                var nodePath = $"{directoryNodePath}/{name}";
                var target = root.Resolve(nodePath);
                if (target.IsNullDevice)
                {
                    byName[name] = null;
                }
                else if (File.Exists(target.HostPath))
                {
                    byName[name] = new ConfigFile(nodePath, target);
                }
                // Directories and dangling links are skipped without claiming the name, as systemd and kmod do.
            }
        }
        return byName.Values.OfType<ConfigFile>().ToList();
    }

    private static IEnumerable<string> ListConfNames(ResolvedPath directory, string directoryNodePath)
    {
        if (!Directory.Exists(directory.HostPath))
        {
            return [];
        }
        try
        {
            return Directory.EnumerateFileSystemEntries(directory.HostPath)
                .Select(entry => Path.GetFileName(entry))
                .Where(name => name.EndsWith(".conf", StringComparison.Ordinal) && !name.StartsWith('.'))
                // Sorted so that an error always names the same file.
                .Order(StringComparer.Ordinal)
                .ToList();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new ConntrackProbeException($"cannot list {directoryNodePath} ({directory.HostPath}): {exception.Message}", exception);
        }
    }
}
