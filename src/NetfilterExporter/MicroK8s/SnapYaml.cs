using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace NetfilterExporter.MicroK8s;

/// <summary>The two keys of the snap's meta/snap.yaml the exporter reports.</summary>
internal sealed record SnapYaml(string Version, string Confinement)
{
    /// <exception cref="IOException">Not YAML, or without a version; the message names the file and line.</exception>
    public static SnapYaml Parse(string text, string file)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException exception)
        {
            throw new IOException($"{file}: line {exception.Start.Line}: {exception.Message}", exception);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new IOException($"{file}: not a snap.yaml: expected a mapping of keys");
        }
        string? Scalar(string key) =>
            root.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode { Value: { Length: > 0 } value } ? value : null;
        return new SnapYaml(
            Scalar("version") ?? throw new IOException($"{file}: no version"),
            // snapd's default when the key is left out.
            Scalar("confinement") ?? "strict");
    }
}
