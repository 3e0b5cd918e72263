using System.Diagnostics;
using System.Globalization;

namespace NetfilterExporter.Exposition;

/// <summary>The standard process_* families, read from the exporter's own /proc/self (not --path.procfs).</summary>
public static class ProcessMetrics
{
    public static IEnumerable<MetricFamily> Collect()
    {
        using var self = Process.GetCurrentProcess();
        yield return Gauge("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", self.TotalProcessorTime.TotalSeconds, MetricType.Counter);
        yield return Gauge("process_resident_memory_bytes", "Resident memory size in bytes.", self.WorkingSet64);
        yield return Gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.", self.VirtualMemorySize64);
        yield return Gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.",
            new DateTimeOffset(self.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000.0);
        yield return Gauge("process_threads", "Number of OS threads in the process.", self.Threads.Count);
        if (CountOpenFileDescriptors() is { } open)
        {
            yield return Gauge("process_open_fds", "Number of open file descriptors.", open);
        }
        if (ReadMaxFileDescriptors() is { } max)
        {
            yield return Gauge("process_max_fds", "Maximum number of open file descriptors.", max);
        }
    }

    private static MetricFamily Gauge(string name, string help, double value, MetricType type = MetricType.Gauge) =>
        new(name, help, type, [MetricSample.Of(value)]);

    private static int? CountOpenFileDescriptors()
    {
        try
        {
            return Directory.GetFileSystemEntries("/proc/self/fd").Length;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static double? ReadMaxFileDescriptors()
    {
        try
        {
            // "Max open files            1048576              1048576              files"
            var line = File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
            var soft = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(3);
            return double.TryParse(soft, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
