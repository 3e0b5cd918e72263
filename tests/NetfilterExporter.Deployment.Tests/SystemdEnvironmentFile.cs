
namespace NetfilterExporter.Deployment.Tests;

/// <summary>
/// deploy/systemd/netfilter-exporter.default, the example for the unit's EnvironmentFile=, read the way
/// systemd.exec(5) reads one: KEY=VALUE lines, # and ; comments, one pair of surrounding quotes removed.
/// </summary>
public static class SystemdEnvironmentFile
{
    public static string Path => RepositoryPaths.Combine("deploy", "systemd", "netfilter-exporter.default");

    public static IReadOnlyDictionary<string, string> Load()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = File.ReadAllLines(Path);
        for (var index = 0; index < lines.Length; index++)
        {
            var text = lines[index].Trim();
            if (text.Length == 0 || text[0] is '#' or ';')
            {
                continue;
            }
            var separator = text.IndexOf('=');
            if (separator <= 0 || text.EndsWith('\\'))
            {
                throw new ManifestException($"deploy/systemd/netfilter-exporter.default:{index + 1}: expected KEY=VALUE on one line, got '{text}'");
            }
            var value = text[(separator + 1)..].Trim();
            if (value.Length >= 2 && value[0] is '"' or '\'' && value[^1] == value[0])
            {
                value = value[1..^1];
            }
            variables[text[..separator].Trim()] = value;
        }
        return variables;
    }
}
