using NetfilterExporter.Iptables;

namespace NetfilterExporter.Configuration;

/// <summary>An --iptables.from-file value: a saved dump and the backend and family it was read from.</summary>
public sealed record DumpFile(string Path, RuleSource Source);
