namespace NetfilterExporter.Host;

/// <summary>
/// A node path under --path.rootfs cannot be followed (a symlink loop, a directory that cannot be inspected). An
/// <see cref="IOException"/>, so each source reports it as its own read error, naming the path.
/// </summary>
public sealed class HostFileException : IOException
{
    public HostFileException(string message)
        : base(message)
    {
    }

    public HostFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
