using System.Text;
using System.Text.RegularExpressions;

namespace NetfilterExporter.Deployment.Tests;

/// <summary>
/// .dockerignore with Docker's rules: Go-style patterns plus <c>**</c>, a pattern also excludes everything
/// below a directory it matches, <c>!</c> re-includes, and the last matching pattern wins.
/// </summary>
public sealed class DockerIgnore
{
    private readonly IReadOnlyList<(Regex Pattern, bool Reinclude)> patterns;

    private DockerIgnore(IReadOnlyList<(Regex Pattern, bool Reinclude)> patterns) => this.patterns = patterns;

    public static DockerIgnore Load(string path) => new(
        [.. File.ReadAllLines(path)
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.StartsWith('!') ? (ToRegex(line[1..]), true) : (ToRegex(line), false))]);

    /// <summary>Whether a path relative to the build context (with '/' separators) stays out of the context.</summary>
    public bool IsExcluded(string relativePath)
    {
        var candidates = ParentsAndSelf(relativePath).ToList();
        var excluded = false;
        foreach (var (pattern, reinclude) in patterns)
        {
            if (candidates.Any(candidate => pattern.IsMatch(candidate)))
            {
                excluded = !reinclude;
            }
        }
        return excluded;
    }

    private static IEnumerable<string> ParentsAndSelf(string relativePath)
    {
        var parts = relativePath.Split('/');
        for (var count = 1; count <= parts.Length; count++)
        {
            yield return string.Join('/', parts[..count]);
        }
    }

    private static Regex ToRegex(string pattern)
    {
        var cleaned = pattern.Trim('/');
        var regex = new StringBuilder("^");
        for (var index = 0; index < cleaned.Length; index++)
        {
            var character = cleaned[index];
            if (character == '*' && index + 1 < cleaned.Length && cleaned[index + 1] == '*')
            {
                index++;
                var slashFollows = index + 1 < cleaned.Length && cleaned[index + 1] == '/';
                regex.Append(slashFollows ? "(.*/)?" : ".*");
                index += slashFollows ? 1 : 0;
            }
            else
            {
                regex.Append(character switch
                {
                    '*' => "[^/]*",
                    '?' => "[^/]",
                    _ => Regex.Escape(character.ToString()),
                });
            }
        }
        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant);
    }
}
