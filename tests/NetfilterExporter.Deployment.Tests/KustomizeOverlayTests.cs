namespace NetfilterExporter.Deployment.Tests;

/// <summary>The base and the example overlay, built by the real `kubectl kustomize`.</summary>
public sealed class KustomizeOverlayTests
{
    private const string OverlayNamespace = "monitoring";
    private const string BaseRelease = "kube-prom-stack";
    private const string OverlayRelease = "kube-prometheus-stack";

    [Fact]
    public async Task Base_builds_to_every_object_of_the_manifests()
    {
        var built = await Kustomize.BuildAsync(KubernetesManifests.Root);

        Assert.Equal(KubernetesManifests.All().Select(Identity).Order(StringComparer.Ordinal), built.Select(Identity).Order(StringComparer.Ordinal));
        Assert.Contains("AlertmanagerConfig/netfilter-exporter", built.Select(Identity));
    }

    [Fact]
    public async Task Overlay_moves_everything_to_its_namespace_and_release_and_changes_nothing_else()
    {
        var baseObjects = await Kustomize.BuildAsync(KubernetesManifests.Root);
        var overlay = await Kustomize.BuildAsync(Path.Combine(Kustomize.OverlayRoot, OverlayRelease));

        // The namespace belongs to the Helm release; the overlay must neither create nor relabel it.
        Assert.DoesNotContain(overlay, document => document.Text("kind") == "Namespace");
        Assert.Equal(
            baseObjects.Where(document => document.Text("kind") != "Namespace").Select(Identity).Order(StringComparer.Ordinal),
            overlay.Select(Identity).Order(StringComparer.Ordinal));
        var relabelled = 0;
        foreach (var document in overlay)
        {
            var original = baseObjects.Single(candidate => Identity(candidate) == Identity(document));
            var metadata = document.Get("metadata");
            Assert.Equal(OverlayNamespace, metadata.Text("namespace"));
            var labels = metadata.Get("labels").ToStringMap();
            var originalLabels = original.Get("metadata").Get("labels").ToStringMap();
            if (originalLabels.TryGetValue("release", out var release))
            {
                Assert.Equal(BaseRelease, release);
                Assert.Equal(OverlayRelease, labels["release"]);
                relabelled++;
            }
            Assert.Equal(originalLabels.Where(label => label.Key != "release"), labels.Where(label => label.Key != "release"));
            foreach (var key in document.Keys.Where(key => key is not ("metadata" or "apiVersion" or "kind")))
            {
                Assert.Equal(original.Get(key).ToYamlText(), document.Get(key).ToYamlText());
            }
        }
        // ServiceMonitor, PrometheusRule and AlertmanagerConfig are what kube-prometheus-stack selects by release.
        Assert.Equal(3, relabelled);
    }

    private static string Identity(ManifestNode document) => document.Text("kind") + "/" + document.Get("metadata").Text("name");
}
