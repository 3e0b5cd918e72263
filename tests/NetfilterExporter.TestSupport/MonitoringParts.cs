using System.Collections.Concurrent;

namespace NetfilterExporter.TestSupport;

/// <summary>
/// One set of Prometheus parts a monitoring test runs on: the server, promtool, Alertmanager and amtool, with the
/// versions they are. <see cref="Debian12"/> is what Debian 12 installs (Prometheus 2.42, Alertmanager 0.25, on the
/// <see cref="SearchPath"/>); <see cref="Today"/> is what monitoring stacks run today (Prometheus 3.x, Alertmanager
/// 0.3x), sid's packages unpacked by <see cref="TodaysParts"/>. A test takes the set's <see cref="Name"/> as a theory
/// argument, resolves it and writes <see cref="Describe"/> to its output, so its result names the versions proven.
/// A part that cannot be had fails the test (<see cref="PrerequisiteMissingException"/>), never skips it.
/// </summary>
public sealed record MonitoringParts(
    string Name,
    string Prometheus,
    string Promtool,
    string Alertmanager,
    string Amtool,
    Version PrometheusVersion,
    Version AlertmanagerVersion,
    IReadOnlyList<string> Packages)
{
    public const string Debian12 = "debian-12";
    public const string Today = "today";

    private static readonly ConcurrentDictionary<string, Lazy<Task<MonitoringParts>>> Resolved = new(StringComparer.Ordinal);

    /// <summary>Every set, in the order tests run them: the theory data of a test that runs on each.</summary>
    public static IReadOnlyList<string> Names { get; } = [Debian12, Today];

    /// <summary>The set called <paramref name="name"/>, found (and for <see cref="Today"/> fetched) once per test run.</summary>
    public static Task<MonitoringParts> ResolveAsync(string name) =>
        Resolved.GetOrAdd(name, key => new Lazy<Task<MonitoringParts>>(() => key switch
        {
            Debian12 => InstalledAsync(),
            Today => TodaysAsync(),
            _ => throw new ArgumentException($"no set of monitoring parts called '{key}' (known: {string.Join(", ", Names)})", nameof(name)),
        })).Value;

    /// <summary>"today: prometheus 3.5.3+ds1-6 (…); promtool …", the line a test writes to its output.</summary>
    public string Describe() => $"monitoring parts '{Name}': {string.Join("; ", Packages)}";

    public override string ToString() => Name;

    private static async Task<MonitoringParts> InstalledAsync()
    {
        var prometheus = Prerequisites.RequireCommand("prometheus", "prometheus");
        var promtool = Prerequisites.RequireCommand("promtool", "prometheus");
        var alertmanager = Prerequisites.RequireCommand("prometheus-alertmanager", "prometheus-alertmanager");
        var amtool = Prerequisites.RequireCommand("amtool", "prometheus-alertmanager");
        var prometheusPackage = await InstalledPackageAsync("prometheus");
        var alertmanagerPackage = await InstalledPackageAsync("prometheus-alertmanager");
        return new MonitoringParts(
            Debian12, prometheus, promtool, alertmanager, amtool,
            prometheusPackage.UpstreamVersion, alertmanagerPackage.UpstreamVersion,
            [$"prometheus {prometheusPackage.Version} ({prometheus}, {promtool})", $"prometheus-alertmanager {alertmanagerPackage.Version} ({alertmanager}, {amtool})"]);
    }

    private static async Task<MonitoringParts> TodaysAsync()
    {
        // sid splits promtool out of the prometheus package; Debian 12 ships both in one.
        var packages = await TodaysParts.RequireAsync("prometheus", "promtool", "prometheus-alertmanager");
        string Binary(string package, string name)
        {
            var path = packages[package].PathOf(Path.Join("usr", "bin", name));
            return File.Exists(path) ? path : throw new PrerequisiteMissingException($"{packages[package].Describe()} has no usr/bin/{name}");
        }
        return new MonitoringParts(
            Today,
            Binary("prometheus", "prometheus"),
            Binary("promtool", "promtool"),
            Binary("prometheus-alertmanager", "prometheus-alertmanager"),
            Binary("prometheus-alertmanager", "amtool"),
            packages["prometheus"].UpstreamVersion,
            packages["prometheus-alertmanager"].UpstreamVersion,
            [.. packages.Values.Select(package => package.Describe())]);
    }

    /// <summary>The installed version of a Debian package, read from dpkg (the binaries on PATH come from it).</summary>
    private static async Task<UnpackedPackage> InstalledPackageAsync(string package)
    {
        var query = await TestCommand.RunAsync("dpkg-query", ["-W", "-f=${Version}", package]);
        if (query.ExitCode != 0 || query.StandardOutput.Trim().Length == 0)
        {
            throw new PrerequisiteMissingException($"dpkg does not know the installed version of {package}: apt-get install {package} ({query.StandardError.Trim()})");
        }
        return new UnpackedPackage(package, query.StandardOutput.Trim(), "/");
    }
}
