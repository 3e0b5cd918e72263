using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NetfilterExporter.Deployment.Tests;

/// <summary>
/// What scripts/release.sh makes is what gets installed: the tarballs are unpacked and their binaries run, the
/// arm64 one under qemu-user, since it is cross-linked on this x64 machine and nothing else would notice a binary
/// that does not start on arm64. One release run serves the whole class (<see cref="ReleaseBuild"/>).
/// </summary>
public sealed partial class ReleaseArtifactTests(ReleaseBuild release) : IClassFixture<ReleaseBuild>
{
    private static readonly TimeSpan QemuLimit = TimeSpan.FromMinutes(2);

    [Theory]
    [InlineData("amd64")]
    [InlineData("arm64")]
    public async Task Each_tarball_holds_one_directory_with_the_binary_and_the_systemd_units_owned_by_root_at_the_commit_time(string architecture)
    {
        var entries = await ReleaseTarball.ReadAsync(release.Tarball(architecture), TestContext.Current.CancellationToken);
        var top = release.Name(architecture);

        // Sorted by name, as release.sh packs them, so the order is part of what a rebuild must reproduce.
        Assert.Equal(
        [
            $"{top}/ Directory 755 0:0",
            $"{top}/netfilter-exporter RegularFile 755 0:0",
            $"{top}/netfilter-exporter.default RegularFile 644 0:0",
            $"{top}/netfilter-exporter.service RegularFile 644 0:0",
            $"{top}/netfilter-exporter.service.d/ Directory 755 0:0",
            $"{top}/netfilter-exporter.service.d/cri.conf RegularFile 644 0:0",
            $"{top}/netfilter-exporter.socket RegularFile 644 0:0",
        ], entries.Select(entry => entry.Summary));
        Assert.All(entries, entry => Assert.Equal(release.CommitTime, entry.ModificationTime));
        // Numeric owner only: the unpacking tar sets uid 0 and gid 0 without looking up names of the build machine.
        Assert.All(entries, entry => Assert.Equal(("", ""), (entry.UserName, entry.GroupName)));

        // The units and the defaults file exactly as deploy/systemd has them: the unit's ExecStart and
        // EnvironmentFile name the places docs/install.md installs these files to.
        foreach (var unit in new[] { "netfilter-exporter.service", "netfilter-exporter.socket", "netfilter-exporter.default", "netfilter-exporter.service.d/cri.conf" })
        {
            Assert.Equal(
                await File.ReadAllBytesAsync(RepositoryPaths.Combine("deploy", "systemd", unit), TestContext.Current.CancellationToken),
                entries.Single(entry => entry.Name == $"{top}/{unit}").Content);
        }
        Assert.Equal("\u007fELF"u8.ToArray(), entries.Single(entry => entry.Name == $"{top}/netfilter-exporter").Content[..4]);
    }

