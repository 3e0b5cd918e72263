using System.Globalization;
using System.Runtime.Versioning;
using System.Text.RegularExpressions;

namespace NetfilterExporter.Deployment.Tests;

[SupportedOSPlatform("linux")]
public sealed partial class SystemdUnitTests
{
    private readonly SystemdUnit _unit = SystemdUnit.Load();

    [Fact]
    public async Task SystemdAnalyzeVerifiesTheUnitWithoutAWarning()
    {
        Prerequisites.RequireCommand("systemd-analyze", "systemd");
        // verify requires ExecStart's executable to exist, and /opt/netfilter-exporter is not installed here:
        // a copy of the unit that differs only in that path points at an installed copy of the exporter.
        using var installed = new InstalledExporterCopy();
        using var directory = new TemporaryDirectory("nfx-unit-");
        var executable = _unit.Service("ExecStart")!.Split(' ')[0];
        var unitCopy = directory.Combine(Path.GetFileName(SystemdUnit.Path));
        File.WriteAllText(unitCopy, File.ReadAllText(SystemdUnit.Path)
            .Replace("ExecStart=" + executable, "ExecStart=" + Path.Combine(installed.InstallPath, Path.GetFileName(executable)), StringComparison.Ordinal));

        var result = await TestCommand.RunAsync("systemd-analyze", ["verify", unitCopy]);

        // verify exits 0 on unknown keys and only prints them, so any output is a failure too.
        Assert.True(result.ExitCode == 0 && (result.StandardError + result.StandardOutput).Trim().Length == 0,
            $"systemd-analyze verify (exit {result.ExitCode}): {result.StandardError}{result.StandardOutput}");
    }

    [Fact]
    public async Task SystemdAnalyzeRatesTheSandboxOk()
    {
        Prerequisites.RequireCommand("systemd-analyze", "systemd");

        var result = (await TestCommand.RunAsync("systemd-analyze", ["security", "--offline=yes", SystemdUnit.Path]))
            .EnsureSuccess("systemd-analyze security --offline=yes");

        // 0 is fully sandboxed, 10 is unprotected; Debian's node_exporter unit scores 9.2. This unit scores 1.9, the
        // rest being what the exporter needs (host network, NET_ADMIN, netlink) or what breaks .NET (W^X).
        var match = ExposurePattern().Match(result.StandardOutput);
        Assert.True(match.Success, $"no overall exposure level in: {result.StandardOutput}");
        Assert.True(double.Parse(match.Groups["level"].Value, CultureInfo.InvariantCulture) <= 2.5, match.Value);
    }

    [Fact]
    public void RunsUnprivilegedWithOnlyTheTwoNetworkCapabilities()
    {
        var user = _unit.Service("User");

        Assert.True(_unit.Service("DynamicUser") == "yes" || (user is not null && user is not "root" and not "0"),
            "the unit must run as an unprivileged user (DynamicUser=yes or User=)");
        Assert.Equal(["CAP_NET_ADMIN", "CAP_NET_RAW"], _unit.ServiceSet("AmbientCapabilities").Order(StringComparer.Ordinal));
        Assert.Equal(["CAP_NET_ADMIN", "CAP_NET_RAW"], _unit.ServiceSet("CapabilityBoundingSet").Order(StringComparer.Ordinal));
        Assert.Equal("yes", _unit.Service("NoNewPrivileges"));
    }

    [Theory]
    [InlineData("ProtectSystem", "strict")]
    [InlineData("ProtectHome", "yes")]
    [InlineData("PrivateTmp", "yes")]
    [InlineData("PrivateDevices", "yes")]
    [InlineData("ProtectKernelTunables", "yes")]
    [InlineData("ProtectControlGroups", "yes")]
    [InlineData("RestrictNamespaces", "yes")]
    [InlineData("RestrictSUIDSGID", "yes")]
    [InlineData("LockPersonality", "yes")]
    [InlineData("SystemCallArchitectures", "native")]
    // Possible since the exporter is natively compiled (SystemdServiceProcessTests runs it under the same setting).
    [InlineData("MemoryDenyWriteExecute", "yes")]
    public void SetsHardeningDirective(string key, string value)
    {
        Assert.Equal(value, _unit.Service(key));
    }

    [Fact]
    public void RestrictsSocketsAndSystemCallsToWhatTheExporterUses()
    {
        Assert.Equal(["AF_INET", "AF_INET6", "AF_NETLINK", "AF_UNIX"], _unit.ServiceSet("RestrictAddressFamilies").Order(StringComparer.Ordinal));
        Assert.Contains("@system-service", _unit.ServiceValues("SystemCallFilter"));
    }

    [Theory]
    [InlineData("ProtectKernelModules", "yes", "it hides modules.builtin, which tells whether nf_conntrack is built in")]
    [InlineData("ProcSubset", "pid", "it hides /proc/sys/net/netfilter and /proc/net")]
    [InlineData("PrivateUsers", "yes", "the capabilities would not reach the host's netfilter tables")]
    [InlineData("PrivateNetwork", "yes", "the rules live in the host's network namespace")]
    public void OmitsADirectiveThatWouldBreakTheExporter(string key, string breakingValue, string reason)
    {
        Assert.True(_unit.Service(key) != breakingValue, $"{key}={breakingValue} breaks the exporter: {reason}");
    }

    [Fact]
    public void StartsTheNativeExporterWithTheArgumentsFromItsEnvironmentFile()
    {
        var command = _unit.Service("ExecStart")?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];

        // docs/install.md publishes the Native AOT binary into /opt/netfilter-exporter: one executable, no dotnet host.
        Assert.Equal("/opt/netfilter-exporter/" + ProjectProperties.AssemblyName, command.FirstOrDefault());
        Assert.Equal(["$ARGS"], command.Skip(1));
        Assert.StartsWith("-/etc/default/", _unit.Service("EnvironmentFile"), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"Overall exposure level for [^:]+: (?<level>[0-9]+\.[0-9]+)")]
    private static partial Regex ExposurePattern();
}
