using System.Globalization;

namespace NetfilterExporter.TestSupport;

/// <summary>
/// The parts MicroK8s and monitoring stacks run today (containerd 2.x, CNI plugins ≥ 1.9, Prometheus 3.x,
/// Alertmanager 0.3x), unpacked from Debian's development suite into the test cache by tests/today/fetch.sh
/// beside Debian 12's own. A part that cannot be had, or is older than the floor, fails the test naming it.
/// </summary>
public static class TodaysParts
{
    public const string CacheDirectory = "/var/cache/netfilter-exporter-tests/today";

    /// <summary>The oldest version of each package that still counts as today's.</summary>
    private static readonly Dictionary<string, Version> Floors = new(StringComparer.Ordinal)
    {
        ["containerd"] = new(2, 0),
        ["containernetworking-plugins"] = new(1, 9),
        ["prometheus"] = new(3, 0),
        ["prometheus-alertmanager"] = new(0, 30),
        ["promtool"] = new(3, 0),
        ["runc"] = new(1, 1),
    };

    /// <summary>Fetches (or finds cached) each package. A test that uses one writes <see cref="UnpackedPackage.Describe"/> to its output.</summary>
    public static async Task<IReadOnlyDictionary<string, UnpackedPackage>> RequireAsync(params string[] packages)
    {
        Prerequisites.RequireRoot();
        var result = await TestCommand.RunAsync("bash", [RepositoryPaths.Combine("tests", "today", "fetch.sh"), CacheDirectory, .. packages], timeout: TimeSpan.FromMinutes(10));
        if (result.ExitCode != 0)
        {
            throw new PrerequisiteMissingException($"today's parts ({string.Join(", ", packages)}) could not be had: {result.StandardError.Trim()}");
        }
        var unpacked = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', 3))
            .ToDictionary(fields => fields[0], fields => new UnpackedPackage(fields[0], fields[1], fields[2]), StringComparer.Ordinal);
        foreach (var package in unpacked.Values)
        {
            if (Floors.TryGetValue(package.Name, out var floor) && package.UpstreamVersion < floor)
            {
                throw new PrerequisiteMissingException($"sid's {package.Name} is {package.Version}, older than today's floor {floor.ToString(2)}");
            }
        }
        return unpacked;
    }
}

/// <summary>One Debian package unpacked under <see cref="Root"/>, as dpkg would install it under /.</summary>
public sealed record UnpackedPackage(string Name, string Version, string Root)
{
    /// <summary>The upstream part of a Debian version: 2.1.9 of 2.1.9+ds1-5, 0.33.1 of 0.33.1-5.</summary>
    public Version UpstreamVersion =>
        System.Version.Parse(string.Join('.', Version.Split(':')[^1].Split('-', '+', '~')[0].Split('.').Take(3)
            .Select(part => int.Parse(new string([.. part.TakeWhile(char.IsAsciiDigit)]), CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture))));

    public string PathOf(string relative) => Path.Join(Root, relative);

    /// <summary>"containerd 2.1.9+ds1-5 (sid, unpacked in …)", the line a test prints so its output names the version proven.</summary>
    public string Describe() => $"{Name} {Version} (Debian sid, unpacked in {Root})";
}
