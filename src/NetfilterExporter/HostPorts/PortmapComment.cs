using System.Text.RegularExpressions;

namespace NetfilterExporter.HostPorts;

/// <summary>
/// The comment portmap puts on its entry rules: dnat name: "NETWORK" id: "CONTAINER-ID". portmap cuts comments at
/// 255 characters, so the closing quote may be missing.
/// </summary>
public static partial class PortmapComment
{
    public const string Unknown = "unknown";

    public static (string Network, string ContainerId) Read(string? comment)
    {
        if (comment is not null)
        {
            var match = Pattern().Match(comment);
            if (match.Success)
            {
                return (match.Groups["network"].Value, match.Groups["id"].Value);
            }
        }
        return (Unknown, Unknown);
    }

    // portmap formats the comment with "%s", unescaped: a network name may itself hold quotes, so the name runs
    // to the last '" id: "' (container ids are hex and never do).
    [GeneratedRegex("""^dnat name: "(?<network>.*)" id: "(?<id>[^"]*)"?$""", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex Pattern();
}
