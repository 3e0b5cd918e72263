namespace NetfilterExporter.Conntrack;

/// <summary>
/// Checks the --path.* flags before probing. A wrong mount must fail the collection instead of looking like a
/// node where nf_conntrack is missing and nothing is configured, which would page for the wrong reason.
/// </summary>
internal static class HostRoots
{
    public static void Require(HostPaths paths)
    {
        RequireDirectory("--path.procfs", paths.ProcFs, Path.Join("sys", "kernel", "osrelease"));
        RequireDirectory("--path.sysfs", paths.SysFs, "module");
        RequireDirectory("--path.rootfs", paths.RootFs, "etc");
    }

    /// <param name="landmark">An entry every real mount of this kind has.</param>
    private static void RequireDirectory(string flag, string path, string landmark)
    {
        if (File.Exists(path))
        {
            throw new ConntrackProbeException($"{flag} {path} is a file, expected a directory");
        }
        if (!Directory.Exists(path))
        {
            throw new ConntrackProbeException($"{flag} {path} does not exist");
        }
        try
        {
            using var entries = Directory.EnumerateFileSystemEntries(path).GetEnumerator();
            entries.MoveNext();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new ConntrackProbeException($"{flag} {path} cannot be read: {exception.Message}", exception);
        }
        if (!Path.Exists(Path.Join(path, landmark)))
        {
            throw new ConntrackProbeException($"{flag} {path} has no {landmark}: is the flag pointing at the right mount?");
        }
    }
}
