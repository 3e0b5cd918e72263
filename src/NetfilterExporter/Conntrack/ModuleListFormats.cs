using NetfilterExporter.Host;

namespace NetfilterExporter.Conntrack;

/// <summary>The two formats that list modules to load at boot.</summary>
internal static class ModuleListFormats
{
    /// <summary>
    /// modules-load.d(5): the whole stripped line is the module name. Comment lines start with '#' or ';',
    /// and there are no inline comments, so "nf_conntrack # note" names no module and is not counted.
    /// </summary>
    public static bool ModulesLoadListsConntrack(string text) =>
        HostFile.Lines(text).Any(line => ModuleName.IsConntrack(line.Trim()));

    /// <summary>Debian's /etc/modules: the first word is the module name, parameters may follow, '#' starts a comment line.</summary>
    public static bool DebianModulesListsConntrack(string text) =>
        HostFile.Lines(text)
            .Select(line => line.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries))
            .Any(words => words.Length > 0 && ModuleName.IsConntrack(words[0]));
}
