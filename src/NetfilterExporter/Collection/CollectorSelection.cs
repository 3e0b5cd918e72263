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
            var named = options.CollectorSwitches.TryGetValue(registration.Name, out var given);
            var on = !registration.Switchable || (named ? given : registration.EnabledByDefault && !options.DisableDefaultCollectors);
            if (named && registration.Conflict?.Invoke(options, given) is { } other)
            {
                throw new UsageException($"--{(given ? "" : "no-")}{Flags.CollectorPrefix}{registration.Name} contradicts {other}");
            }
            if (!on && !named && registration.EnabledByDefault && registration.Conflict?.Invoke(options, false) is { } configured)
            {
                throw new UsageException(
                    $"--{Flags.DisableDefaults} switches {registration.Name} off, which contradicts {configured}; add --{Flags.CollectorPrefix}{registration.Name}");
            }
            if (on)
            {
                enabled.Add(registration.Name);
            }
        }
        return enabled;
    }
}
