using NetfilterExporter.Iptables;

namespace NetfilterExporter.Repair;

/// <summary>Something a finding names that `fix` leaves alone, and why: the evidence does not confirm it is safe to change.</summary>
/// <param name="Source">The nat table it is in; null for what is not a rule (nf_conntrack).</param>
/// <param name="What">The claim or change, as people name it ("tcp/80 -> 10.1.254.72:80, sandbox d6437fe2be05", "restart kubelite").</param>
/// <param name="SandboxId">The claim's sandbox id from portmap's comment; null when it is not a claim.</param>
/// <param name="Pod">"namespace/name" when the runtime lists the sandbox.</param>
/// <param name="Why">One sentence for people.</param>
public sealed record NotPlanned(RuleSource? Source, string What, string? SandboxId, string? Pod, NotPlannedReason Reason, string Why);
