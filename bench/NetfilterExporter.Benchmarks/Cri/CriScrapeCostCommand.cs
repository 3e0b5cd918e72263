using System.Diagnostics;
using System.Globalization;
using NetfilterExporter.TestSupport;
using NetfilterExporter.TestSupport.Cri;
using NetfilterExporter.TestSupport.Tables;

namespace NetfilterExporter.Benchmarks.Cri;

/// <summary>
/// cri-scrape [--sandboxes N] [--scrapes K]: what the runtime check adds to a fresh scrape, side by side in one run.
/// Two shipped (AOT) exporters read the same generated 25,000-rule dump, one with --cri.endpoint=none, one asking a
/// runtime that lists N kubelet-shaped sandboxes; they are scraped in turn, every scrape a fresh collection, and
/// the wall time of each scrape and each exporter's CPU time (from /proc/PID/stat) are compared.
/// </summary>
public static class CriScrapeCostCommand
{
    private const int HostPortPods = 20;

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var sandboxes = Option(args, "--sandboxes", 500);
        var scrapes = Option(args, "--scrapes", 200);
        using var directory = new TemporaryDirectory("nfx-cri-cost");
        var dump = directory.Combine("nat.txt");
        await using (var file = File.Create(dump))
        {
            new NatTableWriter(new TableShape(25_000, HostPortPods, StalePods: 0)).Write(file);
        }
        await using var runtime = await FakeCriRuntime.StartAsync(FakeCriBehaviour.Sandboxes(KubeletSandboxes.Create(sandboxes, HostPortPods)), CancellationToken.None);
        string[] common = [$"--iptables.from-file=legacy,ipv4={dump}", "--collector.min-interval=1ms"];
        await using var without = await ExporterProcess.StartAsync([.. common, "--cri.endpoint=none"]);
        await using var with = await ExporterProcess.StartAsync([.. common, $"--cri.endpoint={runtime.Endpoint}"]);
        var withBody = await with.GetStringAsync("metrics");
        if (!withBody.Contains("netfilter_scrape_collector_success{collector=\"cri\"} 1", StringComparison.Ordinal) || withBody.Contains("state=\"stale\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("the exporter asking the runtime must read it and find every claim live");
        }
        for (var i = 0; i < 20; i++)
        {
            await ScrapeAsync(without);
            await ScrapeAsync(with);
        }
        var callsBefore = runtime.ListPodSandboxCalls;
        var (withoutCpu, withCpu) = (CpuTime(without.ProcessId), CpuTime(with.ProcessId));
        var withoutTimes = new List<double>();
        var withTimes = new List<double>();
        for (var i = 0; i < scrapes; i++)
        {
            withoutTimes.Add(await ScrapeAsync(without));
            withTimes.Add(await ScrapeAsync(with));
        }
        withoutCpu = CpuTime(without.ProcessId) - withoutCpu;
        withCpu = CpuTime(with.ProcessId) - withCpu;
        var lists = runtime.ListPodSandboxCalls - callsBefore;

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"cri-scrape: 25,000-rule dump from a file, {HostPortPods} host port pods, runtime listing {sandboxes} sandboxes, {scrapes} fresh scrapes each, alternating"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"exporter",-22} {"median ms",10} {"p90 ms",8} {"CPU ms/collection",18}"));
        Row(output, "--cri.endpoint=none", withoutTimes, withoutCpu, scrapes);
        Row(output, $"{sandboxes} sandboxes", withTimes, withCpu, scrapes);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"added: {Median(withTimes) - Median(withoutTimes):0.00} ms median wall, {(withCpu - withoutCpu).TotalMilliseconds / scrapes:0.00} ms CPU per collection; ListPodSandbox calls: {lists} for {scrapes} collections"));
        return 0;
    }

    private static async Task<double> ScrapeAsync(ExporterProcess exporter)
    {
        // Past the 1 ms min-interval, so every scrape collects afresh.
        await Task.Delay(TimeSpan.FromMilliseconds(5));
        var started = Stopwatch.GetTimestamp();
        await exporter.GetStringAsync("metrics");
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static void Row(TextWriter output, string name, List<double> times, TimeSpan cpu, int scrapes) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-22} {Median(times),10:0.00} {Percentile(times, 0.9),8:0.00} {cpu.TotalMilliseconds / scrapes,18:0.00}"));

    private static double Median(List<double> values) => Percentile(values, 0.5);

    private static double Percentile(List<double> values, double rank)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(rank * sorted.Count))];
    }

    /// <summary>utime + stime of a process, fields 14 and 15 of /proc/PID/stat, in clock ticks of 10 ms.</summary>
    private static TimeSpan CpuTime(int processId)
    {
        var stat = File.ReadAllText($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromMilliseconds(ticks * 10);
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], NumberStyles.None, CultureInfo.InvariantCulture) : fallback;
    }
}
