namespace NetfilterExporter.Configuration;

/// <summary>How <c>--cri.endpoint</c> picks the container runtime to ask.</summary>
public enum CriEndpointMode
{
    /// <summary>Every well-known socket that exists, in order, until one serves CRI; none is not an error (the node may run no CRI runtime).</summary>
    Auto,

    /// <summary>One socket named by the operator: when it cannot be asked, the <c>cri</c> collector fails.</summary>
    Explicit,

    /// <summary>Never ask a runtime: every claim is <c>unknown</c>.</summary>
    None,
}
