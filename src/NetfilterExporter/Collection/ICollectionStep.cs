namespace NetfilterExporter.Collection;

/// <summary>
/// A second look that settles one collector's result once every collector of the collection has read its source,
/// in the light of what the others saw. <see cref="NodeCollector"/> runs it under the same deadline; its time counts
/// as the collector's, and a failure fails that collector alone.
/// </summary>
public interface ICollectionStep
{
    /// <summary>The collector whose result this step settles; the step runs only when that collector succeeded.</summary>
    string Collector { get; }

    Task<ICollectorResult> SettleAsync(ICollector collector, ICollectorResult first, IReadOnlyList<ICollectorResult> others, CancellationToken cancellationToken);
}
