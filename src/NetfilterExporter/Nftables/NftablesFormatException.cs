namespace NetfilterExporter.Nftables;

/// <summary>Output that is not the nftables JSON expected: names its origin and where in the JSON.</summary>
public sealed class NftablesFormatException(string origin, string where, string problem, Exception? inner = null)
    : Exception($"{origin}: {where}: {problem}", inner)
{
    public string Origin { get; } = origin;

    public string Where { get; } = where;
}
