using System.Globalization;

namespace NetfilterExporter.Deployment.Tests;

/// <summary>
/// The TCP ports a process listens on, read from the kernel rather than probed: the socket inodes among its open
/// file descriptors (/proc/PID/fd) that its network namespace's /proc/net/tcp and tcp6 list in state LISTEN.
/// </summary>
public static class ListeningSockets
{
    private const string Listen = "0A";

    public static IReadOnlySet<int> TcpPorts(int processId)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var descriptor in Directory.EnumerateFileSystemEntries($"/proc/{processId}/fd"))
        {
            var target = new FileInfo(descriptor).LinkTarget;
            if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal))
            {
                inodes.Add(target["socket:[".Length..^1]);
            }
        }
        var ports = new HashSet<int>();
        foreach (var table in new[] { $"/proc/{processId}/net/tcp", $"/proc/{processId}/net/tcp6" }.Where(File.Exists))
        {
            // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 9 && fields[3] == Listen && inodes.Contains(fields[9]))
                {
                    ports.Add(int.Parse(fields[1][(fields[1].LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                }
            }
        }
        return ports;
    }
}
