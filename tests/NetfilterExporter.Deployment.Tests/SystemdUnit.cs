
namespace NetfilterExporter.Deployment.Tests;

/// <summary>
/// deploy/systemd/netfilter-exporter.service parsed into its directives (systemd.syntax(7)), optionally with
/// drop-ins from deploy/systemd/netfilter-exporter.service.d/ on top, as systemd reads them: in order, each
/// directive after the unit's.
/// </summary>
public sealed class SystemdUnit
{
    private readonly IReadOnlyList<SystemdDirective> directives;

    private SystemdUnit(IReadOnlyList<SystemdDirective> directives) => this.directives = directives;

    public static string Path => RepositoryPaths.Combine("deploy", "systemd", "netfilter-exporter.service");

    public static string DropInDirectory => Path + ".d";

    /// <summary>deploy/systemd/netfilter-exporter.socket, the socket activation alternative to --web.listen-address.</summary>
    public static string SocketPath => RepositoryPaths.Combine("deploy", "systemd", "netfilter-exporter.socket");

    /// <param name="dropIns">File names in <see cref="DropInDirectory"/>, e.g. cri.conf.</param>
    public static SystemdUnit Load(params string[] dropIns) =>
        new([.. Parse(Path), .. dropIns.SelectMany(dropIn => Parse(System.IO.Path.Combine(DropInDirectory, dropIn)))]);

    /// <summary>The directives of one file, unit or drop-in.</summary>
    public static IReadOnlyList<SystemdDirective> Parse(string path)
    {
        var name = System.IO.Path.GetRelativePath(RepositoryPaths.Root, path);
        var directives = new List<SystemdDirective>();
        var section = "";
        var lines = File.ReadAllLines(path);
        for (var index = 0; index < lines.Length; index++)
        {
            var text = lines[index].Trim();
            var start = index + 1;
            if (text.Length == 0 || text[0] is '#' or ';')
            {
                continue;
            }
            if (text.StartsWith('[') && text.EndsWith(']'))
            {
                section = text[1..^1];
                continue;
            }
            while (text.EndsWith('\\') && index + 1 < lines.Length)
            {
                text = text[..^1] + " " + lines[++index].Trim();
            }
            var separator = text.IndexOf('=');
            if (separator <= 0)
            {
                throw new ManifestException($"{name}:{start}: expected Key=Value, got '{text}'");
            }
            directives.Add(new SystemdDirective(start, section, text[..separator].Trim(), text[(separator + 1)..].Trim()));
        }
        return directives;
    }

    /// <summary>The value of a directive set once in [Service], or null; fails if it is set more than once.</summary>
    public string? Service(string key)
    {
        var values = ServiceValues(key);
        return values.Count <= 1
            ? values.SingleOrDefault()
            : throw new ManifestException($"{key}= is set {values.Count} times in [Service]; expected once");
    }

    /// <summary>Every value of a directive that may repeat (SystemCallFilter=, Environment=).</summary>
    public IReadOnlyList<string> ServiceValues(string key) =>
        [.. directives.Where(directive => directive.Section == "Service" && directive.Key == key).Select(directive => directive.Value)];

    /// <summary>The variables of every Environment= line (NAME=VALUE words, unquoted values only); a later one wins, as in systemd.</summary>
    public IReadOnlyDictionary<string, string> Environment()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var assignment in ServiceValues("Environment").SelectMany(value => value.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
        {
            var pair = assignment.Split('=', 2);
            variables[pair[0]] = pair.Length == 2 ? pair[1] : "";
        }
        return variables;
    }

    /// <summary>A space-separated list directive as a set (AmbientCapabilities=, RestrictAddressFamilies=).</summary>
    public IReadOnlySet<string> ServiceSet(string key) =>
        ServiceValues(key).SelectMany(value => value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToHashSet(StringComparer.Ordinal);
}
