using System.Net;
using System.Text.Json;
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
            var image = Dockerfile.BaseImage(stage);
            Assert.True(PinnedImagePattern().IsMatch(image),
                $"Dockerfile:{stage[0].Line}: {image} must name a patch release such as aspnet:10.0.12-noble (or a digest), not a floating tag");
        }
        Assert.Contains("/dotnet/sdk:", Dockerfile.BaseImage(dockerfile.Stage("build")), StringComparison.Ordinal);
        Assert.Contains("/dotnet/runtime-deps:", Dockerfile.BaseImage(dockerfile.FinalStage), StringComparison.Ordinal);
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
        var container = KubernetesManifests.Single("DaemonSet").Get("spec").Get("template").Get("spec").Get("containers").Items.Single();

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
        Assert.Equal(Dockerfile.BaseImage(dockerfile.FinalStage), labels["org.opencontainers.image.base.name"]);
    }

    [Fact]
    public void Runs_as_root_because_the_capabilities_need_uid_zero()
    {
        // A non-root USER would leave NET_ADMIN and NET_RAW in the bounding set only (kubernetes/kubernetes#56374).
        Assert.Equal("root", Dockerfile.All(dockerfile.FinalStage, "USER").Last().Arguments);
    }

    /// <summary>
    /// The image runs a trimmed, natively compiled build, and the trimmer has broken working code before
    /// (dotnet/runtime#131088: every other scrape hung). So the published executable itself is started and
    /// scraped, not only found.
    /// </summary>
    [Fact]
    public async Task Build_stage_publishes_the_executable_the_entrypoint_starts_and_it_serves_and_checks()
    {
        using var root = new TemporaryDirectory("nfx-deploy-");
        const string revision = "0123456789abcdef0123456789abcdef01234567";
        var replay = new DockerBuildStageReplay(root.Path, new Dictionary<string, string> { ["REVISION"] = revision });

        await replay.RunAsync(dockerfile.Stage("build"), DockerIgnore.Load(RepositoryPaths.Combine(".dockerignore")));

        var copy = Dockerfile.All(dockerfile.FinalStage, "COPY").Single(instruction => instruction.Arguments.StartsWith("--from=build ", StringComparison.Ordinal));
        var (published, installed) = (copy.Arguments.Split(' ')[1], copy.Arguments.Split(' ')[2]);
        var entrypoint = Dockerfile.ExecForm(Dockerfile.All(dockerfile.FinalStage, "ENTRYPOINT").Single());
        Assert.StartsWith(installed + "/", entrypoint[0], StringComparison.Ordinal);
        var executable = replay.HostPath(published + entrypoint[0][installed.Length..]);
        Assert.True(File.Exists(executable), $"the build stage did not publish {entrypoint[0]} (looked for {executable})");
        // Native AOT: runtime-deps has no .NET runtime, so the image needs one native executable and nothing else
        // (no assemblies, no runtimeconfig, no debug symbols).
        Assert.Equal([executable], Directory.GetFiles(replay.HostPath(published)));
        Assert.Equal("\u007fELF"u8.ToArray(), File.ReadAllBytes(executable)[..4]);

        var version = await TestCommand.RunAsync(executable, ["--version"]);
        Assert.Equal($"netfilter-exporter {ProjectProperties.Version} (revision {revision}, .NET {Environment.Version})\n", version.StandardOutput);

        var stale = RepositoryPaths.Combine("examples", "after-stop-start.legacy-ipv4.txt");
        var environment = new Dictionary<string, string>(Dockerfile.Pairs(Dockerfile.All(dockerfile.FinalStage, "ENV")), StringComparer.Ordinal)
        {
            ["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin",
        };
        await using var node = await NetworkNamespace.CreateAsync();
        await using (var exporter = await ExactCommandExporter.StartAsync(
            node,
            [executable, $"--iptables.from-file={stale}", "--collector.min-interval=1ms", "--web.listen-address=127.0.0.1:10066"],
            new Uri("http://127.0.0.1:10066/"),
            environment,
            TestContext.Current.CancellationToken))
        {
            var sequential = new List<HttpStatusCode>();
            for (var i = 0; i < 6; i++)
            {
                sequential.Add((await exporter.GetAsync("metrics", TestContext.Current.CancellationToken)).Status);
            }
            var concurrent = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => exporter.GetAsync(i % 3 == 0 ? "" : "metrics")));
            var scrape = await exporter.GetAsync("metrics", TestContext.Current.CancellationToken);

            Assert.All(sequential.Concat(concurrent.Select(response => response.Status)), status => Assert.Equal(HttpStatusCode.OK, status));
            var metrics = ScrapedMetrics.Parse(scrape.Body);
            Assert.Equal(1, metrics.Value("netfilter_hostport_dnat_duplicates", "backend=legacy", "family=ipv4", "protocol=tcp", "port=80"));
            Assert.Equal(1, metrics.Value("netfilter_exporter_build_info", $"version={ProjectProperties.Version}", $"revision={revision}"));
        }

        var check = await TestCommand.RunAsync(executable, ["check", $"--iptables.from-file={stale}", "--output=json"]);
        Assert.True(check.ExitCode == 1, $"check exited {check.ExitCode}: {check.StandardOutput}{check.StandardError}");
        using var report = JsonDocument.Parse(check.StandardOutput);
        Assert.Contains(report.RootElement.GetProperty("findings").EnumerateArray(), finding => finding.GetProperty("id").GetString() == "hostport-dnat-duplicate");
    }

    [GeneratedRegex(@"^[^:@\s]+(:[0-9]+\.[0-9]+\.[0-9]+(-[a-z0-9.]+)?(@sha256:[0-9a-f]{64})?|@sha256:[0-9a-f]{64})$")]
    private static partial Regex PinnedImagePattern();
}
