using System.Text.Json;
using Microsoft.Extensions.Logging;
using NetfilterExporter.Collection;
using NetfilterExporter.Configuration;
using NetfilterExporter.Findings;
using NetfilterExporter.Logging;
using NetfilterExporter.Processes;

namespace NetfilterExporter.Check;

/// <summary>
/// `netfilter-exporter check`: one collection, printed for a person or a script.
/// Exit 1 when there are findings (something to fix, even if a collector also failed), else 2 when a
/// collector failed (health unknown), else 0.
/// </summary>
public static class CheckCommand
{
    public const int Healthy = 0;
    public const int FindingsPresent = 1;
    public const int CouldNotCollect = 2;

    public static async Task<int> RunAsync(ExporterOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        using var loggers = LoggerFactory.Create(logging => LoggingSetup.Apply(logging, options));
        var collector = NodeCollectorFactory.Create(options, new ProcessRunner(), loggers, TimeProvider.System);
        var snapshot = await collector.CollectAsync(cancellationToken);
        var findings = FindingDetector.Detect(snapshot);
        var failed = snapshot.Collectors.Where(outcome => !outcome.Success).ToList();
        // In auto mode a missing save command is skipped; with none at all, host ports were never looked at.
        var noIptables = !snapshot.Collectors.Any(outcome => outcome.Name.StartsWith("iptables_", StringComparison.Ordinal));
        var exitCode = findings.Count > 0 ? FindingsPresent : failed.Count > 0 || noIptables ? CouldNotCollect : Healthy;
        var status = exitCode switch
        {
            Healthy => "healthy",
            FindingsPresent => $"{findings.Count} finding(s)" + (failed.Count > 0 ? $"; {failed.Count} collector(s) failed" : ""),
            _ when failed.Count > 0 => $"could not collect: {string.Join(", ", failed.Select(outcome => outcome.Name))} failed",
            _ => "could not collect: no iptables save command found (install iptables, or set --iptables.save-command.*), so host ports were not checked",
        };
        var report = new CheckReport(
            status,
            exitCode,
            snapshot.Collectors.Select(outcome => new CheckCollector(outcome.Name, outcome.Success, outcome.Duration.TotalSeconds, outcome.Error)).ToList(),
            snapshot.Iptables.SelectMany(observation => observation.Report.Ports.Select(port => new CheckHostPort(
                observation.Source.BackendLabel, observation.Source.FamilyLabel, port.Key.Protocol, port.Key.HostIp, port.Key.Port,
                port.Claims.Select(claim => new CheckClaim(claim.Position, claim.ContainerId, claim.Network, claim.Chain, claim.Destination, claim.Packets)).ToList()))).ToList(),
            snapshot.Conntrack,
            findings);
        await output.WriteAsync(options.Output == OutputFormat.Json
            ? JsonSerializer.Serialize(report, CheckJsonContext.Default.CheckReport) + "\n"
            : CheckTextReport.Render(report));
        await output.FlushAsync(cancellationToken);
        return exitCode;
    }
}
