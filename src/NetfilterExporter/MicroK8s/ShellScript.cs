using System.Text.RegularExpressions;

namespace NetfilterExporter.MicroK8s;

/// <summary>
/// The few facts read from MicroK8s' shell scripts: which commands a script runs and what a function's body holds.
/// Lines are taken as the shell would see them for these purposes: comments dropped, nothing expanded.
/// </summary>
internal static partial class ShellScript
{
    /// <summary>The lines that run something: comments and blank lines left out, each trimmed.</summary>
    public static IEnumerable<string> Commands(IEnumerable<string> lines) =>
        lines.Select(line => StripComment(line).Trim()).Where(line => line.Length > 0);

    /// <summary>Whether some command line names <paramref name="word"/> as a whole word.</summary>
    public static bool Runs(IEnumerable<string> lines, string word) =>
        Commands(lines).Any(line => Regex.IsMatch(line, $@"(^|[\s;&|(]){Regex.Escape(word)}($|[\s;&|)])"));

    /// <summary>The body of <c>name() {</c> … <c>}</c>, or empty when the script does not define it.</summary>
    public static IReadOnlyList<string> FunctionBody(IReadOnlyList<string> lines, string name)
    {
        var start = -1;
        for (var i = 0; i < lines.Count; i++)
        {
            if (FunctionStart().Match(StripComment(lines[i])) is { Success: true } match && match.Groups[1].Value == name)
            {
                start = i + 1;
                break;
            }
        }
        if (start < 0)
        {
            return [];
        }
        // MicroK8s' functions close with a "}" at the start of a line.
        var end = start;
        while (end < lines.Count && !lines[end].StartsWith('}'))
        {
            end++;
        }
        return lines.Skip(start).Take(end - start).ToList();
    }

    private static string StripComment(string line)
    {
        var trimmed = line.TrimStart();
        return trimmed.StartsWith('#') ? "" : line;
    }

    [GeneratedRegex(@"^\s*(?:function\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*\(\)\s*\{?\s*$")]
    private static partial Regex FunctionStart();
}
