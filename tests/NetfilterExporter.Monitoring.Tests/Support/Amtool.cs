
namespace NetfilterExporter.Monitoring.Tests.Support;

/// <summary>Runs Alertmanager's amtool (Debian package prometheus-alertmanager) against a configuration file.</summary>
public static class Amtool
{
    public static Task<CommandResult> RunAsync(params string[] arguments) =>
        TestCommand.RunAsync(Prerequisites.RequireCommand("amtool", "prometheus-alertmanager"), arguments);

    /// <summary>Runs the amtool of <paramref name="parts"/>.</summary>
    public static Task<CommandResult> RunAsync(MonitoringParts parts, params string[] arguments) =>
        TestCommand.RunAsync(parts.Amtool, arguments);
}
