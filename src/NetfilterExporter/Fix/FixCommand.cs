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
    /// <summary>
    /// Between the two looks (<see cref="PlanAgreement"/>). A pod containerd is creating is already left alone (its stores
    /// hold it); the second look is for what changes meanwhile, and for a runtime whose stores cannot say.
    /// </summary>
    public static readonly TimeSpan SecondLookDelay = TimeSpan.FromSeconds(2);

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
        // The guard and the transactions run the programs found on PATH; a collection through other ones could plan
        // from rules the guard never reads again.
        if (options.SaveCommandOverrides.Count > 0 || options.NftCommand is not null)
        {
            throw new UsageException($"fix reads and changes the tables with the programs on PATH; --{Flags.SaveCommandPrefix}* and --{Flags.NftCommand} are for check and the server");
        }
        using var loggers = LoggerFactory.Create(logging =>
        {
            LoggingSetup.Apply(logging, options);
            // The report names each failed collector; the same line on stderr would say it twice, as in check.
            logging.AddFilter(typeof(CollectorFailureLog).FullName, LogLevel.None);
            // Every change is logged, whatever --log.level says.
            logging.AddFilter(ChangeLog, LogLevel.Information);
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
        RepairPlan agreed;
        IReadOnlyList<TableRepairResult> disagreed;
        try
        {
            await Task.Delay(SecondLookDelay, TimeProvider.System, cancellationToken);
            (agreed, disagreed) = PlanAgreement.Of(plan, RepairPlanner.Plan(await assessor.AssessAsync(cancellationToken)));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await output.WriteAsync("\nInterrupted before anything was changed.\n");
            return (int)RepairExitCode.Interrupted;
        }
        var changes = loggers.CreateLogger(ChangeLog);
        RepairResult applied;
        using (cancellationToken.Register(() => changes.LogWarning("{Node}: interrupted: the change under way runs to its end, and nothing after it", plan.Node ?? "this node")))
        {
            applied = await new RepairApplier(RepairTools.OnPath(options.CollectorTimeout, options.HostPaths.RootFs), changes).ApplyAsync(agreed, cancellationToken);
        }
        var result = applied with { Plan = plan, Tables = [.. disagreed, .. applied.Tables] };
        NodeAssessment after;
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            after = await assessor.AssessAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // What was applied is said before anything else: the operator must know which tables changed.
            await output.WriteAsync(result.MayHaveChanged ? FixReport.Interrupted(result) : "\nInterrupted before anything was changed.\n");
            return (int)RepairExitCode.Interrupted;
        }
        var verification = RepairVerifier.Verify(agreed, after);
        await output.WriteAsync(FixReport.Outcome(result, verification));
        var exit = RepairExitCodes.Of(result, verification);
        if (exit == RepairExitCode.Repaired && after.Health == NodeHealth.CouldNotCollect)
        {
            // Nothing planned is left, but a collector failed: the node's health is not known.
            await output.WriteAsync($"The collection after the repair is incomplete ({after.Status}): run `netfilter-exporter check`.\n");
            exit = RepairExitCode.Left;
        }
        // The outcome is written whole: an interrupt now must not turn it into "interrupted".
        await output.FlushAsync(CancellationToken.None);
        return (int)exit;
    }

    /// <summary>The log category of the changes, one line each (docs/contract.md §6).</summary>
    private const string ChangeLog = "NetfilterExporter.Fix";
}
