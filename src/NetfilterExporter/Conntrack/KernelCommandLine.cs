namespace NetfilterExporter.Conntrack;

/// <summary>systemd-modules-load also loads the comma lists of modules_load= and rd.modules_load= on the kernel command line.</summary>
internal static class KernelCommandLine
{
    public static bool ListsConntrack(string commandLine) =>
        commandLine.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(ModuleListOf)
            .Any(list => list.Split(',').Any(module => ModuleName.IsConntrack(module.Trim())));

    private static string ModuleListOf(string parameter)
    {
        var separator = parameter.IndexOf('=');
        if (separator < 0)
        {
            return "";
        }
        return parameter[..separator] is "modules_load" or "rd.modules_load"
            ? parameter[(separator + 1)..].Trim('"')
            : "";
    }
}
