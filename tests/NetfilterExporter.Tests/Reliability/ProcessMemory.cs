using System.Globalization;

namespace NetfilterExporter.Tests.Reliability;

/// <summary>Memory figures of a process from /proc/PID/status, in bytes.</summary>
public static class ProcessMemory
{
    /// <summary>Peak resident set size since the process started (VmHWM).</summary>
    public static long PeakResidentBytes(int processId) => Read(processId, "VmHWM:");

    /// <summary>Current resident set size (VmRSS).</summary>
    public static long ResidentBytes(int processId) => Read(processId, "VmRSS:");

    private static long Read(int processId, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                var kilobytes = line[field.Length..].Trim().Split(' ')[0];
                return long.Parse(kilobytes, NumberStyles.None, CultureInfo.InvariantCulture) * 1024;
            }
        }
        throw new InvalidOperationException($"/proc/{processId}/status has no {field}");
    }
}
