using System.Globalization;
using System.Text;

namespace NetfilterExporter.TestSupport;

/// <summary>
/// The one reader of /proc in the tests: the process table (who is alive, who mentions or inherited what, how
/// much memory one uses) and the mount table. It is how <see cref="ContainerdNode"/> finds what it must clean up
/// (shims that name its socket, mounts under its directory), and how tests prove nothing is left. Reading /proc
/// directly, rather than ps or findmnt output, gives exact paths and ids to act on.
/// </summary>
public static class HostScan
{
    /// <summary>
    /// Whether the process exists and still runs. A zombie (Z) holds nothing but its id until whoever adopted it
    /// reaps it, and a dead one (X; x on kernels 2.6.33 to 3.13) is on its way out: both count as gone.
    /// </summary>
    public static bool IsAlive(int processId)
    {
        string stat;
        try
        {
            stat = File.ReadAllText(ProcessPath(processId, "stat"));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        // The state follows the parenthesised command name, which may itself contain spaces or parentheses.
        var state = stat[(stat.LastIndexOf(')') + 2)..][0];
        return state is not ('Z' or 'X' or 'x');
    }

    /// <summary>Live processes whose command line (arguments joined by spaces) contains <paramref name="text"/>.</summary>
    public static IReadOnlyList<(int ProcessId, string CommandLine)> ProcessesMentioning(string text) =>
        [.. LiveProcesses(processId => File.ReadAllText(ProcessPath(processId, "cmdline")).Replace('\0', ' ').TrimEnd())
            .Where(process => process.Read.Contains(text, StringComparison.Ordinal))];

    /// <summary>
    /// Live processes that inherited <paramref name="variable"/>=<paramref name="value"/>: found wherever they
    /// were re-parented to, which a process tree walk would miss.
    /// </summary>
    public static IReadOnlyList<int> ProcessesMarked(string variable, string value)
    {
        var wanted = Encoding.UTF8.GetBytes($"{variable}={value}");
        return [.. LiveProcesses(processId => File.ReadAllBytes(ProcessPath(processId, "environ")))
            .Where(process => process.Read.AsSpan().IndexOf(wanted) >= 0)
            .Select(process => process.ProcessId)];
    }

    /// <summary>Peak resident set size since the process started (VmHWM), in bytes.</summary>
    public static long PeakResidentBytes(int processId) => StatusBytes(processId, "VmHWM:");

    /// <summary>Current resident set size (VmRSS), in bytes.</summary>
    public static long ResidentBytes(int processId) => StatusBytes(processId, "VmRSS:");

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

    private static string ProcessPath(int processId, string file) =>
        Path.Combine("/proc", processId.ToString(CultureInfo.InvariantCulture), file);

    /// <summary>Every other live process with what <paramref name="read"/> found in its /proc directory.</summary>
    private static IEnumerable<(int ProcessId, T Read)> LiveProcesses<T>(Func<int, T> read)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var processId)
                || processId == Environment.ProcessId)
            {
                continue;
            }
            T found;
            try
            {
                found = read(processId);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Exited while the table was read.
                continue;
            }
            if (IsAlive(processId))
            {
                yield return (processId, found);
            }
        }
    }

    private static long StatusBytes(int processId, string field)
    {
        foreach (var line in File.ReadLines(ProcessPath(processId, "status")))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                var kilobytes = line[field.Length..].Trim().Split(' ')[0];
                return long.Parse(kilobytes, NumberStyles.None, CultureInfo.InvariantCulture) * 1024;
            }
        }
        throw new InvalidOperationException($"{ProcessPath(processId, "status")} has no {field}");
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
