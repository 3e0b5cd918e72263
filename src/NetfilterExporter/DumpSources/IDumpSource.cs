using NetfilterExporter.Iptables;

namespace NetfilterExporter.DumpSources;

/// <summary>Where one backend and family's nat table comes from: a save command, or a saved file.</summary>
public interface IDumpSource
{
    RuleSource Source { get; }

    Task<NatTable> ReadAsync(CancellationToken cancellationToken);
}
