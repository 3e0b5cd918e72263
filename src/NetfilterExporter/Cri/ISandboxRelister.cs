namespace NetfilterExporter.Cri;

/// <summary>A collector that can ask the runtime again, on the socket that answered its first list.</summary>
public interface ISandboxRelister
{
    /// <param name="unconfirmed">How many claims the first list did not show live, for the log.</param>
    Task<PodSandboxes> ListAgainAsync(int unconfirmed, CancellationToken cancellationToken);

    /// <summary>Which of the sandbox ids no list holds the runtime is still creating (<see cref="ContainerdStores"/>); null when it cannot say.</summary>
    Task<IReadOnlySet<string>?> BeingCreatedAsync(IReadOnlyCollection<string> notListed, CancellationToken cancellationToken);
}
