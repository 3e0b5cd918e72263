using System.Text.RegularExpressions;

namespace NetfilterExporter.Deployment.Tests;

public sealed partial class DockerfileTests
{
    private readonly Dockerfile dockerfile = Dockerfile.Load();

    [Fact]
    public void Base_images_are_pinned_to_a_patch_release()
    {
        Assert.True(dockerfile.Stages.Count >= 2, "the Dockerfile must build in an SDK stage and run in a runtime stage");
        foreach (var stage in dockerfile.Stages)
        {
            var image = dockerfile.BaseImage(stage);
            Assert.True(PinnedImagePattern().IsMatch(image),
                $"Dockerfile:{stage[0].Line}: {image} must name a patch release such as aspnet:10.0.12-noble (or a digest), not a floating tag");
        }
        Assert.Contains("/dotnet/sdk:", dockerfile.BaseImage(dockerfile.Stage("build")), StringComparison.Ordinal);
        Assert.Contains("/dotnet/runtime-deps:", dockerfile.BaseImage(dockerfile.FinalStage), StringComparison.Ordinal);
    }

    [Fact]
    public void Runtime_stage_installs_both_iptables_backends_and_nftables()
    {
        var install = Dockerfile.All(dockerfile.FinalStage, "RUN").Single(run => run.Arguments.Contains("apt-get install", StringComparison.Ordinal));
        var packages = install.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);

        // Debian and Ubuntu's iptables package carries iptables-legacy-save and iptables-nft-save.
        Assert.Contains("iptables", packages);
        Assert.Contains("nftables", packages);
        Assert.Contains("/var/lib/apt/lists", install.Arguments, StringComparison.Ordinal);
    }

    [Fact]
    public void Exposes_the_port_the_DaemonSet_listens_on()
    {
        var container = KubernetesManifests.DaemonSetContainer();

        Assert.Equal([container.Get("ports").Single("name", "metrics").Text("containerPort")],
            Dockerfile.All(dockerfile.FinalStage, "EXPOSE").Select(expose => expose.Arguments));
    }

    [Fact]
    public void Labels_describe_the_image_with_the_project_version_and_base()
    {
        var labels = Dockerfile.Pairs(Dockerfile.All(dockerfile.FinalStage, "LABEL"));
        var arguments = Dockerfile.Pairs(Dockerfile.All(dockerfile.FinalStage, "ARG"));

        Assert.Equal("netfilter-exporter", labels["org.opencontainers.image.title"]);
        Assert.False(string.IsNullOrWhiteSpace(labels["org.opencontainers.image.description"]));
        Assert.Equal("${VERSION}", labels["org.opencontainers.image.version"]);
        Assert.Equal(ProjectProperties.Version, arguments["VERSION"]);
        Assert.Equal("${REVISION}", labels["org.opencontainers.image.revision"]);
        // The base is a build argument, so the label names whichever base the build used: the final stage
        // declares it again, since a global ARG is not visible inside a stage otherwise.
        Assert.Equal("${RUNTIME_IMAGE}", labels["org.opencontainers.image.base.name"]);
        Assert.Contains(Dockerfile.All(dockerfile.FinalStage, "ARG"), argument => argument.Arguments == "RUNTIME_IMAGE");
    }

    [Fact]
    public void Runs_as_root_because_the_capabilities_need_uid_zero()
    {
        // A non-root USER would leave NET_ADMIN and NET_RAW in the bounding set only (kubernetes/kubernetes#56374).
        Assert.Equal("root", Dockerfile.All(dockerfile.FinalStage, "USER").Last().Arguments);
    }

    [GeneratedRegex(@"^[^:@\s]+(:[0-9]+\.[0-9]+\.[0-9]+(-[a-z0-9.]+)?(@sha256:[0-9a-f]{64})?|@sha256:[0-9a-f]{64})$")]
    private static partial Regex PinnedImagePattern();
}
