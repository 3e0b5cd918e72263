using System.Text.RegularExpressions;
using NetfilterExporter.TestSupport;

namespace NetfilterExporter.Unit.Tests.Sources;

/// <summary>
/// The folders tell the data flow: sources below, the assessment's joins above them, the renderers on top. Read from
/// the source text (every namespace a file names, by using or in full), so a new reference is caught where it is written.
/// </summary>
public sealed partial class NamespaceDependencyTests
{
    /// <summary>Where the sources live; each is a folder plus one line in Sources/SourceTable.cs.</summary>
    private static readonly string[] SourceFolders = ["HostPorts", "Cri", "Conntrack"];

    /// <summary>What renders or schedules any source without knowing one; a source added must change none of them.</summary>
    private static readonly string[] GenericFolders = ["Collection", "Reporting", "Exposition", "Check", "Web"];

    private static readonly Dictionary<string, HashSet<string>> References = ReadReferences();

    [Fact]
    public void No_namespace_cycle_remains()
    {
        var cycle = FindCycle();

        Assert.True(cycle is null, $"namespace cycle: {string.Join(" -> ", cycle ?? [])}");
    }

    [Fact]
    public void The_generic_stages_know_no_source()
    {
        Assert.All(GenericFolders, folder => Assert.Empty(References.GetValueOrDefault(folder, []).Intersect(SourceFolders)));
        // Seen at all: a test of an empty graph would pass whatever the code did.
        Assert.Contains("Reporting", References["Check"].Union(References["Exposition"]).Union(References["Assessment"]));
    }

    [Fact]
    public void No_source_reads_another_source_only_the_assessment_joins_them()
    {
        Assert.All(SourceFolders, folder => Assert.Empty(References[folder].Intersect(SourceFolders)));
        Assert.Contains("HostPorts", References["Assessment"]);
        Assert.Contains("Cri", References["Assessment"]);
    }

    private static List<string>? FindCycle()
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var path = new List<string>();
        List<string>? Visit(string node)
        {
            state[node] = 1;
            path.Add(node);
            foreach (var next in References.GetValueOrDefault(node, []).Order(StringComparer.Ordinal))
            {
                if (state.GetValueOrDefault(next) == 1)
                {
                    return [.. path[path.IndexOf(next)..], next];
                }
                if (state.GetValueOrDefault(next) == 0 && Visit(next) is { } found)
                {
                    return found;
                }
            }
            state[node] = 2;
            path.RemoveAt(path.Count - 1);
            return null;
        }
        return References.Keys.Order(StringComparer.Ordinal).Where(node => state.GetValueOrDefault(node) == 0).Select(Visit).FirstOrDefault(found => found is not null);
    }

    private static Dictionary<string, HashSet<string>> ReadReferences()
    {
        var source = RepositoryPaths.Combine("src", "NetfilterExporter");
        var folders = Directory.GetDirectories(source).Select(Path.GetFileName).OfType<string>().Where(name => name is not "bin" and not "obj").ToHashSet(StringComparer.Ordinal);
        var references = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories).Where(file => !file.Contains("/obj/", StringComparison.Ordinal)))
        {
            var text = File.ReadAllText(file);
            if (FileNamespace().Match(text) is not { Success: true } declared)
            {
                continue;
            }
            var own = declared.Groups[1].Value;
            if (!references.TryGetValue(own, out var named))
            {
                references[own] = named = new HashSet<string>(StringComparer.Ordinal);
            }
            // In full (NetfilterExporter.Cri.Sandbox) or from the root namespace (Cri.Sandbox, Assessment.SandboxJoin).
            named.UnionWith(NamedNamespace().Matches(text).Concat(PartlyNamedNamespace().Matches(text))
                .Select(match => match.Groups[1].Value).Where(other => other != own && folders.Contains(other)));
        }
        return references;
    }

    [GeneratedRegex(@"^namespace NetfilterExporter\.([A-Za-z]+);", RegexOptions.Multiline)]
    private static partial Regex FileNamespace();

    [GeneratedRegex(@"NetfilterExporter\.([A-Z][A-Za-z]*)")]
    private static partial Regex NamedNamespace();

    // Not after a dot or a word character, so member access (assessment.Findings.Count) is not taken for a namespace.
    [GeneratedRegex(@"(?<![.\w])([A-Z][A-Za-z]*)\.[A-Z]")]
    private static partial Regex PartlyNamedNamespace();
}
