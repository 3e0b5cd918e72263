using YamlDotNet.RepresentationModel;

namespace NetfilterExporter.Deployment.Tests;

/// <summary>Builds a kustomization with the real `kubectl kustomize`, as `kubectl apply -k` would.</summary>
public static class Kustomize
{
    public static string OverlayRoot => RepositoryPaths.Combine("deploy", "kubernetes-overlays");

    public static async Task<IReadOnlyList<ManifestNode>> BuildAsync(string directory)
    {
        // kubectl is no Debian 12 package, so the hint names the upstream install instead of apt-get.
        var kubectl = SearchPath.Find("kubectl") ?? throw new PrerequisiteMissingException(
            "this test needs 'kubectl' on PATH (it builds the kustomizations with `kubectl kustomize`): "
            + "install it from https://kubernetes.io/docs/tasks/tools/install-kubectl-linux/");
        var relative = Path.GetRelativePath(RepositoryPaths.Root, directory);
        var result = (await TestCommand.RunAsync(kubectl, ["kustomize", directory])).EnsureSuccess($"kubectl kustomize {relative}");
        var stream = new YamlStream();
        using var reader = new StringReader(result.StandardOutput);
        stream.Load(reader);
        return [.. stream.Documents.Select(document => new ManifestNode(document.RootNode, $"kubectl kustomize {relative}", "$"))];
    }
}
