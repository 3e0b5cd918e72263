using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace NetfilterExporter.Monitoring.Tests.EndToEnd;

/// <summary>Builds and writes the YAML node model the test's derived configuration files are made of.</summary>
public static class YamlText
{
    public static string Write(YamlMappingNode root)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    public static void Set(YamlMappingNode mapping, string key, YamlNode value) => mapping.Children[new YamlScalarNode(key)] = value;

    public static void Set(YamlMappingNode mapping, string key, string value) => Set(mapping, key, new YamlScalarNode(value));

    public static YamlSequenceNode Sequence(IEnumerable<string> values) => new(values.Select(value => (YamlNode)new YamlScalarNode(value)));

    /// <summary>A static_configs list with one entry holding <paramref name="targets"/>.</summary>
    public static YamlSequenceNode StaticConfigs(IEnumerable<string> targets) =>
        new(new YamlMappingNode(new YamlScalarNode("targets"), Sequence(targets)));
}
