using NetfilterExporter.Configuration;
using NetfilterExporter.Iptables;

namespace NetfilterExporter.DumpSources;

/// <summary>
/// Decides, for each collection, where a backend and family's table comes from. Save commands are looked up each
/// time, so a backend installed after the exporter started is picked up without a restart.
/// </summary>
public sealed class DumpSourceSet(ExporterOptions options, LegacyNatTableLookup legacyTables)
{
    /// <summary>Where save commands are looked for, as error messages say it.</summary>
    public const string SearchedPlaces = "searched PATH, /usr/local/sbin, /usr/sbin and /sbin";

    private static readonly string[] FallbackDirectories = ["/usr/local/sbin", "/usr/sbin", "/sbin"];

    /// <summary>
    /// Where <paramref name="source"/>'s table is read this time; null when there is nothing to read and nobody asked
    /// for it: not in --iptables.backends/families, no dump file for it, or auto found no save command.
    /// </summary>
    /// <param name="named">The collector was switched on by name (--collector.&lt;name&gt;): a missing command fails it.</param>
    public IDumpSource? For(RuleSource source, bool named)
    {
        if (options.DumpFiles.Count > 0)
        {
            return options.DumpFiles.FirstOrDefault(file => file.Source == source) is { } file ? new FileDumpSource(file.Source, file.Path) : null;
        }
        if (!named && !options.RuleSources.Contains(source))
        {
            return null;
        }
        var path = options.SaveCommandOverrides.TryGetValue(source, out var configured) ? configured : FindOnPath(source.SaveCommand);
        if (path is not null && File.Exists(path))
        {
            return new SaveCommandDumpSource(source, path, options.CollectorTimeout, legacyTables);
        }
        return !options.AutoBackends || configured is not null || named ? new MissingCommandDumpSource(source, configured ?? SearchedPlaces) : null;
    }

    /// <summary>Where <paramref name="command"/> is: the first hit on PATH, then the sbin directories a minimal PATH lacks.</summary>
    public static string? FindOnPath(string command)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(FallbackDirectories)
            .Select(directory => Path.Combine(directory, command))
            .FirstOrDefault(File.Exists);
    }
}
