using NetfilterExporter.Collection;
using NetfilterExporter.Cri;
using NetfilterExporter.HostPorts;

namespace NetfilterExporter.Assessment;

/// <summary>
/// The guard against the non-atomic read, a step of every collection: the sandbox list and the nat tables are read in
/// parallel, so a sandbox created after the list was taken and before a dump would look stale. When the runtime join
/// leaves a claim not live, the runtime is asked again on the socket that answered after every dump has finished, and a claim is stale only when
/// neither list has its sandbox ready (<see cref="PodSandboxes.ConfirmedBy"/>). A claim that neither list holds is
/// then looked up in the runtime's own stores, which hold a sandbox being created (<see cref="ContainerdStores"/>).
/// </summary>
public sealed class RuntimeSecondLook : ICollectionStep
{
    public string Collector => CriCollector.CollectorName;

    public async Task<ICollectorResult> SettleAsync(ICollector collector, ICollectorResult first, IReadOnlyList<ICollectorResult> others, CancellationToken cancellationToken)
    {
        var listed = (PodSandboxes)first;
        var claimed = others.OfType<HostPortObservation>()
            .SelectMany(observation => observation.Report.Ports)
            .SelectMany(port => port.Claims)
            .Select(claim => claim.ContainerId)
            .Where(id => id != PortmapComment.Unknown)
            .ToList();
        // Ready in the first list, by full id or a unique prefix, is already live; anything else may be one created meanwhile.
        var unconfirmed = claimed.Count(id => listed.Find(id) is not { Ready: true });
        if (unconfirmed == 0)
        {
            return listed;
        }
        var relister = (ISandboxRelister)collector;
        PodSandboxes settled;
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            settled = listed.ConfirmedBy(await relister.ListAgainAsync(unconfirmed, cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The runtime answered; only the confirmation is missing.
            return listed.Unconfirmed();
        }
        // CRI lists a sandbox only once it is ready, after portmap wrote its rules: a claim no list holds may be a pod
        // being created, which the runtime's own stores can tell from a pod that is gone. They are asked by whole id.
        var notListed = claimed
            .Where(id => id.Length == ContainerIds.FullLength && settled.Lookup(id).Result == SandboxLookup.NotListed)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (notListed.Count == 0)
        {
            return settled;
        }
        try
        {
            return await relister.BeingCreatedAsync(notListed, cancellationToken) is { Count: > 0 } creating ? settled.WithBeingCreated(creating) : settled;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Both lists stand; whether a claim no list holds is being created is not known.
            return settled.Unconfirmed();
        }
    }
}
