namespace NetfilterExporter.Deployment.Tests;

/// <summary>
/// scripts/release.sh refuses what it cannot build before it builds anything, with a message that says what to
/// change, and names the step a failure happened in. None of these publishes, so each takes a second.
/// </summary>
public sealed class ReleaseScriptTests
{
    [Theory]
    [InlineData("--arch 'riscv64' is not amd64 or arm64", "--arch", "riscv64")]
    [InlineData("--version '1.0/../x' is not a version such as 0.1.0 or 0.2.0-rc.1", "--version", "1.0/../x")]
    [InlineData("--version needs a value, e.g. --version 0.1.0", "--version")]
    [InlineData("unknown argument '--platform'", "--platform", "linux/arm64")]
    public async Task Bad_options_exit_non_zero_with_what_is_wrong_and_build_nothing(string message, params string[] arguments)
    {
        using var output = new TemporaryDirectory("nfx-release-bad-");

        var release = await ReleaseBuild.RunAsync(["--output", output.Path, .. arguments], TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);

        Assert.NotEqual(0, release.ExitCode);
        Assert.Contains($"release.sh: {message}\n", release.StandardError, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(output.Path));
    }

    [Fact]
    public async Task An_output_that_is_a_file_fails_in_the_step_that_prepares_it()
    {
        using var work = new TemporaryDirectory("nfx-release-bad-");
        var file = work.Combine("not-a-directory");
        await File.WriteAllTextAsync(file, "", TestContext.Current.CancellationToken);

        var release = await ReleaseBuild.RunAsync(["--arch", "amd64", "--output", file], TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);

        Assert.NotEqual(0, release.ExitCode);
        Assert.Contains($"release.sh: failed while preparing {file} (exit code 1)", release.StandardError, StringComparison.Ordinal);
    }

    /// <summary>
    /// Without the aarch64 cross toolchain the publish would fail deep in the link with "aarch64-linux-gnu-gcc not
    /// found"; release.sh says which Debian packages to install instead. The toolchain is hidden by a PATH that has
    /// every other command of this machine.
    /// </summary>
    [Fact]
    public async Task A_missing_cross_toolchain_names_the_debian_packages_to_install()
    {
        using var bin = new TemporaryDirectory("nfx-release-path-");
        foreach (var directory in new[] { "/usr/local/bin", "/usr/bin", "/bin", Path.GetDirectoryName(Prerequisites.RequireCommand("dotnet", "the .NET SDK"))! }.Distinct())
        {
            foreach (var command in Directory.Exists(directory) ? Directory.EnumerateFileSystemEntries(directory) : [])
            {
                var name = Path.GetFileName(command);
                if (!name.StartsWith("aarch64-linux-gnu-", StringComparison.Ordinal) && !File.Exists(bin.Combine(name)) && !Directory.Exists(bin.Combine(name)))
                {
                    File.CreateSymbolicLink(bin.Combine(name), command);
                }
            }
        }
        using var output = new TemporaryDirectory("nfx-release-bad-");

        var release = await TestCommand.RunCancellableAsync(
            Prerequisites.RequireCommand("env", "coreutils"),
            [$"PATH={bin.Path}", Prerequisites.RequireCommand("bash", "bash"), RepositoryPaths.Combine("scripts", "release.sh"), "--arch", "arm64", "--output", output.Path],
            TestContext.Current.CancellationToken);

        Assert.NotEqual(0, release.ExitCode);
        Assert.Contains(
            "release.sh: cross-linking arm64 needs the aarch64 GNU toolchain: apt-get install gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libc6-dev-arm64-cross",
            release.StandardError, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(output.Path));
    }
}
