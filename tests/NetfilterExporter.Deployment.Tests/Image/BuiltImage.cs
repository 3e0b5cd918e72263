using System.Globalization;

namespace NetfilterExporter.Deployment.Tests.Image;

/// <summary>
/// The container image, built for real once per test run on the stand-in bases (<see cref="ImageBases"/>):
/// scripts/build-image.sh builds the Dockerfile with podman for linux/amd64 and saves the OCI archive a node imports.
/// The archive is removed afterwards, and so are older runs' build layers (<see cref="PodmanBuildCache"/>).
/// </summary>
public sealed class BuiltImage : IAsyncLifetime
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(30);

    private readonly DateTimeOffset start = DateTimeOffset.UtcNow;
    private TemporaryDirectory? output;
    private bool pruned;

    /// <summary>The OCI archive of the linux/amd64 image.</summary>
    public string Archive { get; private set; } = "";

    /// <summary>The commit the image was built from, as --version must report it.</summary>
    public string Revision { get; private set; } = "";

    /// <summary>The image's size as podman reports it (uncompressed layers).</summary>
    public long ImageBytes { get; private set; }

    public async ValueTask InitializeAsync()
    {
        try
        {
            await BuildAsync();
        }
        catch
        {
            // The archive directory goes now, whether or not the runner disposes a fixture that failed to initialise.
            await DisposeAsync();
            throw;
        }
    }

    private async Task BuildAsync()
    {
        await ImageBases.EnsureAsync(["amd64"], BuildTimeout, CancellationToken.None);
        Revision = (await TestCommand.RunAsync("git", ["-C", RepositoryPaths.Root, "rev-parse", "HEAD"])).EnsureSuccess("git rev-parse HEAD").StandardOutput.Trim();
        output = new TemporaryDirectory("nfx-image-");
        (await TestCommand.RunAsync(
            "bash",
            [RepositoryPaths.Combine("scripts", "build-image.sh"), "--arch", "amd64", "--output", output.Path, "--revision", Revision, "--sdk-image", ImageBases.Sdk, "--runtime-image", ImageBases.Runtime],
            timeout: BuildTimeout)).EnsureSuccess("scripts/build-image.sh --arch amd64");
        Archive = output.Combine($"netfilter-exporter-{ProjectProperties.Version}-linux-amd64.oci.tar");
        var size = (await TestCommand.RunAsync("podman", ["image", "inspect", "--format", "{{.Size}}", $"localhost/netfilter-exporter-build:{ProjectProperties.Version}-amd64"]))
            .EnsureSuccess("podman image inspect");
        ImageBytes = long.Parse(size.StandardOutput.Trim(), CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        var directory = output;
        output = null;
        directory?.Dispose();
        if (!pruned)
        {
            pruned = true;
            await PodmanBuildCache.PruneOlderThanAsync(start);
        }
    }
}
