using System.Globalization;
using CliWrap;
using CliWrap.Buffered;
using Microsoft.Extensions.Logging;
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
            tables.Add(await ApplyAsync(table, plan.Node, cancellationToken));
        }
        var conntrack = plan.Conntrack is { } repair ? await ApplyAsync(repair, plan.Node, cancellationToken) : null;
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
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
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
        var (exitCode, error) = await RunAsync(repair.Program, repair.Arguments, repair.Transaction, cancellationToken);
        if (exitCode != 0)
        {
            logger.LogError("{Node}: {Program} failed on the {Table} nat table, nothing changed: {Error}", nodeName, repair.Program, repair.Source.ToString(), error);
            return new TableRepairResult(repair, RepairStatus.Failed, [], error);
        }
        foreach (var deletion in repair.Deletions)
        {
            logger.LogInformation("{Node}: deleted {Rule} from the {Table} nat table (sandbox {Sandbox}, pod {Pod}; {Finding})",
                nodeName, deletion.Rule(repair.Source), repair.Source.ToString(), deletion.Deletion.SandboxId ?? "none", deletion.Pod ?? "not listed", deletion.Why);
        }
        return new TableRepairResult(repair, RepairStatus.Applied, [], null);
    }

    public async Task<ConntrackRepairResult> ApplyAsync(ConntrackRepair repair, string? planNode, CancellationToken cancellationToken)
    {
        var nodeName = planNode ?? "this node";
        if (repair.LoadNow)
        {
            var (exitCode, error) = await RunAsync("modprobe", ["nf_conntrack"], null, cancellationToken);
            if (exitCode != 0)
            {
                logger.LogError("{Node}: modprobe nf_conntrack failed: {Error}", nodeName, error);
                return new ConntrackRepairResult(repair, RepairStatus.Failed, $"modprobe nf_conntrack: {error}");
            }
            logger.LogInformation("{Node}: loaded nf_conntrack (modprobe nf_conntrack)", nodeName);
        }
        if (repair.BootFile is { } file)
        {
            var path = Path.Combine(tools.RootFs, file.TrimStart('/'));
            try
            {
                await WriteNewFileAsync(path, cancellationToken);
            }
            catch (IOException exception)
            {
                logger.LogError("{Node}: did not write {File}: {Error}", nodeName, file, exception.Message);
                return new ConntrackRepairResult(repair, RepairStatus.Failed, $"{file}: {exception.Message}");
            }
            catch (UnauthorizedAccessException exception)
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
    private static async Task WriteNewFileAsync(string path, CancellationToken cancellationToken)
    {
        if (File.Exists(path))
        {
            throw new IOException("it exists now; left as it is");
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".netfilter-exporter.tmp";
        try
        {
            await File.WriteAllTextAsync(temporary, ConntrackRepair.BootFileContent, cancellationToken);
            File.Move(temporary, path, overwrite: false);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>Runs a program with a minimal environment, bounded by the tools' timeout; its exit code and standard error.</summary>
    private async Task<(int ExitCode, string Error)> RunAsync(string program, IReadOnlyList<string> arguments, string? input, CancellationToken cancellationToken)
    {
        string path;
        try
        {
            path = tools.Require(program);
        }
        catch (FileNotFoundException missing)
        {
            return (-1, missing.Message);
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(tools.Timeout);
        try
        {
            var result = await Cli.Wrap(path)
                .WithArguments(arguments)
                .WithStandardInputPipe(input is null ? PipeSource.Null : PipeSource.FromString(input))
                .WithEnvironmentVariables(ExplicitEnvironment.Exactly(ExplicitEnvironment.Minimal))
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(deadline.Token);
            return (result.ExitCode, result.StandardError.Trim());
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (-1, string.Create(CultureInfo.InvariantCulture, $"{program} did not finish in {tools.Timeout.TotalSeconds:0.#} s and was killed"));
        }
    }
}
