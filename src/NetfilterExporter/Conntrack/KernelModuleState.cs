using NetfilterExporter.Host;

namespace NetfilterExporter.Conntrack;

/// <summary>Whether nf_conntrack is in the running kernel, and whether it is built in rather than a loadable module.</summary>
internal static class KernelModuleState
{
    public static async Task<ModuleState> ReadAsync(HostPaths paths, RootFileSystem root, bool sysctlPresent, CancellationToken cancellationToken)
    {
        var procModulesPath = Path.Join(paths.ProcFs, "modules");
        var procModules = await HostFile.ReadIfPresentAsync(procModulesPath, procModulesPath, cancellationToken);
        var sysfsModulePath = Path.Join(paths.SysFs, "module", ModuleName.Conntrack);
        var sysfsModulePresent = Directory.Exists(sysfsModulePath);
        var initStatePath = Path.Join(sysfsModulePath, "initstate");
        var initState = sysfsModulePresent ? await HostFile.ReadIfPresentAsync(initStatePath, initStatePath, cancellationToken) : null;

        if ((procModules is not null && ListsLiveConntrack(procModules)) || initState?.Trim() == "live")
        {
            return new ModuleState(Loaded: true, BuiltIn: false);
        }
        // Only loadable modules get an initstate file; built-ins get a sysfs directory when they have parameters.
        // A kernel without loadable-module support has no /proc/modules at all, so whatever is there is built in.
        var builtIn = (sysfsModulePresent && initState is null)
            || (procModules is null && (sysctlPresent || sysfsModulePresent))
            || await ModulesBuiltinListsConntrackAsync(paths.ProcFs, root, cancellationToken);
        return new ModuleState(Loaded: builtIn || sysctlPresent, BuiltIn: builtIn);
    }

    /// <summary>/proc/modules lines are "name size refcount deps state address"; only state Live is usable.</summary>
    private static bool ListsLiveConntrack(string procModules) =>
        HostFile.Lines(procModules)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Any(fields => fields.Length > 4 && ModuleName.IsConntrack(fields[0]) && fields[4] == "Live");

    /// <summary>modules.builtin of the running kernel lists built-in modules as paths, e.g. kernel/net/netfilter/nf_conntrack.ko.</summary>
    private static async Task<bool> ModulesBuiltinListsConntrackAsync(string procFs, RootFileSystem root, CancellationToken cancellationToken)
    {
        var releasePath = Path.Join(procFs, "sys", "kernel", "osrelease");
        var release = (await HostFile.ReadIfPresentAsync(releasePath, releasePath, cancellationToken))?.Trim();
        if (string.IsNullOrEmpty(release))
        {
            return false;
        }
        foreach (var modulesDirectory in new[] { "/lib/modules", "/usr/lib/modules" })
        {
            var modulesBuiltin = root.Resolve($"{modulesDirectory}/{release}/modules.builtin");
            var text = await HostFile.ReadIfPresentAsync(modulesBuiltin.HostPath, modulesBuiltin.Describe(), cancellationToken);
            if (text is not null && HostFile.Lines(text).Any(IsConntrackObject))
            {
                return true;
            }
        }
        return false;
    }

    private static bool IsConntrackObject(string modulePath)
    {
        var fileName = Path.GetFileName(modulePath.Trim());
        return fileName.EndsWith(".ko", StringComparison.Ordinal) && ModuleName.IsConntrack(fileName[..^".ko".Length]);
    }
}
