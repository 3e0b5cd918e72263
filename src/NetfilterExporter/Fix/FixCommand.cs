using Microsoft.Extensions.Logging;
using NetfilterExporter.Assessment;
using NetfilterExporter.Collection;
using NetfilterExporter.Configuration;
using NetfilterExporter.Logging;
using NetfilterExporter.Repair;
using NetfilterExporter.Sources;

namespace NetfilterExporter.Fix;

/// <summary>
/// `netfilter-exporter fix [--apply]`: one collection like `check`, the repairs its evidence confirms
/// (<see cref="RepairPlanner"/>), printed; with --apply run table by table (<see cref="RepairApplier"/>) and verified by a
/// second collection. The only command that changes the node; the server cannot reach this namespace.
/// </summary>
public static class FixCommand
{
    public static async Task<int> RunAsync(ExporterOptions options, bool apply, TextWriter output, CancellationToken cancellationToken)
    {
        if (!Environment.IsPrivilegedProcess)
        {
            throw new UsageException("fix reads and changes this node's rules and needs root: sudo netfilter-exporter fix");
        }
        if (options.DumpFiles.Count > 0)
        {
            throw new UsageException($"fix repairs this node's own tables; --{Flags.FromFile} is for check");
        }
        using var loggers = LoggerFactory.Create(logging =>
        {
            LoggingSetup.Apply(logging, options);
            // The report names each failed collector; the same line on stderr would say it twice, as in check.
            logging.AddFilter(typeof(CollectorFailureLog).FullName, LogLevel.None);
        });
        var assessor = SourceTable.Assessor(options, loggers, TimeProvider.System);
        var before = await assessor.AssessAsync(cancellationToken);
        if (before.Health == NodeHealth.CouldNotCollect)
        {
            await output.WriteAsync($"netfilter-exporter fix: {before.Status}; nothing planned. Run `netfilter-exporter check` for the errors.\n");
            return (int)RepairExitCode.CouldNotCollect;
        }
        var plan = RepairPlanner.Plan(before);
        await output.WriteAsync(FixReport.Plan(plan));
        if (!apply || plan.IsEmpty)
        {
            await output.WriteAsync(plan.IsEmpty ? "" : "\nNothing was changed. To apply this plan: sudo netfilter-exporter fix --apply\n");
            // As check: 0 when the node is healthy, 1 while a finding remains (one to apply, or one left to a person).
            return (int)before.Health;
        }
        var result = await new RepairApplier(RepairTools.OnPath(options.CollectorTimeout, options.HostPaths.RootFs), loggers.CreateLogger("NetfilterExporter.Fix"), before.Snapshot.Node)
            .ApplyAsync(plan, cancellationToken);
        var verification = RepairVerifier.Verify(plan, await assessor.AssessAsync(cancellationToken));
        await output.WriteAsync(FixReport.Outcome(result, verification));
        await output.FlushAsync(cancellationToken);
        return (int)RepairExitCodes.Of(result, verification);
    }
}
