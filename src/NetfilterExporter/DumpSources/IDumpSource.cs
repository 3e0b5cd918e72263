using NetfilterExporter.Iptables;

namespace NetfilterExporter.DumpSources;

/// <summary>Where one backend and family's nat table comes from: a save command, or a saved file.</summary>
public interface IDumpSource
{
    RuleSource Source { get; }

    /// <summary>What is read, for the start-up log: the save command's path, the dump file, or why there is none.</summary>
    string Origin { get; }

    Task<NatTable> ReadAsync(CancellationToken cancellationToken);
}
