namespace NetfilterExporter.HostPorts;

/// <summary>
/// The comment portmap puts on its entry rules: dnat name: "NETWORK" id: "CONTAINER-ID". portmap cuts comments at
/// 255 characters, so the closing quote may be missing.
/// </summary>
public static class PortmapComment
{
    public const string Unknown = "unknown";

    private const string Start = "dnat name: \"";
    private const string IdSeparator = "\" id: \"";

    public static (string Network, string ContainerId) Read(string? comment)
    {
        if (comment is null || !comment.StartsWith(Start, StringComparison.Ordinal))
        {
            return (Unknown, Unknown);
        }
        // portmap formats the comment with "%s", unescaped: a network name may itself hold quotes, so the name runs
        // to the last '" id: "' (container ids are hex and never do).
        var separator = comment.LastIndexOf(IdSeparator, StringComparison.Ordinal);
        if (separator < Start.Length)
        {
            return (Unknown, Unknown);
        }
        var id = comment.AsSpan(separator + IdSeparator.Length);
        var quote = id.IndexOf('"');
        if (quote >= 0 && quote != id.Length - 1)
        {
            return (Unknown, Unknown);
        }
        return (comment[Start.Length..separator], (quote < 0 ? id : id[..quote]).ToString());
    }
}
