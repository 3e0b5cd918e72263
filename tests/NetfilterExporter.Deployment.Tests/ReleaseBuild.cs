using System.Diagnostics;
using System.Globalization;
using NetfilterExporter.Deployment.Tests.Image;

namespace NetfilterExporter.Deployment.Tests;

/// <summary>
/// One run of scripts/release.sh, shared by <see cref="ReleaseArtifactTests"/>: both architectures into a
/// temporary output directory, each tarball unpacked into another. The run takes minutes (two Native AOT
/// publishes, one of them cross-linked, and two image builds), so every test reads what this one run made. The
/// images are built on the stand-in bases (<see cref="ImageBases"/>), the arm64 one with qemu-user-static
/// registered for the run (<see cref="QemuBinfmt"/>).
/// </summary>
public sealed class ReleaseBuild : IAsyncLifetime
{
    // A guard against a hung build, not a performance bound: on a cold cache this run waits for the other image
    // build's lock, then publishes twice and builds two images (arm64's runtime stage under QEMU).
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(45);

    private readonly DateTimeOffset start = DateTimeOffset.UtcNow;
    private bool disposed;
    private readonly TemporaryDirectory output = new("nfx-release-");
    private readonly TemporaryDirectory unpacked = new("nfx-release-unpacked-");

    public static IReadOnlyList<string> Architectures { get; } = ["amd64", "arm64"];

    public string OutputDirectory => output.Path;

    public string Version { get; } = ProjectProperties.Version;

    public string Revision { get; private set; } = "";

    /// <summary>The commit's time, which release.sh gives every entry of the tarballs (SOURCE_DATE_EPOCH).</summary>
    public DateTimeOffset CommitTime { get; private set; }

    public TimeSpan Duration { get; private set; }

    public string Log { get; private set; } = "";

    public string Name(string architecture) => $"netfilter-exporter-{Version}-linux-{architecture}";

    public string Tarball(string architecture) => Path.Combine(OutputDirectory, Name(architecture) + ".tar.gz");

    /// <summary>The OCI image archive of one architecture.</summary>
    public string ImageArchive(string architecture) => Path.Combine(OutputDirectory, Name(architecture) + ".oci.tar");

    /// <summary>The binary as `tar -xzf` unpacks it from the tarball.</summary>
    public string Binary(string architecture) => unpacked.Combine(Name(architecture), "netfilter-exporter");

    public async ValueTask InitializeAsync()
    {
        try
        {
            await BuildAsync(TestContext.Current.CancellationToken);
        }
        catch
        {
            // What a failed build left (output, unpacked files) goes now, whether or not the runner disposes a
            // fixture that failed to initialise.
            await DisposeAsync();
            throw;
        }
    }

    private async Task BuildAsync(CancellationToken cancellationToken)
    {
        RequireCrossToolchain();
        var git = Prerequisites.RequireCommand("git", "git");
        Revision = (await TestCommand.RunAsync(git, ["-C", RepositoryPaths.Root, "rev-parse", "HEAD"])).EnsureSuccess("git rev-parse HEAD").StandardOutput.Trim();
        var commitTime = (await TestCommand.RunAsync(git, ["-C", RepositoryPaths.Root, "log", "-1", "--format=%ct", "HEAD"])).EnsureSuccess("git log").StandardOutput.Trim();
        CommitTime = DateTimeOffset.FromUnixTimeSeconds(long.Parse(commitTime, CultureInfo.InvariantCulture));

        using var binfmt = await QemuBinfmt.EnsureAarch64Async();
        await ImageBases.EnsureAsync(Architectures, Limit, cancellationToken);

        var clock = Stopwatch.StartNew();
        var release = await RunAsync(["--output", OutputDirectory, "--sdk-image", ImageBases.Sdk, "--runtime-image", ImageBases.Runtime], Limit, cancellationToken);
        Duration = clock.Elapsed;
        Log = release.StandardOutput + release.StandardError;
        if (release.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/release.sh exited with code {release.ExitCode}:\n{Log}");
        }
        foreach (var architecture in Architectures)
        {
            await ReleaseTarball.ExtractAsync(Tarball(architecture), unpacked.Path, cancellationToken);
        }
    }

    /// <summary>Runs scripts/release.sh with <paramref name="arguments"/> from the repository root.</summary>
    public static Task<CommandResult> RunAsync(IEnumerable<string> arguments, TimeSpan limit, CancellationToken cancellationToken) =>
        TestCommand.RunCancellableAsync(
            Prerequisites.RequireCommand("bash", "bash"), [RepositoryPaths.Combine("scripts", "release.sh"), .. arguments], cancellationToken, timeout: limit);

    /// <summary>What release.sh needs to cross-link arm64 (the same check as its own, named by Debian package).</summary>
    public static void RequireCrossToolchain()
    {
        Prerequisites.RequireCommand("aarch64-linux-gnu-gcc", "gcc-aarch64-linux-gnu");
        Prerequisites.RequireCommand("aarch64-linux-gnu-objcopy", "binutils-aarch64-linux-gnu");
        if (!File.Exists("/usr/aarch64-linux-gnu/lib/libc.so"))
        {
            throw new PrerequisiteMissingException(
                "this test needs the arm64 C library to link against: apt-get install libc6-dev-arm64-cross (scripts/test.sh installs it when run as root)");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }
        disposed = true;
        output.Dispose();
        unpacked.Dispose();
        await PodmanBuildCache.PruneOlderThanAsync(start);
    }
}
