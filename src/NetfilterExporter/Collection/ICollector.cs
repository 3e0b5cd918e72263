namespace NetfilterExporter.Collection;

/// <summary>
/// Reads one source of node state. <see cref="NodeCollector"/> runs every collector of a collection in
/// parallel under one deadline; a collector that throws or runs out of time yields success 0 and no data.
/// </summary>
public interface ICollector
{
    /// <summary>The <c>collector</c> label of netfilter_scrape_collector_success, and the name in logs and `check`.</summary>
    string Name { get; }

    /// <summary>What this collector found to read in this collection (a command, a socket, a directory), for the start-up log.</summary>
    string Reads { get; }

    /// <summary>
    /// True when it reads a saved file instead of this node's live state, so that `check` can say which: a report on a
    /// saved dump must never be taken for the node's own.
    /// </summary>
    bool ReadsSavedFile => false;

    /// <param name="cancellationToken">The collection's shared deadline (--collector.timeout).</param>
    Task<ICollectorResult> CollectAsync(CancellationToken cancellationToken);
}
