namespace NetfilterExporter.Repair;

/// <summary>Why `fix` leaves something alone.</summary>
public enum NotPlannedReason
{
    /// <summary>The runtime lists the claim's sandbox as ready: its pod serves the port.</summary>
    Live,

    /// <summary>No runtime answered in this collection (none found, <c>--cri.endpoint=none</c>, the cri collector failed).</summary>
    RuntimeNotAsked,

    /// <summary>The runtime was asked but its answer is no evidence either way (its list could not be confirmed after the tables were read).</summary>
    RuntimeCouldNotJudge,

    /// <summary>The runtime is still creating the claim's sandbox: its stores hold it, CRI does not list it yet.</summary>
    BeingCreated,

    /// <summary>portmap's comment names no usable sandbox id (none, or cut short), so no runtime can judge the claim.</summary>
    NoSandboxId,

    /// <summary>A duplicate claim the runtime could not judge: `check` offers a delete after a manual confirmation; `fix` never guesses.</summary>
    DuplicateNotJudged,

    /// <summary>The rule holds an argument iptables-restore cannot be given (empty, or a line break).</summary>
    NotWritable,

    /// <summary><c>modprobe nf_conntrack</c> is refused now (an install line, or <c>module_blacklist=</c>): only a person can lift that.</summary>
    ModprobeRefused,

    /// <summary>A change `fix` never makes: editing modprobe.d or the boot loader, restarting a service, rebooting.</summary>
    LeftToOperator,
}
