namespace NetfilterExporter.TestSupport;

/// <summary>Debian's promtool, the reference parser and linter of the exposition format.</summary>
public static class ExpositionLint
{
    /// <summary>Runs "promtool check metrics" on an exposition; returns what it printed (empty when clean).</summary>
    public static async Task<CommandResult> CheckMetricsAsync(string exposition)
    {
        var promtool = Prerequisites.RequireCommand("promtool", "prometheus");
        return await TestCommand.RunAsync(promtool, ["check", "metrics"], exposition);
    }
}
