using System.Globalization;

namespace NetfilterExporter.Deployment.Tests.Image;

/// <summary>
/// podman keeps every build's intermediate layers as untagged images, about 2 GB a build here (the SDK stage),
/// and the revision changes with every commit. Whoever builds images removes, when done, the untagged images
/// older than its own start: the cache of the latest run stays for the next one, nothing older piles up.
/// </summary>
public static class PodmanBuildCache
{
    public static async Task PruneOlderThanAsync(DateTimeOffset start)
    {
        var until = start.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        (await TestCommand.RunAsync("podman", ["image", "prune", "--force", "--filter", "until=" + until], timeout: TimeSpan.FromMinutes(5)))
            .EnsureSuccess("podman image prune");
    }
}
