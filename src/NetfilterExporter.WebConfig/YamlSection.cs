using YamlDotNet.RepresentationModel;

namespace NetfilterExporter.WebConfig;

/// <summary>
/// One mapping of the web configuration, read the way Go's strict YAML decoding reads it into exporter-toolkit's
/// structs: every key known, each value of the expected shape, and every error naming the file, line and key.
/// A key given twice never gets here: YamlDotNet refuses it while loading ("Duplicate key").
/// </summary>
internal sealed class YamlSection(YamlMappingNode node, string file, string name)
{
    public string File => file;

    public long Line => node.Start.Line;

    /// <summary>Each key with its value; unknown keys are refused.</summary>
    public IEnumerable<(string Key, YamlNode Value, long Line)> Entries(IReadOnlyCollection<string> known)
    {
        foreach (var (keyNode, value) in node.Children)
        {
            var key = keyNode is YamlScalarNode { Value: { } text } ? text : throw Error(keyNode.Start.Line, "keys must be plain names");
            if (!known.Contains(key))
            {
                throw Error(keyNode.Start.Line, $"unknown key '{key}' {Where} (known: {string.Join(", ", known)})");
            }
            yield return (key, value, keyNode.Start.Line);
        }
    }

    public WebConfigException Error(long line, string problem) => WebConfigException.At(file, line, problem);

    public string Qualified(string key) => name.Length == 0 ? key : $"{name}.{key}";

    /// <summary>A scalar as text; YAML's null (empty, ~, null) is null, as Go leaves the field at its zero value.</summary>
    public string? Scalar(string key, YamlNode value) => value switch
    {
        YamlScalarNode scalar when IsNull(scalar) => null,
        YamlScalarNode { Value: var text } => text,
        _ => throw Error(value.Start.Line, $"{Qualified(key)} must be a single value"),
    };

    public bool? Boolean(string key, YamlNode value) => Scalar(key, value) switch
    {
        null => null,
        "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "on" or "On" or "ON" or "y" or "Y" => true,
        "false" or "False" or "FALSE" or "no" or "No" or "NO" or "off" or "Off" or "OFF" or "n" or "N" => false,
        var other => throw Error(value.Start.Line, $"{Qualified(key)} must be true or false, got '{other}'"),
    };

    public IReadOnlyList<(string Value, long Line)>? List(string key, YamlNode value) => value switch
    {
        YamlScalarNode scalar when IsNull(scalar) => null,
        YamlSequenceNode sequence => sequence.Children.Select(item => (Scalar(key, item) ?? "", item.Start.Line)).ToList(),
        _ => throw Error(value.Start.Line, $"{Qualified(key)} must be a list"),
    };

    /// <summary>A nested mapping, or null for an empty value.</summary>
    public YamlSection? Nested(string key, YamlNode value) => value switch
    {
        YamlScalarNode scalar when IsNull(scalar) => null,
        YamlMappingNode mapping => new YamlSection(mapping, file, Qualified(key)),
        _ => throw Error(value.Start.Line, $"{Qualified(key)} must be a mapping of keys to values"),
    };

    /// <summary>A mapping of arbitrary names to single values (basic_auth_users, headers).</summary>
    public IEnumerable<(string Name, string Value, long Line)> Pairs()
    {
        foreach (var (keyNode, value) in node.Children)
        {
            var key = keyNode is YamlScalarNode { Value: { } text } ? text : throw Error(keyNode.Start.Line, $"{name} keys must be plain names");
            yield return (key, Scalar(key, value) ?? "", keyNode.Start.Line);
        }
    }

    private string Where => name.Length == 0 ? "at the top level" : $"in {name}";

    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Value: null or "" or "~" or "null" or "Null" or "NULL", Style: not (YamlDotNet.Core.ScalarStyle.SingleQuoted or YamlDotNet.Core.ScalarStyle.DoubleQuoted) };
}
