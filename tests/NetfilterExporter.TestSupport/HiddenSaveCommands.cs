namespace NetfilterExporter.TestSupport;

/// <summary>
/// Runs a command in a private mount namespace where /usr/sbin, /usr/local/sbin and /sbin are empty, as on a host
/// without the iptables package or in a container that does not ship it. Needs root and util-linux's unshare.
/// </summary>
public sealed class HiddenSaveCommands : IDisposable
{
    private readonly TemporaryDirectory empty = new("nfx-nosbin-");

    /// <summary>Put before the command and its arguments: they run as "$0" "$@" once the directories are hidden.</summary>
    public IReadOnlyList<string> Wrapper =>
    [
        Prerequisites.RequireCommand("unshare", "util-linux"), "--mount", "--propagation", "private", "sh", "-c",
        $"for d in /usr/sbin /usr/local/sbin /sbin; do mount --bind '{empty.Path}' $d || exit 99; done; exec \"$0\" \"$@\"",
    ];

    public void Dispose() => empty.Dispose();
}
