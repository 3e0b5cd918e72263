using System.Globalization;

namespace NetfilterExporter.Deployment.Tests.Image;

/// <summary>
/// The container image, built for real once per test run: tests/image/build-bases.sh makes Debian 12 stand-ins for
/// the Dockerfile's two bases (no registry is reachable here), then scripts/build-image.sh builds the Dockerfile
/// with podman for linux/amd64 and saves the OCI archive a node imports. The bases are cached between runs
/// (/var/cache/netfilter-exporter-tests/image-bases, and podman's storage); the archive is removed afterwards, and
/// so are older runs' build layers (<see cref="PodmanBuildCache"/>).
/// </summary>
public sealed class BuiltImage : IAsyncLifetime
{
    public const string BasesCache = "/var/cache/netfilter-exporter-tests/image-bases";
    public const string SdkBase = "localhost/netfilter-exporter-test/sdk:bookworm";
    public const string RuntimeBase = "localhost/netfilter-exporter-test/runtime-deps:bookworm-{arch}";
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
        Prerequisites.RequireRoot();
        Prerequisites.RequireCommand("podman", "podman");
        Prerequisites.RequireCommand("skopeo", "skopeo");
        Prerequisites.RequireCommand("debootstrap", "debootstrap");
        Revision = (await TestCommand.RunAsync("git", ["-C", RepositoryPaths.Root, "rev-parse", "HEAD"])).EnsureSuccess("git rev-parse HEAD").StandardOutput.Trim();
        (await TestCommand.RunAsync("bash", [RepositoryPaths.Combine("tests", "image", "build-bases.sh"), BasesCache, "amd64"], timeout: BuildTimeout))
            .EnsureSuccess("tests/image/build-bases.sh");
        output = new TemporaryDirectory("nfx-image-");
        (await TestCommand.RunAsync(
            "bash",
            [RepositoryPaths.Combine("scripts", "build-image.sh"), "--arch", "amd64", "--output", output.Path, "--revision", Revision, "--sdk-image", SdkBase, "--runtime-image", RuntimeBase],
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
