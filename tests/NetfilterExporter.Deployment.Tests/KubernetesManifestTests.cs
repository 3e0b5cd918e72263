namespace NetfilterExporter.Deployment.Tests;

public sealed class KubernetesManifestTests
{
    [Fact]
    public void Every_manifest_is_a_named_object_in_the_exporter_namespace()
    {
        var documents = KubernetesManifests.All();

        Assert.NotEmpty(documents);
        foreach (var document in documents)
        {
            Assert.False(string.IsNullOrEmpty(document.Text("apiVersion")), document.Location);
            var metadata = document.Get("metadata");
            Assert.False(string.IsNullOrEmpty(metadata.Text("name")), metadata.Location);
            if (document.Text("kind") != "Namespace")
            {
                // Named in every manifest, so `kubectl apply -f manifests/` needs no kustomize namespace transformer.
                Assert.True(metadata.OptionalText("namespace") == KubernetesManifests.Namespace,
                    $"{metadata.Location}.namespace must be {KubernetesManifests.Namespace}");
            }
        }
    }

    [Fact]
    public void Kustomization_lists_every_manifest_and_every_listed_manifest_exists()
    {
        var listed = KubernetesManifests.Kustomization().Get("resources").Items.Select(item => item.Value).ToList();
        var present = Directory.GetFiles(KubernetesManifests.ManifestDirectory, "*.yaml")
            .Select(file => "manifests/" + Path.GetFileName(file))
            .ToList();

        Assert.Empty(present.Except(listed));
        var missing = listed.Where(resource => !File.Exists(Path.Combine(KubernetesManifests.Root, resource))).ToList();
        Assert.True(missing.Count == 0,
            $"deploy/kubernetes/kustomization.yaml lists files that do not exist: {string.Join(", ", missing)}. "
            + "The PrometheusRule and dashboard ConfigMaps come from deploy/kubernetes/generate.sh; run it and commit the output.");
    }

    [Fact]
    public void Plain_apply_of_the_directory_creates_the_namespace_first()
    {
        // kubectl apply -f DIR applies files in name order; a namespaced object before its namespace fails.
        var first = Directory.GetFiles(KubernetesManifests.ManifestDirectory, "*.yaml").Order(StringComparer.Ordinal).First();

        Assert.Equal(["Namespace"], KubernetesManifests.Load(first).Select(document => document.Text("kind")));
    }

    [Fact]
    public void Namespace_admits_privileged_pods()
    {
        var metadata = KubernetesManifests.Single("Namespace").Get("metadata");

        Assert.Equal(KubernetesManifests.Namespace, metadata.Text("name"));
        // hostNetwork and NET_ADMIN are forbidden by the baseline and restricted Pod Security levels.
        Assert.Equal("privileged", metadata.Get("labels").Text("pod-security.kubernetes.io/enforce"));
    }
}
