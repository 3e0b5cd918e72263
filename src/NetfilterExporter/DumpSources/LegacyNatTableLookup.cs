using NetfilterExporter.Iptables;

namespace NetfilterExporter.DumpSources;

/// <summary>
/// Which legacy xtables tables exist in the exporter's network namespace. Reading a legacy table that does not
/// exist makes the kernel create it (iptables-legacy-save -t nat registers an empty nat table, and loads
/// iptable_nat), so the exporter looks here first and never runs the save command for a table that is not there.
/// The file is readable by root only (0440): an unprivileged exporter with just CAP_NET_ADMIN and CAP_NET_RAW
/// cannot check and reads the table as before; on MicroK8s nodes the legacy nat table exists anyway.
/// </summary>
public sealed class LegacyNatTableLookup(string procNet = "/proc/net")
{
    public bool Exists(IpFamily family)
    {
        var names = Path.Combine(procNet, family == IpFamily.IPv4 ? "ip_tables_names" : "ip6_tables_names");
        try
        {
            // Absent when ip_tables is not even loaded: then there is certainly no legacy nat table.
            return File.Exists(names) && File.ReadLines(names).Any(line => line.Trim() == "nat");
        }
        catch (UnauthorizedAccessException)
        {
            return true;
        }
        catch (IOException exception)
        {
            throw new IOException($"cannot read {names}: {exception.Message}", exception);
        }
    }
}
