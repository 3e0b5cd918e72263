using NetfilterExporter.Collection;
using NetfilterExporter.Findings;
using NetfilterExporter.Iptables;

namespace NetfilterExporter.HostPorts;

/// <summary>The hostPort view of the nat table of one backend and family.</summary>
public sealed record HostPortObservation(RuleSource Source, HostPortReport Report) : ICollectorResult
{
    /// <summary>Read from a saved dump (--iptables.from-file), not from this machine's table: `fix` cannot repair it.</summary>
    public bool FromSavedFile { get; init; }

    /// <summary><see cref="ExporterFix.Step"/> where `fix` can repair what this table shows: only this machine's own.</summary>
    public IReadOnlyList<FixStep> ExporterFixes => FromSavedFile ? [] : [ExporterFix.Step];
}
