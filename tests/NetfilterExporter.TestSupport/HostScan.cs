using System.Globalization;
using System.Text;

namespace NetfilterExporter.TestSupport;

/// <summary>
/// Reads the machine's process table and mount table from /proc: how <see cref="ContainerdNode"/> finds what it
/// must clean up (shims that name its socket, mounts under its directory), and how tests prove nothing is left.
/// Reading /proc directly, rather than ps or findmnt output, gives exact paths and ids to act on.
/// </summary>
public static class HostScan
{
    /// <summary>Processes whose command line (arguments joined by spaces) contains <paramref name="text"/>.</summary>
    public static IReadOnlyList<(int ProcessId, string CommandLine)> ProcessesMentioning(string text)
    {
        var found = new List<(int, string)>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var processId)
                || processId == Environment.ProcessId)
            {
                continue;
            }
            string commandLine;
            try
            {
                commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ').TrimEnd();
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Exited while the table was read.
                continue;
            }
            if (commandLine.Contains(text, StringComparison.Ordinal) && ProcessSignal.IsAlive(processId))
            {
                found.Add((processId, commandLine));
            }
        }
        return found;
    }

    /// <summary>
    /// Mount points at or below <paramref name="directory"/> in this process's mount namespace (the one containerd
    /// and its shims mount in: nsenter only changes the network namespace), deepest first, the order to unmount in.
    /// </summary>
    public static IReadOnlyList<string> MountsUnder(string directory)
    {
        var root = directory.TrimEnd('/');
        var mounts = new List<string>();
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            // Fields: mount id, parent id, major:minor, root, mount point, ...; paths escape space, tab, newline
            // and backslash as octal.
            var fields = line.Split(' ');
            if (fields.Length < 5)
            {
                continue;
            }
            var mountPoint = Unescape(fields[4]);
            if (mountPoint == root || mountPoint.StartsWith(root + "/", StringComparison.Ordinal))
            {
                mounts.Add(mountPoint);
            }
        }
        return [.. mounts.Distinct().OrderByDescending(m => m.Count(c => c == '/')).ThenByDescending(m => m.Length)];
    }

    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }
        var text = new StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && IsOctal(field, i + 1))
            {
                text.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                text.Append(field[i]);
            }
        }
        return text.ToString();
    }

    private static bool IsOctal(string field, int start) =>
        start + 3 <= field.Length && field.Skip(start).Take(3).All(c => c is >= '0' and <= '7');
}
