namespace NetfilterExporter.Iptables;

/// <summary>
/// The chain names a dump declared, kept as 64-bit hashes of their bytes rather than strings: a kube-proxy
/// table declares tens of thousands of KUBE-SVC-*/KUBE-SEP-* chains, and remembering them must not cost a
/// string each. The two 32-bit halves come from HashCode, which is seeded per process, so no dump can be
/// crafted to collide; an accidental collision among 100,000 names has odds below 1 in 10^9.
/// </summary>
internal sealed class DeclaredChains
{
    private readonly HashSet<ulong> hashes = [];

    /// <returns>False when the name was declared before.</returns>
    public bool Add(ReadOnlySpan<byte> name) => hashes.Add(Hash(name));

    public bool Contains(ReadOnlySpan<byte> name) => hashes.Contains(Hash(name));

    private static ulong Hash(ReadOnlySpan<byte> name)
    {
        var low = new HashCode();
        low.AddBytes(name);
        var high = new HashCode();
        high.Add(name.Length);
        high.AddBytes(name);
        return (ulong)(uint)high.ToHashCode() << 32 | (uint)low.ToHashCode();
    }
}
