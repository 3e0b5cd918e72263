namespace NetfilterExporter.Deployment.Tests;

/// <summary>
/// The file-system part of the unit's ProtectSystem=strict without systemd: a command started in a private mount
/// namespace (unshare) in which every mount but the API file systems /dev, /proc and /sys is remounted read-only,
/// one by one as systemd does it. Before the command starts, a file is created in a directory that must now be
/// read-only; if that works the replay proves nothing, so it exits with an error instead. A mount whose mount point
/// disappears between reading mountinfo and remounting (a container of a concurrent real-node test being torn down)
/// is reachable by no path, so it is skipped; any other failed remount still stops the replay.
/// </summary>
public static class ProtectSystemStrictReplay
{
    private const string Script = """
        set -eu
        must_be_read_only=$1
        shift
        # mountinfo: field 5 is the mount point (a space would be \040; none of these paths has one).
        awk '{ print $5 }' /proc/self/mountinfo | while read -r target; do
          case "$target" in
            /dev|/dev/*|/proc|/proc/*|/sys|/sys/*) ;;
            *) mount -o remount,bind,ro "$target" || [ ! -e "$target" ] ;;
          esac
        done
        if (: > "$must_be_read_only/.nfx-write-probe") 2>/dev/null; then
          echo "ProtectSystem=strict replay: $must_be_read_only is still writable" >&2
          exit 97
        fi
        echo "ProtectSystem=strict replay: $must_be_read_only is read-only"
        exec "$@"
        """;

    /// <summary>The words to put in front of the command; <paramref name="mustBeReadOnly"/> is checked first.</summary>
    public static IReadOnlyList<string> Command(string mustBeReadOnly) =>
        ["unshare", "--mount", "--propagation", "private", "sh", "-c", Script, "protect-system-strict", mustBeReadOnly];
}
