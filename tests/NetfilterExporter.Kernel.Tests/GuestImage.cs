namespace NetfilterExporter.Kernel.Tests;

/// <summary>
/// The cached Debian bookworm guest (guest/build-guest-image.sh): root.img, its kernel and initramfs. Built once per
/// machine and reused across runs; built again when the script changes or the image is missing.
/// </summary>
public sealed class GuestImage : IAsyncLifetime
{
    /// <summary>Outside the checkout, so that a clean clone (CI) finds the image an earlier run built.</summary>
    private const string CacheDirectory = "/var/cache/netfilter-exporter-tests";

    private string? directory;

    public string Directory => directory ?? throw new InvalidOperationException("the guest image was not built");

    public string RootImage => Path.Join(Directory, "root.img");

    public string Kernel => Path.Join(Directory, "vmlinuz");

    public string Initramfs => Path.Join(Directory, "initrd.img");

    /// <summary>How long building took in this run; null when the cached image was used.</summary>
    public TimeSpan? BuildTime { get; private set; }

    public async ValueTask InitializeAsync()
    {
        Prerequisites.RequireRoot();
        Prerequisites.RequireCommand("debootstrap", "debootstrap");
        Prerequisites.RequireCommand("mkfs.ext4", "e2fsprogs");
        var script = RepositoryPaths.Combine("tests", "NetfilterExporter.Kernel.Tests", "guest", "build-guest-image.sh");
        var started = DateTime.UtcNow;
        var result = await TestCommand.RunAsync("bash", [script, CacheDirectory], timeout: TimeSpan.FromMinutes(20));
        result.EnsureSuccess("building the bookworm guest image");
        var outcome = result.StandardOutput.Trim().Split('\n')[^1].Split(' ', 2);
        directory = outcome[1];
        BuildTime = outcome[0] == "built" ? DateTime.UtcNow - started : null;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
