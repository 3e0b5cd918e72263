namespace NetfilterExporter.Conntrack;

/// <summary>Finds the modprobe.d directives that keep nf_conntrack from loading.</summary>
internal static class ModprobeDirectives
{
    public static IEnumerable<BlacklistEntry> FindBlacklistEntries(string file, string text)
    {
        foreach (var line in ModprobeLines.Split(text))
        {
            // kmod splits on blanks and ignores unknown commands, which is also how "#" comment lines fall out.
            var words = line.Text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length >= 2 && ModuleName.IsConntrack(words[1]) && KindOf(words) is { } kind)
            {
                yield return new BlacklistEntry(file, line.Number, string.Join(' ', words), kind);
            }
        }
    }

    /// <summary>
    /// "blacklist m", or "install m C" where C is a command that does not load anything. Any other install
    /// command is assumed to load the module (the common form is "/sbin/modprobe --ignore-install m ...").
    /// </summary>
    private static BlacklistKind? KindOf(string[] words) => words[0] switch
    {
        "blacklist" => BlacklistKind.ModprobeBlacklist,
        "install" when words.Length == 3 && words[2] is "/bin/false" or "/bin/true" or "/usr/bin/false" or "/usr/bin/true" or "false" or "true"
            => BlacklistKind.InstallCommand,
        _ => null,
    };
}
