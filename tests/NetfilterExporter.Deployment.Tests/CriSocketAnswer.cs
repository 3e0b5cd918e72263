using NetfilterExporter.TestSupport.Cri;

namespace NetfilterExporter.Deployment.Tests;

/// <summary>What a <see cref="CriSocketServer"/> answers to ListPodSandbox, and how often it was asked.</summary>
public sealed class CriSocketAnswer(IReadOnlyList<PodSandbox> sandboxes)
{
    private int _calls;

    public IReadOnlyList<PodSandbox> Sandboxes { get; } = sandboxes;

    public int Calls => Volatile.Read(ref _calls);

    public ListPodSandboxResponse Answer()
    {
        Interlocked.Increment(ref _calls);
        return new ListPodSandboxResponse { Items = { Sandboxes } };
    }
}
