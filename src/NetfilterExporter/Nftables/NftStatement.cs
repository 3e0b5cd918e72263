namespace NetfilterExporter.Nftables;

/// <summary>One statement of a rule, as far as portmap's rules need one told apart from another.</summary>
public abstract record NftStatement
{
    /// <summary><c>LEFT == RIGHT</c>: <see cref="Left"/> as nft writes it ("tcp dport", "ip daddr", "fib daddr type").</summary>
    public sealed record Match(string Left, string Operator, string Right) : NftStatement;

    /// <summary><c>jump CHAIN</c> or <c>goto CHAIN</c>.</summary>
    public sealed record Jump(string Target, bool Goto) : NftStatement;

    /// <summary><c>dnat to ADDRESS[:PORT]</c>.</summary>
    public sealed record Dnat(string Address, int? Port) : NftStatement;

    public sealed record Masquerade : NftStatement;

    public sealed record Counter(ulong Packets, ulong Bytes) : NftStatement;

    /// <summary>A statement of a kind portmap does not write; named so an error can say which.</summary>
    public sealed record Other(string Kind) : NftStatement;
}
