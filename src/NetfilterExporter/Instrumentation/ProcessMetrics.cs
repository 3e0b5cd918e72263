using System.Diagnostics;
using System.Globalization;
using System.IO.Enumeration;
using NetfilterExporter.Exposition;
using NetfilterExporter.Host;

namespace NetfilterExporter.Instrumentation;

/// <summary>
/// The standard process_* families, read from the exporter's own /proc/self (not --path.procfs). MetricsRenderer
/// reads them at most once a second, and cheaply: one pread of /proc/self/stat for memory and threads and one of
/// /proc/self/limits, getrusage for CPU, and a count of /proc/self/fdinfo that neither stats nor names each
/// descriptor. (System.Diagnostics.Process reads the stat file of every thread to count them; with the fd listing
/// that cost a millisecond per read.)
/// </summary>
public static class ProcessMetrics
{
    private static readonly double StartTimeSeconds = ReadStartTime();

    public static IEnumerable<MetricFamily> Collect()
    {
        var stat = ProcStat.Read("/proc/self/stat");
        yield return Gauge("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", Environment.CpuUsage.TotalTime.TotalSeconds, MetricType.Counter);
        // proc(5): field 24 is resident pages, 23 virtual bytes, 20 threads.
        if (stat?.Field(24) is { } residentPages)
        {
            yield return Gauge("process_resident_memory_bytes", "Resident memory size in bytes.", (double)residentPages * Environment.SystemPageSize);
        }
        if (stat?.Field(23) is { } virtualBytes)
        {
            yield return Gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.", virtualBytes);
        }
        yield return Gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.", StartTimeSeconds);
        if (stat?.Field(20) is { } threads)
        {
            yield return Gauge("process_threads", "Number of OS threads in the process.", threads);
        }
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

    // The start time never changes; reading it once keeps Process (and its per-thread reads) off the scrape path.
    private static double ReadStartTime()
    {
        using var self = Process.GetCurrentProcess();
        return new DateTimeOffset(self.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000.0;
    }

    private static int? CountOpenFileDescriptors()
    {
        try
        {
            var count = 0;
            // fdinfo has one regular file per descriptor; fd has symlinks, which .NET stats one by one while listing.
            foreach (var _ in new FileSystemEnumerable<bool>("/proc/self/fdinfo", static (ref FileSystemEntry _) => true))
            {
                count++;
            }
            return count;
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
        // "Max open files            1048576              1048576              files"
        var line = HostFile.ReadProc("/proc/self/limits")?.Split('\n').FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        var soft = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(3);
        return double.TryParse(soft, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
    }
}
