using System.Globalization;

namespace NetfilterExporter.Deployment.Tests.Image;

/// <summary>
/// podman keeps every build's intermediate layers as untagged images, about 2 GB a build here (the SDK stage),
/// and the revision changes with every commit. Whoever builds images removes, when done, the untagged images
/// older than its own start: the cache of the latest run stays for the next one, nothing older piles up. It holds
/// scripts/build-image.sh's lock meanwhile, so no build that may be matching those layers runs at the same time.
/// This is a test machine's cleanup: it prunes every untagged image older than the start, not only these builds'.
/// </summary>
public static class PodmanBuildCache
{
    private const string BuildLock = "/run/lock/netfilter-exporter-build-image.lock";

    public static async Task PruneOlderThanAsync(DateTimeOffset start)
    {
        var until = start.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        (await TestCommand.RunAsync(
                Prerequisites.RequireCommand("flock", "util-linux"),
                [BuildLock, "podman", "image", "prune", "--force", "--filter", "until=" + until],
                timeout: TimeSpan.FromMinutes(30)))
            .EnsureSuccess("podman image prune");
    }
}
