namespace NetfilterExporter.Findings;

/// <summary>The fix that stops stale portmap rules from coming back, shared by every host port finding that offers it.</summary>
public static class MicroK8sUpgrade
{
    public static FixStep Step { get; } = new(
        "Upgrade to a MicroK8s revision that contains canonical/microk8s#4963 and #5021 (builds after 2025-04-16), and stop MicroK8s with sudo:",
        ["sudo snap refresh microk8s --channel=<your track>/stable"],
        FixKind.Prevention);
}
