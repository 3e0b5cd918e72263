namespace NetfilterExporter.Cri;

/// <summary>A collector that can list the runtime's sandboxes again, on the socket that answered its first list.</summary>
public interface ISandboxRelister
{
    /// <param name="unconfirmed">How many claims the first list did not show live, for the log.</param>
    Task<PodSandboxes> ListAgainAsync(int unconfirmed, CancellationToken cancellationToken);
}
