using System.Text.Json;
using System.Text.RegularExpressions;

namespace NetfilterExporter.Deployment.Tests;

/// <summary>
/// The repository's Dockerfile split into stages. Parses what the file uses (comments, backslash
/// continuations, exec-form arrays, LABEL and ARG pairs); no Docker engine runs on the build machines.
/// </summary>
public sealed partial class Dockerfile
{
    private Dockerfile(IReadOnlyList<DockerInstruction> globalArguments, IReadOnlyList<IReadOnlyList<DockerInstruction>> stages)
    {
        GlobalArguments = globalArguments;
        Stages = stages;
    }

    public static string Path => RepositoryPaths.Combine("Dockerfile");

    /// <summary>Each stage starts with its FROM instruction.</summary>
    public IReadOnlyList<IReadOnlyList<DockerInstruction>> Stages { get; }

    public IReadOnlyList<DockerInstruction> FinalStage => Stages[^1];

    /// <summary>The ARG instructions before the first FROM: what FROM lines may name as ${NAME}.</summary>
    public IReadOnlyList<DockerInstruction> GlobalArguments { get; }

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
        var globalArguments = new List<DockerInstruction>();
        var stages = new List<List<DockerInstruction>>();
        foreach (var instruction in instructions)
        {
            if (instruction.Keyword == "FROM")
            {
                stages.Add([]);
            }
            else if (stages.Count == 0)
            {
                if (instruction.Keyword != "ARG")
                {
                    throw new ManifestException($"Dockerfile:{instruction.Line}: {instruction.Keyword} before the first FROM (only ARG may come first)");
                }
                globalArguments.Add(instruction);
                continue;
            }
            stages[^1].Add(instruction);
        }
        return new Dockerfile(globalArguments, stages);
    }

    /// <summary>The stage declared with <c>FROM image AS name</c>.</summary>
    public IReadOnlyList<DockerInstruction> Stage(string name) =>
        Stages.SingleOrDefault(stage => StageName(stage) == name)
        ?? throw new ManifestException($"Dockerfile has no stage named '{name}'");

    public static string? StageName(IReadOnlyList<DockerInstruction> stage)
    {
        var words = FromWords(stage);
        return words.Length == 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? words[2] : null;
    }

    /// <summary>The stage's base image with ${NAME} replaced by the global ARG's default, as a build without --build-arg uses it.</summary>
    public string BaseImage(IReadOnlyList<DockerInstruction> stage)
    {
        var image = FromWords(stage)[0];
        var defaults = Pairs(GlobalArguments);
        return ArgumentReferencePattern().Replace(image, match => defaults.TryGetValue(match.Groups["name"].Value, out var value)
            ? value
            : throw new ManifestException($"Dockerfile:{stage[0].Line}: ${{{match.Groups["name"].Value}}} has no default in an ARG before the first FROM"));
    }

    /// <summary>The FROM line's words after its flags (--platform=...).</summary>
    private static string[] FromWords(IReadOnlyList<DockerInstruction> stage) =>
        [.. stage[0].Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).SkipWhile(word => word.StartsWith("--", StringComparison.Ordinal))];

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

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)\}|\$(?<name>[A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex ArgumentReferencePattern();

    [GeneratedRegex("""(?<key>[A-Za-z0-9_.\-]+)=(?<value>"(?:[^"\\]|\\.)*"|\S*)""")]
    private static partial Regex PairPattern();
}
