using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace NetfilterExporter.Deployment.Tests;

/// <summary>Reads deploy/kubernetes: the kustomization and every document of every manifest file.</summary>
public static class KubernetesManifests
{
    public const string Namespace = "netfilter-exporter";

    public static string Root => RepositoryPaths.Combine("deploy", "kubernetes");

    public static string ManifestDirectory => Path.Combine(Root, "manifests");

    public static ManifestNode Kustomization() => Load(Path.Combine(Root, "kustomization.yaml")).Single();

    /// <summary>Every document of every manifests/*.yaml file present, in file order.</summary>
    public static IReadOnlyList<ManifestNode> All() =>
        [.. Directory.GetFiles(ManifestDirectory, "*.yaml").Order(StringComparer.Ordinal).SelectMany(Load)];

    /// <summary>The only resource of this kind; fails if there is none or more than one.</summary>
    public static ManifestNode Single(string kind)
    {
        var matches = All().Where(document => document.OptionalText("kind") == kind).ToList();
        return matches.Count == 1
            ? matches[0]
            : throw new ManifestException($"expected one {kind} under {ManifestDirectory}, found {matches.Count}");
    }

    /// <summary>The DaemonSet's pod spec.</summary>
    public static ManifestNode DaemonSetPodSpec() => Single("DaemonSet").Get("spec").Get("template").Get("spec");

    /// <summary>The DaemonSet's one container.</summary>
    public static ManifestNode DaemonSetContainer() => DaemonSetPodSpec().Get("containers").Items.Single();

    /// <summary>Where the DaemonSet's pod sees the host's / (the mount of the hostPath volume of path /).</summary>
    public static string HostRootMountPath()
    {
        var podSpec = DaemonSetPodSpec();
        var volume = podSpec.Get("volumes").Items.Single(item => item.TryGet("hostPath")?.OptionalText("path") == "/");
        return podSpec.Get("containers").Items.Single().Get("volumeMounts").Single("name", volume.Text("name")).Text("mountPath");
    }

    public static IReadOnlyList<ManifestNode> Load(string path)
    {
        var relative = Path.GetRelativePath(RepositoryPaths.Root, path);
        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            stream.Load(reader);
        }
        catch (YamlException exception)
        {
            throw new ManifestException($"{relative}:{exception.Start.Line}: not valid YAML: {exception.Message}");
        }
        return [.. stream.Documents.Select(document => new ManifestNode(document.RootNode, relative, "$"))];
    }
}
