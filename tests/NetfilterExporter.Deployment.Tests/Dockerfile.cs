using System.Text.Json;
using System.Text.RegularExpressions;

namespace NetfilterExporter.Deployment.Tests;

/// <summary>
/// The repository's Dockerfile split into stages. Parses what the file uses (comments, backslash
/// continuations, exec-form arrays, LABEL and ARG pairs); no Docker engine runs on the build machines.
/// </summary>
public sealed partial class Dockerfile
{
    private Dockerfile(IReadOnlyList<IReadOnlyList<DockerInstruction>> stages) => Stages = stages;

    public static string Path => RepositoryPaths.Combine("Dockerfile");

    /// <summary>Each stage starts with its FROM instruction.</summary>
    public IReadOnlyList<IReadOnlyList<DockerInstruction>> Stages { get; }

    public IReadOnlyList<DockerInstruction> FinalStage => Stages[^1];

    public static Dockerfile Load()
    {
        var instructions = new List<DockerInstruction>();
        var lines = File.ReadAllLines(Path);
        for (var index = 0; index < lines.Length; index++)
        {
            var text = lines[index].Trim();
            if (text.Length == 0 || text.StartsWith('#'))
            {
                continue;
            }
            var start = index + 1;
            while (text.EndsWith('\\') && index + 1 < lines.Length)
            {
                var next = lines[++index].Trim();
                text = text[..^1] + (next.StartsWith('#') ? "" : " " + next);
            }
            var parts = text.Split(' ', 2, StringSplitOptions.TrimEntries);
            instructions.Add(new DockerInstruction(start, parts[0].ToUpperInvariant(), parts.Length > 1 ? parts[1] : ""));
        }
        var stages = new List<List<DockerInstruction>>();
        foreach (var instruction in instructions)
        {
            if (instruction.Keyword == "FROM")
            {
                stages.Add([]);
            }
            else if (stages.Count == 0)
            {
                throw new ManifestException($"Dockerfile:{instruction.Line}: {instruction.Keyword} before the first FROM");
            }
            stages[^1].Add(instruction);
        }
        return new Dockerfile(stages);
    }

    /// <summary>The stage declared with <c>FROM image AS name</c>.</summary>
    public IReadOnlyList<DockerInstruction> Stage(string name) =>
        Stages.SingleOrDefault(stage => StageName(stage) == name)
        ?? throw new ManifestException($"Dockerfile has no stage named '{name}'");

    public static string? StageName(IReadOnlyList<DockerInstruction> stage)
    {
        var words = stage[0].Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length == 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? words[2] : null;
    }

    public static string BaseImage(IReadOnlyList<DockerInstruction> stage) =>
        stage[0].Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];

    public static IReadOnlyList<DockerInstruction> All(IReadOnlyList<DockerInstruction> stage, string keyword) =>
        [.. stage.Where(instruction => instruction.Keyword == keyword)];

    /// <summary>The JSON array of an exec-form instruction (ENTRYPOINT ["dotnet", "..."]).</summary>
    public static IReadOnlyList<string> ExecForm(DockerInstruction instruction)
    {
        try
        {
            using var document = JsonDocument.Parse(instruction.Arguments);
            return [.. document.RootElement.EnumerateArray().Select(element => element.GetString() ?? "")];
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            throw new ManifestException($"Dockerfile:{instruction.Line}: {instruction.Keyword} is not in exec form (a JSON array of strings): {exception.Message}");
        }
    }

    /// <summary>The key=value pairs of LABEL, ARG or ENV instructions, quotes removed.</summary>
    public static IReadOnlyDictionary<string, string> Pairs(IEnumerable<DockerInstruction> instructions) =>
        instructions
            .SelectMany(instruction => PairPattern().Matches(instruction.Arguments))
            .ToDictionary(match => match.Groups["key"].Value, match => match.Groups["value"].Value.Trim('"'), StringComparer.Ordinal);

    [GeneratedRegex("""(?<key>[A-Za-z0-9_.\-]+)=(?<value>"(?:[^"\\]|\\.)*"|\S*)""")]
    private static partial Regex PairPattern();
}
