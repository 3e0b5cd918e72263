namespace NetfilterExporter.MicroK8s;

/// <summary>What MicroK8s' container removal does to the iptables-legacy CNI-HOSTPORT-DNAT chain.</summary>
public enum HostPortFlush
{
    /// <summary>Nothing (before canonical/microk8s#4963).</summary>
    None,

    /// <summary>Flushes it as the calling user (#4963): a stop by a non-root member of the microk8s group fails to (#5005).</summary>
    AsCaller,

    /// <summary>Flushes it with run_with_sudo (#5021).</summary>
    AsRoot,
}
