namespace NetfilterExporter.TestSupport;

/// <summary>
/// promtool, the reference parser and linter of rules, configs and the exposition format: Debian's on PATH, or the
/// one of a <see cref="MonitoringParts"/> set.
/// </summary>
public static class Promtool
{
    public static Task<CommandResult> RunAsync(params string[] arguments) =>
        TestCommand.RunAsync(Prerequisites.RequireCommand("promtool", "prometheus"), arguments);

    /// <summary>Runs the promtool of <paramref name="parts"/>.</summary>
    public static Task<CommandResult> RunAsync(MonitoringParts parts, params string[] arguments) =>
        TestCommand.RunAsync(parts.Promtool, arguments);

    /// <summary>Runs "promtool check metrics" on an exposition; returns what it printed (empty when clean).</summary>
    /// <param name="parts">Whose promtool; null for the one on PATH.</param>
    public static Task<CommandResult> CheckMetricsAsync(string exposition, MonitoringParts? parts = null) =>
        TestCommand.RunAsync(parts?.Promtool ?? Prerequisites.RequireCommand("promtool", "prometheus"), ["check", "metrics"], exposition);
}
