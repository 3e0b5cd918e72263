namespace NetfilterExporter.HostPorts;

/// <summary>
/// Says, for a claim, what the container runtime knows of its sandbox. The assessment's runtime join answers it; host
/// port metrics, findings and `check` read every claim state through it, so they can never disagree.
/// </summary>
public interface IClaimJudge
{
    ClaimRuntime Of(HostPortClaim claim);

    /// <summary>How a claim is named for people: its pod when known, else its sandbox id's short form.</summary>
    string Describe(HostPortClaim claim);
}
