using NetfilterExporter.DumpSources;

namespace NetfilterExporter.Repair;

/// <summary>
/// The programs a repair runs and where the node's files are. <see cref="Find"/> maps a program's name
/// (<c>iptables-legacy-save</c>, <c>iptables-legacy-restore</c>, <c>nft</c>, <c>modprobe</c>) to its path, so a test can
/// put wrappers in their place (e.g. ones that run the real tool in a network namespace), as the collectors' save
/// commands can be overridden.
/// </summary>
/// <param name="Find">The path of a program, or null when it is not there.</param>
/// <param name="LegacyTables">Which legacy nat tables exist, read before the guard runs a legacy save command (which would create a missing one).</param>
/// <param name="Timeout">How long one program may run.</param>
/// <param name="RootFs">Where the node's root file system is (the boot file is written below it).</param>
public sealed record RepairTools(Func<string, string?> Find, LegacyNatTableLookup LegacyTables, TimeSpan Timeout, string RootFs = "/")
{
    /// <summary>The programs on PATH and in the sbin directories, as the collectors find their save commands.</summary>
    public static RepairTools OnPath(TimeSpan timeout, string rootFs = "/") =>
        new(DumpSourceSet.FindOnPath, new LegacyNatTableLookup(), timeout, rootFs);

    /// <summary>The programs in one directory only.</summary>
    public static RepairTools In(string directory, LegacyNatTableLookup legacyTables, TimeSpan timeout, string rootFs = "/") =>
        new(name => Path.Combine(directory, name) is var path && File.Exists(path) ? path : null, legacyTables, timeout, rootFs);

    /// <exception cref="FileNotFoundException">The program is not there.</exception>
    public string Require(string program) =>
        Find(program) ?? throw new FileNotFoundException($"{program} not found ({DumpSourceSet.SearchedPlaces})");
}
