namespace NetfilterExporter.TestSupport;

/// <summary>Debian's promtool, the reference parser and linter of rules, configs and the exposition format.</summary>
public static class Promtool
{
    public static Task<CommandResult> RunAsync(params string[] arguments) =>
        TestCommand.RunAsync(Prerequisites.RequireCommand("promtool", "prometheus"), arguments);

    /// <summary>Runs "promtool check metrics" on an exposition; returns what it printed (empty when clean).</summary>
    public static Task<CommandResult> CheckMetricsAsync(string exposition) =>
        TestCommand.RunAsync(Prerequisites.RequireCommand("promtool", "prometheus"), ["check", "metrics"], exposition);
}
