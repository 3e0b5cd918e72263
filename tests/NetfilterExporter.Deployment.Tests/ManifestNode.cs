using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace NetfilterExporter.Deployment.Tests;

/// <summary>
/// A node of a parsed manifest that knows its file and path, so a failed expectation names where the
/// manifest is wrong (file, line, YAML path) instead of throwing a bare KeyNotFoundException.
/// </summary>
public sealed class ManifestNode(YamlNode node, string file, string path)
{
    public string File { get; } = file;

    public string Path { get; } = path;

    public string Location => $"{File}:{node.Start.Line}: {Path}";

    public ManifestNode Get(string key) =>
        TryGet(key) ?? throw new ManifestException($"{Location} has no '{key}'");

    public ManifestNode? TryGet(string key)
    {
        var mapping = AsMapping();
        return mapping.Children.TryGetValue(new YamlScalarNode(key), out var child)
            ? new ManifestNode(child, File, $"{Path}.{key}")
            : null;
    }

    public string Text(string key) => Get(key).Value;

    public string? OptionalText(string key) => TryGet(key)?.Value;

    public string Value => node is YamlScalarNode { Value: { } value }
        ? value
        : throw new ManifestException($"{Location} is not a scalar");

    public IReadOnlyList<ManifestNode> Items => node is YamlSequenceNode sequence
        ? [.. sequence.Children.Select((child, index) => new ManifestNode(child, File, $"{Path}[{index}]"))]
        : throw new ManifestException($"{Location} is not a list");

    public IReadOnlyList<string> Keys => [.. AsMapping().Children.Keys.Select(key => ((YamlScalarNode)key).Value ?? "")];

    /// <summary>The string values of a mapping, e.g. metadata.labels.</summary>
    public IReadOnlyDictionary<string, string> ToStringMap() =>
        Keys.ToDictionary(key => key, key => Text(key), StringComparer.Ordinal);

    /// <summary>The one item of a list whose <paramref name="key"/> is <paramref name="value"/>, e.g. a volume by name.</summary>
    public ManifestNode Single(string key, string value)
    {
        var matches = Items.Where(item => item.OptionalText(key) == value).ToList();
        return matches.Count == 1
            ? matches[0]
            : throw new ManifestException($"{Location} has {matches.Count} items with {key} '{value}', expected exactly one");
    }

    /// <summary>The subtree written out as YAML, to compare two subtrees with a readable difference.</summary>
    public string ToYamlText()
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        new YamlStream(new YamlDocument(node)).Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    private YamlMappingNode AsMapping() => node as YamlMappingNode
        ?? throw new ManifestException($"{Location} is not a mapping");
}
