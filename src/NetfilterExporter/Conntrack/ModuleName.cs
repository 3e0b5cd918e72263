namespace NetfilterExporter.Conntrack;

internal static class ModuleName
{
    public const string Conntrack = "nf_conntrack";

    /// <summary>kmod and systemd treat '-' and '_' in module names as the same character.</summary>
    public static bool IsConntrack(string name) =>
        string.Equals(name.Replace('-', '_'), Conntrack, StringComparison.Ordinal);
}
