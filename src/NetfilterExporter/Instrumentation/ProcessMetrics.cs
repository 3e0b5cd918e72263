using System.Diagnostics;
using System.Globalization;
using System.IO.Enumeration;
using NetfilterExporter.Host;
using Prometheus;

namespace NetfilterExporter.Instrumentation;

/// <summary>
/// The process_* names Prometheus' other clients use on Linux (prometheus-net's own defaults use different
/// ones), read from the exporter's own /proc/self (not --path.procfs) each time the registry is collected:
/// one pread of /proc/self/stat for memory and threads and one of /proc/self/limits, getrusage for CPU, and a
/// count of /proc/self/fdinfo that neither stats nor names each descriptor. (System.Diagnostics.Process reads
/// the stat file of every thread to count them; docs/performance.md has what that cost.)
/// </summary>
public static class ProcessMetrics
{
    public static void Register(IMetricFactory metrics, CollectorRegistry registry)
    {
        var cpu = metrics.CreateCounter("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.");
        var resident = metrics.CreateGauge("process_resident_memory_bytes", "Resident memory size in bytes.");
        var virtualMemory = metrics.CreateGauge("process_virtual_memory_bytes", "Virtual memory size in bytes.");
        var startTime = metrics.CreateGauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.");
        var threads = metrics.CreateGauge("process_threads", "Number of OS threads in the process.");
        var openFds = metrics.CreateGauge("process_open_fds", "Number of open file descriptors.");
        var maxFds = metrics.CreateGauge("process_max_fds", "Maximum number of open file descriptors.");
        // The start time never changes; reading it once keeps Process (and its per-thread reads) off the scrape path.
        startTime.Set(ReadStartTime());
        registry.AddBeforeCollectCallback(() =>
        {
            cpu.IncTo(Environment.CpuUsage.TotalTime.TotalSeconds);
            // proc(5): field 24 is resident pages, 23 virtual bytes, 20 threads.
            var stat = ProcStat.Read("/proc/self/stat");
            SetIfRead(resident, stat?.Field(24) * Environment.SystemPageSize);
            SetIfRead(virtualMemory, stat?.Field(23));
            SetIfRead(threads, stat?.Field(20));
            SetIfRead(openFds, CountOpenFileDescriptors());
            SetIfRead(maxFds, ReadMaxFileDescriptors());
        });
    }

    // A value that cannot be read keeps the last one: the exporter's own /proc/self is always there in practice.
    private static void SetIfRead(Gauge gauge, double? value)
    {
        if (value is { } read)
        {
            gauge.Set(read);
        }
    }

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
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
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
