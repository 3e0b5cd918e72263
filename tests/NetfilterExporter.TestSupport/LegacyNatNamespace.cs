namespace NetfilterExporter.TestSupport;

/// <summary>
/// A namespace whose legacy nat tables (IPv4 and IPv6) exist but are empty. The exporter only runs a legacy
/// save command when the table exists (reading it would create it), so tests that put fake save commands in
/// its place run the exporter in here.
/// </summary>
public static class LegacyNatNamespace
{
    public static async Task<NetworkNamespace> CreateAsync()
    {
        var ns = await NetworkNamespace.CreateAsync();
        try
        {
            await ns.RestoreAsync("iptables-legacy-restore", "*nat\nCOMMIT\n");
            await ns.RestoreAsync("ip6tables-legacy-restore", "*nat\nCOMMIT\n");
            return ns;
        }
        catch
        {
            await ns.DisposeAsync();
            throw;
        }
    }
}
