using NetfilterExporter.Iptables;

namespace NetfilterExporter.DumpSources;

/// <summary>
/// A backend configured explicitly whose save command is not installed: it fails every collection, saying
/// so, until the command appears.
/// </summary>
public sealed class MissingCommandDumpSource(RuleSource source, string searched) : IDumpSource
{
    public RuleSource Source { get; } = source;

    // Only the command: its failure, printed with it, says it is not found.
    public string Origin => Source.SaveCommand;

    public Task<NatTable> ReadAsync(CancellationToken cancellationToken) =>
        Task.FromException<NatTable>(new FileNotFoundException($"{Source.SaveCommand} not found ({searched}); install iptables or set --iptables.save-command.{Source.BackendLabel}-{Source.FamilyLabel}"));
}
