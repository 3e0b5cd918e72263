using System.Globalization;
using NetfilterExporter.Host;

namespace NetfilterExporter.Conntrack;

internal static class ConntrackSysctl
{
    public const string SysctlDirectory = "sys/net/netfilter";

    /// <summary>Reads nf_conntrack_count or nf_conntrack_max; null when absent (module not loaded).</summary>
    public static async Task<long?> ReadAsync(string procFs, string name, CancellationToken cancellationToken)
    {
        var path = Path.Join(procFs, SysctlDirectory, name);
        var text = await HostFile.ReadIfPresentAsync(path, path, cancellationToken);
        if (text is null)
        {
            return null;
        }
        var value = text.Trim();
        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new ConntrackProbeException($"{path}: expected a whole number, found '{Shorten(value)}'");
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
