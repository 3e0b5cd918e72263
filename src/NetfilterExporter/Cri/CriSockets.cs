using NetfilterExporter.Configuration;
using NetfilterExporter.Host;

namespace NetfilterExporter.Cri;

/// <summary>Where <c>--cri.endpoint</c> points on this node, found anew for every collection.</summary>
public static class CriSockets
{
    /// <summary>
    /// The sockets to try in this collection, in order; empty when there is none to ask. In auto mode every candidate
    /// that exists, so that a containerd without its CRI plugin (Docker's) does not hide k3s' or CRI-O's runtime.
    /// Resolved on every collection, so a runtime installed after the exporter started is found without a restart.
    /// </summary>
    public static IReadOnlyList<string> Resolve(this CriEndpoint endpoint, string rootFs) => endpoint.Mode switch
    {
        CriEndpointMode.Explicit => [endpoint.SocketPath!],
        CriEndpointMode.Auto => CriEndpoint.AutoCandidates.Select(candidate => UnderRoot(rootFs, candidate)).Where(File.Exists).OfType<string>().ToList(),
        _ => [],
    };

    private static string? UnderRoot(string rootFs, string candidate)
    {
        try
        {
            return new RootFileSystem(rootFs).Resolve(candidate).HostPath;
        }
        catch (HostFileException)
        {
            // A link loop or an unreadable directory on the way: no runtime socket there.
            return null;
        }
    }
}