    [Fact]
    public async Task The_amd64_binary_is_an_x86_64_executable_that_prints_the_version_and_the_revision()
    {
        var header = ElfHeader.Read(release.Binary("amd64"));

        Assert.Equal(new ElfHeader(ElfHeader.Class64, ElfHeader.LittleEndian, ElfHeader.SharedObjectType, ElfHeader.MachineX86_64), header);
        var version = await TestCommand.RunCancellableAsync(release.Binary("amd64"), ["--version"], TestContext.Current.CancellationToken);
        Assert.Equal(0, version.ExitCode);
        Assert.Equal($"netfilter-exporter {release.Version} (revision {release.Revision}, .NET {Environment.Version})\n", version.StandardOutput);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"scripts/release.sh took {release.Duration.TotalSeconds.ToString("F0", CultureInfo.InvariantCulture)} s");
    }

    [Fact]
    public async Task The_arm64_binary_is_an_aarch64_executable_that_prints_the_same_version_under_qemu()
    {
        var header = ElfHeader.Read(release.Binary("arm64"));

        Assert.Equal(new ElfHeader(ElfHeader.Class64, ElfHeader.LittleEndian, ElfHeader.SharedObjectType, ElfHeader.MachineAarch64), header);
        var version = await RunArm64Async(["--version"]);
        Assert.Equal(0, version.ExitCode);
        Assert.Equal($"netfilter-exporter {release.Version} (revision {release.Revision}, .NET {Environment.Version})\n", version.StandardOutput);
    }

    /// <summary>
    /// MicroK8s nodes run Ubuntu LTS releases, and a binary that asks for a newer glibc than the node has does not
    /// start at all. Both binaries link against this machine's glibc, so a newer build machine could raise the floor
    /// without anyone noticing; Ubuntu 22.04 has glibc 2.35.
    /// </summary>
    [Theory]
    [InlineData("amd64")]
    [InlineData("arm64")]
    public async Task Each_binary_needs_no_glibc_newer_than_ubuntu_22_04_has(string architecture)
    {
        var readelf = Prerequisites.RequireCommand("readelf", "binutils");

        var versions = (await TestCommand.RunCancellableAsync(readelf, ["--version-info", "--wide", release.Binary(architecture)], TestContext.Current.CancellationToken))
            .EnsureSuccess("readelf --version-info").StandardOutput;

        var glibc = GlibcVersion().Matches(versions).Select(match => Version.Parse(match.Groups["version"].Value)).ToList();
        Assert.NotEmpty(glibc);
        Assert.True(glibc.Max() <= new Version(2, 35), $"the {architecture} binary needs GLIBC_{glibc.Max()}:\n{versions}");
    }

    /// <summary>
    /// The whole pipeline (parse the dump, read the conntrack fixture node, assess, render) on arm64 under
    /// qemu-user against the amd64 binary on the same input: the same findings, the same text and the same exit
    /// code, apart from the collection's clock.
    /// </summary>
    [Theory]
    [InlineData("tests/Fixtures/dumps/after-stop-start.legacy-ipv6.txt", "persistent-etc", 1)]
    [InlineData("tests/Fixtures/dumps/healthy.legacy-ipv6.txt", "persistent-etc", 0)]
    [InlineData("examples/after-stop-start.legacy-ipv4.txt", "persistent-etc", 1)]
    [InlineData("examples/healthy.legacy-ipv4.txt", "not-loaded", 1)]
    public async Task Check_on_arm64_under_qemu_reports_what_amd64_reports_on_the_same_dump(string dump, string conntrackNode, int expectedExitCode)
    {
        string[] check = ["check", $"--iptables.from-file={RepositoryPaths.Combine(dump.Split('/'))}", .. Fixture.ConntrackFlags(conntrackNode)];

        var amd64Text = await TestCommand.RunCancellableAsync(release.Binary("amd64"), check, TestContext.Current.CancellationToken);
        var arm64Text = await RunArm64Async(check);
        var amd64Json = await TestCommand.RunCancellableAsync(release.Binary("amd64"), [.. check, "--output=json"], TestContext.Current.CancellationToken);
        var arm64Json = await RunArm64Async([.. check, "--output=json"]);

        Assert.Equal(expectedExitCode, amd64Text.ExitCode);
        Assert.Equal([expectedExitCode, expectedExitCode, expectedExitCode], new[] { arm64Text.ExitCode, amd64Json.ExitCode, arm64Json.ExitCode });
        Assert.Equal(WithoutClock(amd64Text.StandardOutput), WithoutClock(arm64Text.StandardOutput));
        Assert.Equal(amd64Text.StandardError, arm64Text.StandardError);
        var (amd64Report, arm64Report) = (WithoutClock(JsonNode.Parse(amd64Json.StandardOutput)!), WithoutClock(JsonNode.Parse(arm64Json.StandardOutput)!));
        Assert.True(JsonNode.DeepEquals(amd64Report, arm64Report), $"amd64:\n{amd64Report}\narm64:\n{arm64Report}");
        Assert.NotEmpty(amd64Report["hostPorts"]!.AsArray());
    }

    [Fact]
    public async Task SHA256SUMS_covers_every_artifact_and_verifies_with_sha256sum()
    {
        var sha256sum = Prerequisites.RequireCommand("sha256sum", "coreutils");

        var verified = await TestCommand.RunCancellableAsync(
            Prerequisites.RequireCommand("bash", "bash"), ["-c", "cd \"$1\" && exec \"$2\" --check --strict SHA256SUMS", "verify", release.OutputDirectory, sha256sum],
            TestContext.Current.CancellationToken);

        Assert.True(verified.ExitCode == 0, $"sha256sum --check failed:\n{verified.StandardOutput}{verified.StandardError}");
        var artifacts = Directory.GetFiles(release.OutputDirectory).Select(Path.GetFileName).Where(name => name != "SHA256SUMS").Order(StringComparer.Ordinal);
        // release.sh sums the tarballs first, then the image archives, each in name order.
        string[] tarballs = [.. ReleaseBuild.Architectures.Select(architecture => release.Name(architecture) + ".tar.gz")];
        string[] images = [.. ReleaseBuild.Architectures.Select(architecture => release.Name(architecture) + ".oci.tar")];
        Assert.Equal(tarballs.Concat(images).Order(StringComparer.Ordinal), artifacts);
        var expected = tarballs.Concat(images)
            .Select(name => $"{Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(release.OutputDirectory, name))))}  {name}\n");
        Assert.Equal(string.Concat(expected), await File.ReadAllTextAsync(Path.Combine(release.OutputDirectory, "SHA256SUMS"), TestContext.Current.CancellationToken));
    }

    /// <summary>
    /// `microk8s ctr image import` on a node of each architecture: ctr (containerd 1.6, as Debian 12 and the MicroK8s
    /// builds of its time ship it; <see cref="Image.ContainerImageTests"/> imports into 2.x too) takes the archive and
    /// names the image as the DaemonSet runs it. This machine is amd64, so the arm64 archive is imported with
    /// --platform linux/arm64, the platform an arm64 node's ctr selects by itself.
    /// </summary>
    [Theory]
    [InlineData("amd64")]
    [InlineData("arm64")]
    public async Task Each_image_archive_is_that_architectures_image_and_ctr_imports_it_under_the_name_the_DaemonSet_runs(string architecture)
    {
        var token = TestContext.Current.CancellationToken;
        var daemonSetImage = KubernetesManifests.DaemonSetContainer().Text("image");
        var archive = await Image.OciArchive.ReadAsync(release.ImageArchive(architecture), token);
        await using var node = await ContainerdNode.StartAsync(await NodeParts.RequireAsync(NodeParts.Debian12), token);

        var images = await node.ImportImageAsync(release.ImageArchive(architecture), token, architecture == "amd64" ? null : "linux/" + architecture);

        Assert.Equal(("linux", architecture, daemonSetImage), (archive.Os, archive.Architecture, archive.ReferenceName));
        Assert.Equal((release.Version, release.Revision), (archive.Labels["org.opencontainers.image.version"], archive.Labels["org.opencontainers.image.revision"]));
        Assert.Contains(daemonSetImage, images);
    }

    /// <summary>
    /// Anyone can rebuild a release from its commit and compare checksums. release.sh builds from scratch every time
    /// (it removes its intermediate files first), so a second run redoes the whole Native AOT compile and link. One
    /// architecture only: each rebuild costs one to two minutes, and both share every step that could differ.
    /// </summary>
    [Fact]
    public async Task A_second_release_build_packs_a_byte_identical_amd64_tarball()
    {
        using var again = new TemporaryDirectory("nfx-release-again-");

        var rebuild = await ReleaseBuild.RunAsync(["--arch", "amd64", "--no-images", "--output", again.Path], TimeSpan.FromMinutes(15), TestContext.Current.CancellationToken);

        Assert.True(rebuild.ExitCode == 0, $"scripts/release.sh --arch amd64 exited with code {rebuild.ExitCode}:\n{rebuild.StandardOutput}{rebuild.StandardError}");
        var (first, second) = (await File.ReadAllBytesAsync(release.Tarball("amd64"), TestContext.Current.CancellationToken),
            await File.ReadAllBytesAsync(Path.Combine(again.Path, release.Name("amd64") + ".tar.gz"), TestContext.Current.CancellationToken));
        Assert.True(first.AsSpan().SequenceEqual(second), $"the rebuilt tarball differs ({first.Length} and {second.Length} bytes)");
    }

    private Task<CommandResult> RunArm64Async(IEnumerable<string> arguments) =>
        // -L: the arm64 dynamic loader and libc of libc6-arm64-cross, which the binary asks for as /lib/ld-linux-aarch64.so.1.
        TestCommand.RunCancellableAsync(
            Prerequisites.RequireCommand("qemu-aarch64", "qemu-user"), ["-L", "/usr/aarch64-linux-gnu", release.Binary("arm64"), .. arguments],
            TestContext.Current.CancellationToken, timeout: QemuLimit);

    private static string WithoutClock(string text) => Duration().Replace(CollectedAt().Replace(text, "collected <time>"), "<duration>s");

    private static JsonNode WithoutClock(JsonNode report)
    {
        report.AsObject().Remove("collectedAt");
        foreach (var collector in report["collectors"]!.AsArray())
        {
            collector!.AsObject().Remove("durationSeconds");
        }
        return report;
    }

    [GeneratedRegex(@"Name: GLIBC_(?<version>[0-9]+\.[0-9]+(\.[0-9]+)?)")]
    private static partial Regex GlibcVersion();

    [GeneratedRegex(@"collected [0-9-]+ [0-9:]+ UTC")]
    private static partial Regex CollectedAt();

    [GeneratedRegex(@"\b[0-9]+\.[0-9]{3}s\b")]
    private static partial Regex Duration();
}
