namespace NetfilterExporter.Deployment.Tests.Image;

/// <summary>
/// The Debian 12 stand-ins for the Dockerfile's two bases that tests/image/build-bases.sh makes (no registry is
/// reachable here), cached in <see cref="Cache"/> and podman's storage, and what every image build here needs.
/// </summary>
public static class ImageBases
{
    public const string Cache = "/var/cache/netfilter-exporter-tests/image-bases";
    public const string Sdk = "localhost/netfilter-exporter-test/sdk:bookworm";

    /// <summary>One per architecture; scripts/build-image.sh puts the architecture in for {arch}.</summary>
    public const string Runtime = "localhost/netfilter-exporter-test/runtime-deps:bookworm-{arch}";

    /// <summary>Makes or finds the bases of <paramref name="architectures"/> (amd64 always: the SDK's).</summary>
    public static async Task EnsureAsync(IReadOnlyList<string> architectures, TimeSpan limit, CancellationToken cancellationToken)
    {
        Prerequisites.RequireRoot();
        Prerequisites.RequireCommand("podman", "podman");
        Prerequisites.RequireCommand("skopeo", "skopeo");
        Prerequisites.RequireCommand("debootstrap", "debootstrap");
        (await TestCommand.RunCancellableAsync("bash", [RepositoryPaths.Combine("tests", "image", "build-bases.sh"), Cache, .. architectures], cancellationToken, timeout: limit))
            .EnsureSuccess("tests/image/build-bases.sh");
    }
}
