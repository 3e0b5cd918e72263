using NetfilterExporter.Configuration;

namespace NetfilterExporter.DumpSources;

/// <summary>
/// Decides, for each collection, where every backend and family's table comes from. Save commands are looked
/// up each time, so a backend installed after the exporter started is picked up without a restart.
/// </summary>
public sealed class DumpSourceSet(ExporterOptions options, LegacyNatTableLookup legacyTables)
{
    /// <summary>Where save commands are looked for, as error messages say it.</summary>
    public const string SearchedPlaces = "searched PATH, /usr/local/sbin, /usr/sbin and /sbin";

    private static readonly string[] FallbackDirectories = ["/usr/local/sbin", "/usr/sbin", "/sbin"];

    public IReadOnlyList<IDumpSource> Current()
    {
        if (options.DumpFiles.Count > 0)
        {
            return options.DumpFiles.Select(file => (IDumpSource)new FileDumpSource(file.Source, file.Path)).ToList();
        }
        var sources = new List<IDumpSource>();
        foreach (var source in options.RuleSources)
        {
            var path = options.SaveCommandOverrides.TryGetValue(source, out var configured) ? configured : FindOnPath(source.SaveCommand);
            if (path is not null && File.Exists(path))
            {
                sources.Add(new SaveCommandDumpSource(source, path, options.CollectorTimeout, legacyTables));
            }
            else if (!options.AutoBackends || configured is not null)
            {
                sources.Add(new MissingCommandDumpSource(source, configured ?? SearchedPlaces));
            }
        }
        return sources;
    }

    private static string? FindOnPath(string command)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(FallbackDirectories)
            .Select(directory => Path.Combine(directory, command))
            .FirstOrDefault(File.Exists);
    }
}
