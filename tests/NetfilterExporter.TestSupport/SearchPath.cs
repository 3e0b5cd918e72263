using NetfilterExporter.Processes;

namespace NetfilterExporter.TestSupport;

/// <summary>
/// The directories a test looks for commands in: PATH (the exporter's own minimal PATH when there is none), then
/// the sbin directories, which a non-root PATH often
/// lacks although iptables, ip and setpriv live there. The one place a test finds a command or builds a PATH for
/// a child, so a command found by a test is also found by the child it starts.
/// </summary>
public static class SearchPath
{
    private static readonly string[] SbinDirectories = ["/usr/sbin", "/sbin"];

    public static IReadOnlyList<string> Directories { get; } =
        [.. (Environment.GetEnvironmentVariable("PATH") ?? ExplicitEnvironment.Minimal["PATH"]).Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(SbinDirectories).Distinct(StringComparer.Ordinal)];

    /// <summary>The absolute path of <paramref name="command"/> in the first directory that has it, or null.</summary>
    public static string? Find(string command) =>
        Directories.Select(directory => Path.Combine(directory, command)).FirstOrDefault(File.Exists);

    /// <summary>A PATH value with <paramref name="directory"/> searched first, e.g. for stand-in commands.</summary>
    public static string Prepending(string directory) => string.Join(':', [directory, .. Directories]);
}
