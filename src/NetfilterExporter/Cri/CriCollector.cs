using Microsoft.Extensions.Logging;
using NetfilterExporter.Collection;

namespace NetfilterExporter.Cri;

/// <summary>
/// The <c>cri</c> collector: which pod sandboxes the container runtime lists, and which of them are ready. Of several
/// candidate sockets (auto mode) the first that serves CRI is asked; one that answers gRPC without the runtime
/// service is skipped.
/// </summary>
public sealed class CriCollector(IReadOnlyList<string> sockets, ILogger logger) : ICollector
{
    public const string CollectorName = "cri";

    public string Name => CollectorName;

    public async Task<ICollectorResult> CollectAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; ; i++)
        {
            try
            {
                var socket = sockets[i];
                var listed = await CriClient.ListPodSandboxesAsync(socket, cancellationToken);
                return new PodSandboxes(listed, (unconfirmed, token) => AskAgainAsync(socket, unconfirmed, token));
            }
            catch (CriException notCri) when (notCri.NotCri && i + 1 < sockets.Count)
            {
                logger.LogDebug("cri: {Error}; trying the next socket", notCri.Message);
            }
        }
    }

    private async Task<PodSandboxes> AskAgainAsync(string socket, int unconfirmed, CancellationToken cancellationToken)
    {
        logger.LogDebug("cri: {Claims} claim(s) not live in the first list, asking the runtime again after the dumps", unconfirmed);
        return new PodSandboxes(await CriClient.ListPodSandboxesAsync(socket, cancellationToken), askAgain: null);
    }
}
