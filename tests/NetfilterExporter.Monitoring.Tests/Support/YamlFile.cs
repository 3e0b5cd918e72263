using YamlDotNet.RepresentationModel;

namespace NetfilterExporter.Monitoring.Tests.Support;

/// <summary>
/// Reads a YAML file through YamlDotNet's node model (no reflection) and reports missing or mistyped keys
/// with the file and line, so a broken rule or test file says where it is broken.
/// </summary>
public sealed class YamlFile
{
    private YamlFile(string path, YamlMappingNode root)
    {
        Path = path;
        Root = root;
    }

    public string Path { get; }

    public YamlMappingNode Root { get; }

    public static YamlFile Load(string path)
    {
        var stream = new YamlStream();
        using (var reader = File.OpenText(path))
        {
            stream.Load(reader);
        }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new InvalidDataException($"{path}: expected one YAML document whose top level is a mapping");
        }
        return new YamlFile(path, root);
    }

    public string Where(YamlNode node) => $"{Path}:{node.Start.Line}";

    public YamlSequenceNode Sequence(YamlMappingNode parent, string key) =>
        Optional(parent, key) as YamlSequenceNode ?? throw Missing(parent, key, "a sequence");

    public string Scalar(YamlMappingNode parent, string key) =>
        OptionalScalar(parent, key) ?? throw Missing(parent, key, "a scalar");

    public string? OptionalScalar(YamlMappingNode parent, string key) => Optional(parent, key) switch
    {
        null => null,
        YamlScalarNode scalar => scalar.Value ?? "",
        var other => throw new InvalidDataException($"{Where(other)}: '{key}' must be a scalar"),
    };

    public IReadOnlyDictionary<string, string> StringMap(YamlMappingNode parent, string key)
    {
        if (Optional(parent, key) is not YamlMappingNode mapping)
        {
            return new Dictionary<string, string>();
        }
        return mapping.Children.ToDictionary(
            pair => ((YamlScalarNode)pair.Key).Value ?? "",
            pair => pair.Value is YamlScalarNode value ? value.Value ?? "" : throw new InvalidDataException($"{Where(pair.Value)}: '{key}' values must be scalars"),
            StringComparer.Ordinal);
    }

    public static YamlNode? Optional(YamlMappingNode parent, string key) =>
        parent.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    private InvalidDataException Missing(YamlMappingNode parent, string key, string what) =>
        new($"{Where(parent)}: '{key}' is missing or is not {what}");
}
