namespace NetfilterExporter.TestSupport.Tables;

/// <summary>
/// What a generated nat table looks like: at least <paramref name="Rules"/> rules, mostly kube-proxy services,
/// plus <paramref name="HostPortPods"/> portmap pods with two host ports each, of which the first
/// <paramref name="StalePods"/> also left a stale claim from before a stop/start (the duplicate failure).
/// </summary>
public sealed record TableShape(int Rules, int HostPortPods = 20, int StalePods = 1)
{
    public void Validate()
    {
        if (Rules < 1 || HostPortPods < 0 || StalePods < 0 || StalePods > HostPortPods)
        {
            throw new ArgumentException($"bad table shape {this}: need rules >= 1 and 0 <= stale pods <= host-port pods");
        }
        if (HostPortPods > 15_000)
        {
            throw new ArgumentException($"bad table shape {this}: at most 15000 host-port pods (two ports each from 30000)");
        }
    }
}
