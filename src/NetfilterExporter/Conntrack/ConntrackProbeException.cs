namespace NetfilterExporter.Conntrack;

/// <summary>
/// The probe could not tell the truth about nf_conntrack (a host path flag points nowhere, a file cannot be
/// read or holds nonsense, a symlink loops). The message names the flag or file, and the line when relevant.
/// A missing module or missing configuration is never this: that is what the probe reports.
/// </summary>
public sealed class ConntrackProbeException : Exception
{
    public ConntrackProbeException(string message)
        : base(message)
    {
    }

    public ConntrackProbeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
