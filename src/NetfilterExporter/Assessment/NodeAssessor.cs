using NetfilterExporter.Collection;

namespace NetfilterExporter.Assessment;

/// <summary>One collection, assessed with every source's reporter: what a scrape, the landing page and `check` start from.</summary>
public sealed class NodeAssessor(NodeCollector collector, IReadOnlyList<SourceReporter> reporters)
{
    public NodeCollector Collector => collector;

    public async Task<NodeAssessment> AssessAsync(CancellationToken cancellationToken) =>
        NodeAssessment.Of(await collector.CollectAsync(cancellationToken), reporters);
}
