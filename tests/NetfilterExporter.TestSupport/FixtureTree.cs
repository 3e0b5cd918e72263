namespace NetfilterExporter.TestSupport;

/// <summary>Copies checked-in fixture trees, keeping their symlinks as links (a copy that followed them would change what is tested).</summary>
public static class FixtureTree
{
    public static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var entry in new DirectoryInfo(from).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
        {
            var target = Path.Join(to, Path.GetRelativePath(from, entry.FullName));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (entry.LinkTarget is { } link)
            {
                File.CreateSymbolicLink(target, link);
            }
            else if (entry is DirectoryInfo)
            {
                Directory.CreateDirectory(target);
            }
            else
            {
                File.Copy(entry.FullName, target, overwrite: true);
            }
        }
    }
}
