using NetfilterExporter.Iptables;

namespace NetfilterExporter.DumpSources;

/// <summary>A saved "iptables-save -c -t nat" file, re-read on every collection so edits show up.</summary>
public sealed class FileDumpSource(RuleSource source, string path) : IDumpSource
{
    public RuleSource Source { get; } = source;

    public string Path { get; } = path;

    public string Origin => Path;

    public async Task<NatTable> ReadAsync(CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 64 * 1024, useAsync: true);
        return await NatTableParser.ParseAsync(stream, Path, cancellationToken);
    }
}
