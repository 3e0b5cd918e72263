using NetfilterExporter.Collection;
using NetfilterExporter.Cri;
using NetfilterExporter.HostPorts;

namespace NetfilterExporter.Assessment;

/// <summary>
/// The guard against the non-atomic read, a step of every collection: the sandbox list and the nat tables are read in
/// parallel, so a sandbox created after the list was taken and before a dump would look stale. When the runtime join
/// leaves a claim not live, the runtime is asked again on the socket that answered after every dump has finished, and a claim is stale only when
/// neither list has its sandbox ready (<see cref="PodSandboxes.ConfirmedBy"/>).
/// </summary>
public sealed class RuntimeSecondLook : ICollectionStep
{
    public string Collector => CriCollector.CollectorName;

    public async Task<ICollectorResult> SettleAsync(ICollector collector, ICollectorResult first, IReadOnlyList<ICollectorResult> others, CancellationToken cancellationToken)
    {
        var listed = (PodSandboxes)first;
        // Ready in the first list, by full id or a unique prefix, is already live; anything else may be one created meanwhile.
        var unconfirmed = others.OfType<HostPortObservation>()
            .SelectMany(observation => observation.Report.Ports)
            .SelectMany(port => port.Claims)
            .Count(claim => claim.ContainerId != PortmapComment.Unknown && listed.Find(claim.ContainerId) is not { Ready: true });
        if (unconfirmed == 0)
        {
            return listed;
        }
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            return listed.ConfirmedBy(await ((ISandboxRelister)collector).ListAgainAsync(unconfirmed, cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The runtime answered; only the confirmation is missing.
            return listed.Unconfirmed();
        }
    }
}
