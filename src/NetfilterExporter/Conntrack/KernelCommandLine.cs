using System.Text;

namespace NetfilterExporter.Conntrack;

/// <summary>
/// The parameters of /proc/cmdline that load or refuse nf_conntrack. Read from the running boot's command line,
/// which is also taken as the next boot's (docs/contract.md §2 says what that assumes).
/// </summary>
internal sealed class KernelCommandLine
{
    private readonly IReadOnlyList<(string Key, string Value)> parameters;

    private KernelCommandLine(IReadOnlyList<(string Key, string Value)> parameters) => this.parameters = parameters;

    /// <summary>
    /// Splits as the kernel's next_arg does: on blanks outside double quotes, with the quotes dropped
    /// (<c>param="a b"</c> is one parameter). The kernel and systemd treat '-' and '_' in a key as the same.
    /// </summary>
    public static KernelCommandLine Parse(string text)
    {
        var parameters = new List<(string, string)>();
        var word = new StringBuilder();
        var quoted = false;
        foreach (var character in text + " ")
        {
            if (character == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && char.IsWhiteSpace(character))
            {
                if (word.Length > 0)
                {
                    var parameter = word.ToString();
                    var separator = parameter.IndexOf('=');
                    parameters.Add(separator < 0
                        ? (parameter.Replace('-', '_'), "")
                        : (parameter[..separator].Replace('-', '_'), parameter[(separator + 1)..]));
                    word.Clear();
                }
            }
            else
            {
                word.Append(character);
            }
        }
        return new KernelCommandLine(parameters);
    }

    /// <summary>
    /// systemd-modules-load loads the comma lists of every <c>modules_load=</c>. <c>rd.modules_load=</c> counts only
    /// where the initramfs runs systemd (dracut): systemd ignores rd.* keys outside the initramfs, and
    /// initramfs-tools (Debian, Ubuntu) does not read it at all.
    /// </summary>
    public bool ListsConntrack(bool initramfsRunsSystemd) =>
        parameters
            .Where(parameter => parameter.Key == "modules_load" || (initramfsRunsSystemd && parameter.Key == "rd.modules_load"))
            .Any(parameter => ListOf(parameter.Value).Any(ModuleName.IsConntrack));

    /// <summary>
    /// Both lists are compared with the module's own name, nf_conntrack, byte for byte: on a real 6.1 kernel with
    /// kmod 30, <c>nf-conntrack</c> in either list does not stop it. <c>modprobe.blacklist=</c>: kmod adds every
    /// occurrence. <c>module_blacklist=</c>: the kernel keeps only the last occurrence (a charp parameter).
    /// </summary>
    public IEnumerable<BlacklistEntry> FindBlacklistEntries()
    {
        foreach (var parameter in parameters.Where(parameter => parameter.Key == "modprobe.blacklist"))
        {
            if (ListOf(parameter.Value).Contains(ModuleName.Conntrack, StringComparer.Ordinal))
            {
                yield return Entry("modprobe.blacklist", parameter.Value, BlacklistKind.CommandLineModprobeBlacklist);
            }
        }
        var kernelList = parameters.LastOrDefault(parameter => parameter.Key == "module_blacklist");
        if (kernelList.Key is not null && ListOf(kernelList.Value).Contains(ModuleName.Conntrack, StringComparer.Ordinal))
        {
            yield return Entry("module_blacklist", kernelList.Value, BlacklistKind.CommandLineModuleBlacklist);
        }
    }

    private static BlacklistEntry Entry(string key, string value, BlacklistKind kind) =>
        new(BlacklistEntry.CommandLine, null, $"{key}={value}", kind);

    private static IEnumerable<string> ListOf(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
