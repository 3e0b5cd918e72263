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

    [GeneratedRegex("""^dnat name: "(?<network>[^"]*)" id: "(?<id>[^"]*)"?""", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
