using CliWrap;
using Microsoft.Extensions.Logging;
using NetfilterExporter.DumpSources;
using NetfilterExporter.Processes;

namespace NetfilterExporter.Repair;

/// <summary>
/// Runs a plan: per table, the guard's second read, then the table's one transaction (<c>&lt;iptables&gt;-restore
/// --noflush</c> or <c>nft -f -</c>); then nf_conntrack. Each change is logged as one line naming the node, the rule and
/// the sandbox. Only `fix --apply` constructs it: nothing the server runs references this namespace (a unit test checks).
/// </summary>
public sealed class RepairApplier(RepairTools tools, ILogger logger)
{
    public async Task<RepairResult> ApplyAsync(RepairPlan plan, CancellationToken cancellationToken)
    {
        var tables = new List<TableRepairResult>();
        foreach (var table in plan.Tables)
        {
            tables.Add(cancellationToken.IsCancellationRequested
                ? new TableRepairResult(table, RepairStatus.Interrupted, [], null)
                : await ApplyAsync(table, plan.Node, cancellationToken));
        }
        var conntrack = plan.Conntrack is not { } repair ? null
            : cancellationToken.IsCancellationRequested ? new ConntrackRepairResult(repair, RepairStatus.Interrupted, null)
            : await ApplyAsync(repair, plan.Node);
        return new RepairResult(plan, tables, conntrack);
    }

    public async Task<TableRepairResult> ApplyAsync(TableRepair repair, string? planNode, CancellationToken cancellationToken)
    {
        var nodeName = planNode ?? "this node";
        IReadOnlyList<string> changes;
        try
        {
            changes = await TableGuard.CheckAsync(repair, tools, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new TableRepairResult(repair, RepairStatus.Interrupted, [], null);
        }
        catch (Exception exception)
        {
            logger.LogError("{Node}: did not repair the {Table} nat table: it could not be read again: {Error}", nodeName, repair.Source.ToString(), exception.Message);
            return new TableRepairResult(repair, RepairStatus.Failed, [], $"could not read the table again: {exception.Message}");
        }
        if (changes.Count > 0)
        {
            foreach (var change in changes)
            {
                logger.LogWarning("{Node}: aborted the repair of the {Table} nat table, nothing changed: {Change}", nodeName, repair.Source.ToString(), change);
            }
            return new TableRepairResult(repair, RepairStatus.Aborted, changes, null);
        }
        if (await RunAsync(repair.Program, repair.Arguments, repair.Transaction) is ({ } status, { } error))
        {
            logger.LogError(status == RepairStatus.TimedOut
                    ? "{Node}: {Program} was killed at the timeout on the {Table} nat table; whether it committed is not known: {Error}"
                    : "{Node}: {Program} failed on the {Table} nat table, nothing changed: {Error}",
                nodeName, repair.Program, repair.Source.ToString(), error);
            return new TableRepairResult(repair, status, [], error);
        }
        foreach (var deletion in repair.Deletions)
        {
            logger.LogInformation("{Node}: deleted {Rule} from the {Table} nat table (sandbox {Sandbox}, pod {Pod}; {Finding})",
                nodeName, deletion.Rule(repair.Source), repair.Source.ToString(), deletion.Deletion.SandboxId ?? "none", deletion.Pod ?? "not listed", deletion.Why);
        }
        return new TableRepairResult(repair, RepairStatus.Applied, [], null);
    }

    /// <summary>Once started, the nf_conntrack repair runs to its end, as a table's transaction does.</summary>
    public async Task<ConntrackRepairResult> ApplyAsync(ConntrackRepair repair, string? planNode)
    {
        var nodeName = planNode ?? "this node";
        if (repair.LoadNow)
        {
            if (await RunAsync("modprobe", ["nf_conntrack"], null) is ({ } status, { } error))
            {
                logger.LogError("{Node}: modprobe nf_conntrack failed: {Error}", nodeName, error);
                return new ConntrackRepairResult(repair, status, $"modprobe nf_conntrack: {error}");
            }
            logger.LogInformation("{Node}: loaded nf_conntrack (modprobe nf_conntrack)", nodeName);
        }
        if (repair.BootFile is { } file)
        {
            var path = Path.Combine(tools.RootFs, file.TrimStart('/'));
            try
            {
                await WriteNewFileAsync(path);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                logger.LogError("{Node}: did not write {File}: {Error}", nodeName, file, exception.Message);
                return new ConntrackRepairResult(repair, RepairStatus.Failed, $"{file}: {exception.Message}");
            }
            logger.LogInformation("{Node}: wrote {File} so that nf_conntrack loads at boot", nodeName, file);
        }
        return new ConntrackRepairResult(repair, RepairStatus.Applied, null);
    }

    /// <summary>
    /// Writes the boot file beside its place and renames it there, so a crash leaves no half-written file; a file already
    /// there is never replaced (the plan saw none listing the module: one there now was written since, or lists other modules).
    /// </summary>
    private static async Task WriteNewFileAsync(string path)
    {
        if (File.Exists(path))
        {
            throw new IOException("it exists now; left as it is");
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".netfilter-exporter.tmp";
        try
        {
            await File.WriteAllTextAsync(temporary, ConntrackRepair.BootFileContent);
            File.Move(temporary, path, overwrite: false);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>
    /// Runs a program with a minimal environment through the collectors' bounded runner (one deadline, standard error
    /// kept bounded, no process left behind): (null, null) when it succeeded, else <see cref="RepairStatus.Failed"/>
    /// with its standard error or why it did not start, or <see cref="RepairStatus.TimedOut"/>. Not cancellable, and in
    /// a session of its own (setsid): Ctrl-C at a terminal signals the whole foreground process group, and a change
    /// killed half way would leave unknown whether it was made.
    /// </summary>
    private async Task<(RepairStatus? Status, string? Error)> RunAsync(string program, IReadOnlyList<string> arguments, string? input)
    {
        try
        {
            var session = DumpSourceSet.FindOnPath("setsid") ?? throw new FileNotFoundException($"setsid (util-linux) not found ({DumpSourceSet.SearchedPlaces})");
            await Cli.Wrap(session)
                .WithArguments(["--wait", tools.Require(program), .. arguments])
                .WithStandardInputPipe(input is null ? PipeSource.Null : PipeSource.FromString(input))
                .WithEnvironmentVariables(ExplicitEnvironment.Exactly(ExplicitEnvironment.Minimal))
                .ExecuteBoundedAsync(new CommandLimits(tools.Timeout), (_, _) => Task.CompletedTask, CancellationToken.None);
            return (null, null);
        }
        catch (CommandFailedException failed)
        {
            return failed.Kind switch
            {
                CommandFailureKind.TimedOut => (RepairStatus.TimedOut, failed.Message),
                CommandFailureKind.NonZeroExit when failed.StandardError.Length > 0 => (RepairStatus.Failed, failed.StandardError),
                _ => (RepairStatus.Failed, failed.Message),
            };
        }
        catch (FileNotFoundException missing)
        {
            return (RepairStatus.Failed, missing.Message);
        }
    }
}
