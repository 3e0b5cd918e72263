using System.Text.RegularExpressions;

namespace NetfilterExporter.Findings;

/// <summary>The fix that stops stale portmap rules from coming back, shared by every host port finding that offers it.</summary>
public static partial class MicroK8sUpgrade
{
    /// <summary>The upgrade, on the node's own track when its MicroK8s version is known (null: no MicroK8s build was read).</summary>
    public static FixStep For(string? version) => new(
        "Upgrade to a MicroK8s revision that contains canonical/microk8s#4963 and #5021 (builds after 2025-04-16), and stop MicroK8s with sudo:",
        [$"sudo snap refresh microk8s --channel={Track(version)}/stable"],
        FixKind.Prevention);

    /// <summary>The snap track of a version: v1.32.2 → 1.32; anything else is named as a placeholder.</summary>
    public static string Track(string? version) =>
        version is not null && TrackOf().Match(version) is { Success: true } match ? match.Groups[1].Value : "<your track>";

    [GeneratedRegex(@"^v?(\d+\.\d+)")]
    private static partial Regex TrackOf();
}
