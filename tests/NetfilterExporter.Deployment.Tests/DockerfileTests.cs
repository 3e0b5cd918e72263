using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace NetfilterExporter.Deployment.Tests;

public sealed partial class DockerfileTests
{
    private readonly Dockerfile _dockerfile = Dockerfile.Load();

    [Fact]
    public void BaseImagesArePinnedToAPatchRelease()
    {
        Assert.True(_dockerfile.Stages.Count >= 2, "the Dockerfile must build in an SDK stage and run in a runtime stage");
        foreach (var stage in _dockerfile.Stages)
        {
            var image = Dockerfile.BaseImage(stage);
            Assert.True(PinnedImagePattern().IsMatch(image),
                $"Dockerfile:{stage[0].Line}: {image} must name a patch release such as aspnet:10.0.12-noble (or a digest), not a floating tag");
        }
        Assert.Contains("/dotnet/sdk:", Dockerfile.BaseImage(_dockerfile.Stage("build")), StringComparison.Ordinal);
        Assert.Contains("/dotnet/aspnet:", Dockerfile.BaseImage(_dockerfile.FinalStage), StringComparison.Ordinal);
    }

    [Fact]
    public void RuntimeStageInstallsBothIptablesBackendsAndNftables()
    {
        var install = Dockerfile.All(_dockerfile.FinalStage, "RUN").Single(run => run.Arguments.Contains("apt-get install", StringComparison.Ordinal));
        var packages = install.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);

        // Debian and Ubuntu's iptables package carries iptables-legacy-save and iptables-nft-save.
        Assert.Contains("iptables", packages);
        Assert.Contains("nftables", packages);
        Assert.Contains("/var/lib/apt/lists", install.Arguments, StringComparison.Ordinal);
    }

    [Fact]
    public void ExposesThePortTheDaemonSetListensOn()
    {
        var container = KubernetesManifests.Single("DaemonSet").Get("spec").Get("template").Get("spec").Get("containers").Items.Single();

        Assert.Equal([container.Get("ports").Single("name", "metrics").Text("containerPort")],
            Dockerfile.All(_dockerfile.FinalStage, "EXPOSE").Select(expose => expose.Arguments));
    }

    [Fact]
    public void LabelsDescribeTheImageWithTheProjectVersionAndBase()
    {
        var labels = Dockerfile.Pairs(Dockerfile.All(_dockerfile.FinalStage, "LABEL"));
        var arguments = Dockerfile.Pairs(Dockerfile.All(_dockerfile.FinalStage, "ARG"));

        Assert.Equal("netfilter-exporter", labels["org.opencontainers.image.title"]);
        Assert.False(string.IsNullOrWhiteSpace(labels["org.opencontainers.image.description"]));
        Assert.Equal("${VERSION}", labels["org.opencontainers.image.version"]);
        Assert.Equal(ProjectProperties.Version, arguments["VERSION"]);
        Assert.Equal("${REVISION}", labels["org.opencontainers.image.revision"]);
        Assert.Equal(Dockerfile.BaseImage(_dockerfile.FinalStage), labels["org.opencontainers.image.base.name"]);
    }

    [Fact]
    public void RunsAsRootBecauseTheCapabilitiesNeedUidZero()
    {
        // A non-root USER would leave NET_ADMIN and NET_RAW in the bounding set only (kubernetes/kubernetes#56374).
        Assert.Equal("root", Dockerfile.All(_dockerfile.FinalStage, "USER").Last().Arguments);
    }

    [Fact]
    public async Task BuildStagePublishesTheAssemblyTheEntrypointStarts()
    {
        using var root = new TemporaryDirectory("nfx-deploy-");
        var replay = new DockerBuildStageReplay(root.Path);

        await replay.RunAsync(_dockerfile.Stage("build"), DockerIgnore.Load(RepositoryPaths.Combine(".dockerignore")));

        var copy = Dockerfile.All(_dockerfile.FinalStage, "COPY").Single(instruction => instruction.Arguments.StartsWith("--from=build ", StringComparison.Ordinal));
        var (published, installed) = (copy.Arguments.Split(' ')[1], copy.Arguments.Split(' ')[2]);
        var entrypoint = Dockerfile.ExecForm(Dockerfile.All(_dockerfile.FinalStage, "ENTRYPOINT").Single());
        Assert.Equal("dotnet", entrypoint[0]);
        Assert.StartsWith(installed + "/", entrypoint[1], StringComparison.Ordinal);
        var assembly = replay.HostPath(published + entrypoint[1][installed.Length..]);
        Assert.True(File.Exists(assembly), $"the build stage did not publish {entrypoint[1]} (looked for {assembly})");
        Assert.Equal(ProjectProperties.AssemblyName, AssemblyName.GetAssemblyName(assembly).Name);
        Assert.Contains("Microsoft.AspNetCore.App", SharedFrameworks(Path.ChangeExtension(assembly, ".runtimeconfig.json")));
    }

    private static IReadOnlyList<string> SharedFrameworks(string runtimeConfig)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(runtimeConfig));
        var options = document.RootElement.GetProperty("runtimeOptions");
        var frameworks = options.TryGetProperty("frameworks", out var list) ? list.EnumerateArray().ToList() : [options.GetProperty("framework")];
        return [.. frameworks.Select(framework => framework.GetProperty("name").GetString() ?? "")];
    }

    [GeneratedRegex(@"^[^:@\s]+(:[0-9]+\.[0-9]+\.[0-9]+(-[a-z0-9.]+)?(@sha256:[0-9a-f]{64})?|@sha256:[0-9a-f]{64})$")]
    private static partial Regex PinnedImagePattern();
}
