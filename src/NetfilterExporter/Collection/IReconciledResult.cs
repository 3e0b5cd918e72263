namespace NetfilterExporter.Collection;

/// <summary>
/// A result that is final only once every other collector of the same collection has finished: it may read its
/// source again in the light of what the others saw. <see cref="NodeCollector"/> calls it under the collection's
/// deadline; a failure fails this collector alone.
/// </summary>
public interface IReconciledResult : ICollectorResult
{
    Task<ICollectorResult> ReconcileAsync(IReadOnlyList<ICollectorResult> others, CancellationToken cancellationToken);
}
