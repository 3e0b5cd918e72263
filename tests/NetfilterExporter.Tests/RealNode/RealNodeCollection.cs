namespace NetfilterExporter.Tests.RealNode;

/// <summary>
/// Tests that run a real containerd node (<see cref="NetfilterExporter.TestSupport.ContainerdNode"/>) share this
/// collection, so they run one after another: containerd, its shims and runc are heavy on a 2-core machine, and one
/// node at a time keeps their timings (and the host port probes' timeouts) meaningful.
/// </summary>
[CollectionDefinition(Name)]
public sealed class RealNodeCollection
{
    public const string Name = "real node";
}
