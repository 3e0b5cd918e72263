namespace NetfilterExporter.Nftables;

/// <summary>
/// A rule of the table in chain order. <see cref="Handle"/> names it for <c>nft delete rule … handle N</c>;
/// portmap writes the sandbox id into <see cref="Comment"/>.
/// </summary>
/// <param name="Where">Where the rule is in the JSON, for error messages ("$.nftables[12]").</param>
public sealed record NftRule(string Chain, long Handle, string? Comment, IReadOnlyList<NftStatement> Statements, string Where);
