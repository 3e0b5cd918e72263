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
