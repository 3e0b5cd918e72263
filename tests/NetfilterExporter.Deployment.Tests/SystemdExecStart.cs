namespace NetfilterExporter.Deployment.Tests;

/// <summary>
/// Splits an ExecStart= command line into the words systemd executes (systemd.service(5), "Command lines"):
/// a word that is exactly $NAME becomes the variable's whitespace-separated words, none if it is unset (the
/// EnvironmentFile=- may be missing), and ${NAME} is replaced inside its word. What the unit does not use (an
/// unset ${NAME}, quotes, escapes, the -@:+! prefixes) fails instead of being misread.
/// </summary>
public static class SystemdExecStart
{
    public static IReadOnlyList<string> Expand(string execStart, IReadOnlyDictionary<string, string> environment)
    {
        if (execStart.IndexOfAny(['"', '\'', '\\']) >= 0 || execStart.Length == 0 || execStart[0] is '-' or '@' or ':' or '+' or '!')
        {
            throw new ManifestException($"ExecStart={execStart}: quoting, escapes and prefixes are not expanded by {nameof(SystemdExecStart)}; extend it");
        }
        var words = new List<string>();
        foreach (var word in execStart.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (word.StartsWith('$') && !word.StartsWith("${", StringComparison.Ordinal))
            {
                var value = environment.GetValueOrDefault(word[1..], "");
                words.AddRange(value.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries));
                continue;
            }
            var expanded = word;
            foreach (var (name, value) in environment)
            {
                expanded = expanded.Replace("${" + name + "}", value, StringComparison.Ordinal);
            }
            if (expanded.Contains("${", StringComparison.Ordinal))
            {
                throw new ManifestException($"ExecStart={execStart}: '{word}' refers to a variable the environment does not set");
            }
            words.Add(expanded);
        }
        return words;
    }
}
