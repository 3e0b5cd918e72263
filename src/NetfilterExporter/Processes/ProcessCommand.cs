namespace NetfilterExporter.Processes;

/// <summary>
/// One program to run: an absolute path and its arguments, passed as an argument list (never through a shell).
/// </summary>
public sealed record ProcessCommand(string Path, IReadOnlyList<string> Arguments)
{
    /// <summary>
    /// Only what the save commands need: a C locale so their output does not depend on the node's language,
    /// and no inherited variables that could leak secrets or change their behaviour.
    /// </summary>
    public static IReadOnlyDictionary<string, string> MinimalEnvironment { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["LC_ALL"] = "C",
        ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    }.AsReadOnly();

    /// <summary>One deadline for everything: starting, reading both streams to their end, and exiting.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Reading more standard output than this fails the command.</summary>
    public long OutputLimitBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Standard error kept for the error message; anything beyond is read and dropped.</summary>
    public int ErrorLimitBytes { get; init; } = 64 * 1024;

    /// <summary>The complete environment of the process; nothing is inherited from the exporter.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = MinimalEnvironment;
}
