namespace NetfilterExporter.Host;

/// <summary>
/// Checks that the --path.* flags point at the mounts they name before anything is read through them. A wrong
/// mount must fail the collection instead of looking like a node where nf_conntrack is missing and nothing is
/// configured, which would page for the wrong reason.
/// </summary>
internal static class HostPathsCheck
{
    /// <exception cref="IOException">A flag names a file, a missing or unreadable directory, or the wrong mount.</exception>
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
            throw new IOException($"{flag} {path} is a file, expected a directory");
        }
        if (!Directory.Exists(path))
        {
            throw new IOException($"{flag} {path} does not exist");
        }
        try
        {
            using var entries = Directory.EnumerateFileSystemEntries(path).GetEnumerator();
            entries.MoveNext();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"{flag} {path} cannot be read: {exception.Message}", exception);
        }
        if (!Path.Exists(Path.Join(path, landmark)))
        {
            throw new IOException($"{flag} {path} has no {landmark}: is the flag pointing at the right mount?");
        }
    }
}
