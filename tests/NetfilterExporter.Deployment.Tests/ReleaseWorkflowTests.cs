using System.Text.RegularExpressions;

namespace NetfilterExporter.Deployment.Tests;

/// <summary>
/// .github/workflows/release.yml runs only on GitHub, on a tag, so no test can run it. What can be checked here:
/// it builds with the same scripts/release.sh that <see cref="ReleaseArtifactTests"/> proves, and it publishes the
/// image under the name deploy/kubernetes is to pull and the files release.sh writes.
/// </summary>
public sealed partial class ReleaseWorkflowTests
{
    private const string Image = "ghcr.io/netfilter-exporter/netfilter-exporter";

    private readonly ManifestNode workflow = KubernetesManifests.Load(RepositoryPaths.Combine(".github", "workflows", "release.yml")).Single();

    private IReadOnlyList<ManifestNode> Steps => workflow.Get("jobs").Get("release").Get("steps").Items;

    [Fact]
    public void Runs_on_a_version_tag_and_builds_the_artifacts_with_scripts_release_sh_after_installing_its_cross_toolchain()
    {
        Assert.Equal(["v*"], workflow.Get("on").Get("push").Get("tags").Items.Select(tag => tag.Value));
        var release = StepIndex(step => step.OptionalText("run")?.TrimStart().StartsWith("scripts/release.sh ", StringComparison.Ordinal) == true, "runs scripts/release.sh");
        var toolchain = StepIndex(step => step.OptionalText("run")?.Contains("apt-get install", StringComparison.Ordinal) == true, "installs Debian packages");

        Assert.True(toolchain < release, "the cross toolchain must be installed before scripts/release.sh runs");
        // release.sh builds the arm64 image archive, whose runtime stage runs under QEMU.
        Assert.True(StepIndex(step => Action(step) == "docker/setup-qemu-action", "uses docker/setup-qemu-action") < release, "QEMU must be set up before scripts/release.sh runs");
        var packages = Steps[toolchain].Text("run").Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
        Assert.Superset(new HashSet<string>(["gcc-aarch64-linux-gnu", "binutils-aarch64-linux-gnu", "libc6-dev-arm64-cross"]), new HashSet<string>(packages));
        // The tag must say the version the binaries report, which release.sh takes from Directory.Build.props.
        Assert.Contains("Directory.Build.props", Steps.Single(step => step.OptionalText("id") == "version").Text("run"), StringComparison.Ordinal);
    }

    [Fact]
    public void Pushes_the_multi_arch_image_to_ghcr_under_the_project_version_with_its_revision()
    {
        var push = Steps[StepIndex(step => Action(step) == "docker/build-push-action", "uses docker/build-push-action")].Get("with");
        var login = Steps[StepIndex(step => Action(step) == "docker/login-action", "uses docker/login-action")].Get("with");

        Assert.Equal("true", push.Text("push"));
        Assert.Equal(["linux/amd64", "linux/arm64"], push.Text("platforms").Split(','));
        Assert.Equal([$"{Image}:${{{{ steps.version.outputs.version }}}}"], Lines(push.Text("tags")));
        Assert.Contains("REVISION=${{ steps.version.outputs.revision }}", Lines(push.Text("build-args")));
        Assert.Contains("VERSION=${{ steps.version.outputs.version }}", Lines(push.Text("build-args")));
        Assert.Equal("ghcr.io", login.Text("registry"));
        Assert.Equal("${{ secrets.GITHUB_TOKEN }}", login.Text("password"));
        Assert.Equal("write", workflow.Get("permissions").Text("packages"));
        // The arm64 half of the image is built under QEMU by buildx.
        Assert.True(StepIndex(step => Action(step) == "docker/setup-qemu-action", "uses docker/setup-qemu-action")
            < StepIndex(step => Action(step) == "docker/build-push-action", "uses docker/build-push-action"));
    }

    [Fact]
    public void Attaches_the_tarballs_the_image_archives_and_SHA256SUMS_that_release_sh_writes_to_the_release()
    {
        var release = Steps[StepIndex(step => step.OptionalText("run")?.TrimStart().StartsWith("scripts/release.sh ", StringComparison.Ordinal) == true, "runs scripts/release.sh")];
        var output = OutputOption().Match(release.Text("run"));
        var files = Steps[StepIndex(step => Action(step) == "softprops/action-gh-release", "uses softprops/action-gh-release")].Get("with").Text("files");

        Assert.True(output.Success, $"{release.Location}: scripts/release.sh without --output");
        var directory = output.Groups["directory"].Value;
        Assert.Equal([$"{directory}/*.tar.gz", $"{directory}/*.oci.tar", $"{directory}/SHA256SUMS"], Lines(files));
        Assert.Equal("write", workflow.Get("permissions").Text("contents"));
    }

    [Fact]
    public void Every_action_is_pinned_to_a_major_version()
    {
        var actions = Steps.Select(step => step.OptionalText("uses")).OfType<string>().ToList();

        Assert.NotEmpty(actions);
        Assert.All(actions, action => Assert.Matches(@"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+@v[0-9]+$", action));
    }

    private int StepIndex(Func<ManifestNode, bool> predicate, string what)
    {
        var matches = Steps.Select((step, index) => (step, index)).Where(pair => predicate(pair.step)).ToList();
        return matches.Count == 1
            ? matches[0].index
            : throw new ManifestException($"{workflow.File}: {matches.Count} steps {what}, expected exactly one");
    }

    private static string? Action(ManifestNode step) => step.OptionalText("uses")?.Split('@')[0];

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [GeneratedRegex(@"--output[ =](?<directory>[^\s""]+)")]
    private static partial Regex OutputOption();
}
