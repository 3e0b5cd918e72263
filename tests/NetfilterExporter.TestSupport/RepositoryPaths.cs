namespace NetfilterExporter.TestSupport;

/// <summary>
/// Finds files in the source tree. Fixture trees are read where they are checked in, not from the build
/// output, because copying would replace their symlinks (/dev/null masks, modules.conf -> ../modules) with files.
/// </summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Exporter.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"Exporter.sln not found above {AppContext.BaseDirectory}");
    }
}
