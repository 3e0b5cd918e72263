using NetfilterExporter.Collection;
using NetfilterExporter.DumpSources;

namespace NetfilterExporter.HostPorts;

/// <summary>An <c>iptables_&lt;backend&gt;_&lt;family&gt;</c> collector: reads one nat table and finds its host port claims.</summary>
public sealed class IptablesCollector(IDumpSource dumps) : ICollector
{
    public string Name => dumps.Source.CollectorName;

    public string Reads => dumps.Origin;

    public bool ReadsSavedFile => dumps is FileDumpSource;

    public async Task<ICollectorResult> CollectAsync(CancellationToken cancellationToken) =>
        new HostPortObservation(dumps.Source, HostPortAnalyzer.Analyze(await dumps.ReadAsync(cancellationToken))) { FromSavedFile = ReadsSavedFile };
}
