using NetfilterExporter.Configuration;

namespace NetfilterExporter.Collection;

/// <summary>
/// Which collectors of the table run, from their defaults and the <c>--collector.&lt;name&gt;</c>,
/// <c>--no-collector.&lt;name&gt;</c> and <c>--collector.disable-defaults</c> flags, as node_exporter decides it.
/// </summary>
public static class CollectorSelection
{
    /// <exception cref="UsageException">Two flags contradict each other.</exception>
    public static IReadOnlySet<string> Enabled(IReadOnlyList<CollectorRegistration> table, ExporterOptions options)
    {
        var enabled = new HashSet<string>(StringComparer.Ordinal);
        foreach (var registration in table)
        {
            var on = options.CollectorSwitches.TryGetValue(registration.Name, out var given)
                ? given
                : registration.EnabledByDefault && !options.DisableDefaultCollectors;
            if (options.CollectorSwitches.ContainsKey(registration.Name) && registration.Conflict?.Invoke(options, given) is { } other)
            {
                throw new UsageException($"--{(given ? "" : "no-")}{Flags.CollectorPrefix}{registration.Name} contradicts {other}");
            }
            if (on)
            {
                enabled.Add(registration.Name);
            }
        }
        return enabled;
    }
}
