using NetfilterExporter.TestSupport;

namespace NetfilterExporter.Monitoring.Tests.Support;

/// <summary>Runs Prometheus' own promtool (Debian package prometheus), so rules and queries meet the real parser.</summary>
public static class Promtool
{
    public static Task<CommandResult> RunAsync(params string[] arguments) =>
        TestCommand.RunAsync(Prerequisites.RequireCommand("promtool", "prometheus"), arguments);
}
