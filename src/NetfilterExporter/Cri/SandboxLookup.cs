namespace NetfilterExporter.Cri;

/// <summary>What the runtime's list says about one sandbox id from a rule comment.</summary>
public enum SandboxLookup
{
    /// <summary>Listed (ready or not): see the sandbox.</summary>
    Listed,

    /// <summary>Not in the list: gone, if the list can be trusted for it.</summary>
    NotListed,

    /// <summary>Not in the list, but held by the runtime's own stores: a sandbox being created, its pod starting.</summary>
    BeingCreated,

    /// <summary>A cut id whose prefix matches more than one sandbox: no evidence either way.</summary>
    Ambiguous,
}
