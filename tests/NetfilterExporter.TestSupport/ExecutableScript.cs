namespace NetfilterExporter.TestSupport;

/// <summary>A shell script a test writes for another program to run (a CNI plugin, a wrapper on PATH): owner-only, executable.</summary>
public static class ExecutableScript
{
    public static async Task WriteAsync(string path, string text, CancellationToken cancellationToken)
    {
        // The real-node tests run on Linux only; the guard is what lets the analyzer see that.
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("executable scripts are written on Linux only");
        }
        await File.WriteAllTextAsync(path, text, cancellationToken);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
