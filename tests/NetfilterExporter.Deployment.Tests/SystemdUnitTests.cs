using System.Globalization;
using System.Runtime.Versioning;
using System.Text.RegularExpressions;
using NetfilterExporter.Configuration;
using NetfilterExporter.Cri;

namespace NetfilterExporter.Deployment.Tests;

[SupportedOSPlatform("linux")]
public sealed partial class SystemdUnitTests
{
    private const string CriDropIn = "cri.conf";

    private readonly SystemdUnit unit = SystemdUnit.Load();

    /// <summary>The unit alone, and with the opt-in drop-in beside it, the way systemd finds drop-ins (NAME.service.d/ on the unit path).</summary>
    [Theory]
    [InlineData(null)]
    [InlineData(CriDropIn)]
    public async Task Systemd_analyze_verifies_the_unit_without_a_warning(string? dropIn)
    {
        Prerequisites.RequireCommand("systemd-analyze", "systemd");
        using var installed = new InstalledExporterCopy();
        using var directory = new TemporaryDirectory("nfx-unit-");
        var unitName = CopyUnitRunningTheInstalledCopy(directory, installed);
        if (dropIn is not null)
        {
            Directory.CreateDirectory(directory.Combine(unitName + ".d"));
            File.Copy(Path.Combine(SystemdUnit.DropInDirectory, dropIn), directory.Combine(unitName + ".d", dropIn));
        }

        // By name on a unit path that starts with the copy's directory (the trailing colon keeps the default
        // path behind it, for the targets the unit names): only then does systemd read the drop-in directory.
        var result = await TestCommand.RunAsync("env", [$"SYSTEMD_UNIT_PATH={directory.Path}:", "systemd-analyze", "verify", unitName]);

        // verify exits 0 on unknown keys and only prints them, so any output is a failure too.
        Assert.True(result.ExitCode == 0 && (result.StandardError + result.StandardOutput).Trim().Length == 0,
            $"systemd-analyze verify (exit {result.ExitCode}): {result.StandardError}{result.StandardOutput}");
    }

    /// <summary>The socket unit, verified by name with the service it activates beside it, as both are installed.</summary>
    [Fact]
    public async Task Systemd_analyze_verifies_the_socket_unit_and_the_service_it_activates_without_a_warning()
    {
        Prerequisites.RequireCommand("systemd-analyze", "systemd");
        using var installed = new InstalledExporterCopy();
        using var directory = new TemporaryDirectory("nfx-unit-");
        CopyUnitRunningTheInstalledCopy(directory, installed);
        var socketName = Path.GetFileName(SystemdUnit.SocketPath);
        File.Copy(SystemdUnit.SocketPath, directory.Combine(socketName));

        var result = await TestCommand.RunAsync("env", [$"SYSTEMD_UNIT_PATH={directory.Path}:", "systemd-analyze", "verify", socketName]);

        Assert.True(result.ExitCode == 0 && (result.StandardError + result.StandardOutput).Trim().Length == 0,
            $"systemd-analyze verify (exit {result.ExitCode}): {result.StandardError}{result.StandardOutput}");
    }

    /// <summary>
    /// One listening socket per ListenStream= on the exporter's port, handed to the one service of the same name
    /// (Accept=no: an instance per connection would need a netfilter-exporter@.service), which ships beside it.
    /// </summary>
    [Fact]
    public void The_socket_unit_listens_on_the_exporters_port_for_the_service_of_its_name()
    {
        var directives = SystemdUnit.Parse(SystemdUnit.SocketPath);
        string[] Values(string key) => [.. directives.Where(directive => directive.Section == "Socket" && directive.Key == key).Select(directive => directive.Value)];

        var listen = Values("ListenStream");
        Assert.NotEmpty(listen);
        Assert.All(listen, address => Assert.Matches(@"^(.+:)?10066$", address));
        Assert.Empty(Values("ListenDatagram").Concat(Values("ListenSequentialPacket")));
        Assert.DoesNotContain(Values("Accept"), value => value is "yes" or "true" or "1" or "on");
        var service = Assert.Single(Values("Service").DefaultIfEmpty(Path.GetFileNameWithoutExtension(SystemdUnit.SocketPath) + ".service"));
        Assert.Equal(Path.GetFileName(SystemdUnit.Path), service);
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(SystemdUnit.SocketPath)!, service)), $"{service} does not ship beside the socket");
        Assert.Contains(directives, directive => directive.Section == "Install" && directive.Key == "WantedBy" && directive.Value == "sockets.target");
    }

    /// <summary>
    /// Type=notify: the exporter sends READY=1 once it serves (SystemdReadinessTests). NotifyAccess= must let the
    /// main process, ExecStart's exporter itself, notify: unset (main for Type=notify), main or all.
    /// </summary>
    [Fact]
    public void Is_type_notify_and_the_main_process_may_notify()
    {
        Assert.Equal("notify", unit.Service("Type"));
        Assert.Contains(unit.Service("NotifyAccess") ?? "main", new[] { "main", "exec", "all" });
        Assert.Empty(unit.ServiceValues("ExecStartPre").Concat(unit.ServiceValues("ExecStartPost")));
    }

    /// <summary>
    /// The drop-in only adds the group that the runtime gives its socket to, and the unit does not name it: a unit
    /// whose SupplementaryGroups= names a missing group does not start (status=216/GROUP), and the group is root on
    /// the node, so it is the operator's choice.
    /// </summary>
    [Fact]
    public void The_cri_drop_in_adds_only_the_runtime_sockets_group()
    {
        var directives = SystemdUnit.Parse(Path.Combine(SystemdUnit.DropInDirectory, CriDropIn));

        var directive = Assert.Single(directives);
        Assert.Equal(("Service", "SupplementaryGroups"), (directive.Section, directive.Key));
        Assert.Matches(GroupNamePattern(), directive.Value);
        Assert.Empty(unit.ServiceValues("SupplementaryGroups"));
        Assert.Empty(unit.ServiceValues("Group"));
        Assert.Equal([directive.Value], SystemdUnit.Load(CriDropIn).ServiceSet("SupplementaryGroups"));
    }

    /// <summary>
    /// No directive of the unit (and drop-in) hides a path where a CRI runtime puts its socket: ProtectHome= hides
    /// /home, /root and /run/user, PrivateTmp= /tmp and /var/tmp, PrivateDevices= all of /dev but its API devices,
    /// InaccessiblePaths= and TemporaryFileSystem= what they name. ProtectSystem=strict leaves the socket visible
    /// but read-only, which SystemdServiceProcessTests replays: connect() still works.
    /// </summary>
    [Fact]
    public void No_directive_hides_where_a_runtime_puts_its_socket()
    {
        var unit = SystemdUnit.Load(CriDropIn);
        var hidden = new List<string>();
        if (unit.Service("ProtectHome") is "yes" or "tmpfs")
        {
            hidden.AddRange(["/home", "/root", "/run/user"]);
        }
        if (unit.Service("PrivateTmp") == "yes")
        {
            hidden.AddRange(["/tmp", "/var/tmp"]);
        }
        if (unit.Service("PrivateDevices") == "yes")
        {
            hidden.Add("/dev");
        }
        hidden.AddRange(unit.ServiceSet("InaccessiblePaths").Concat(unit.ServiceSet("TemporaryFileSystem"))
            .Select(path => path.TrimStart('-', '+').Split(':')[0]));
        Assert.Empty(unit.ServiceValues("RootDirectory").Concat(unit.ServiceValues("RootImage")));

        // /var/run is a link to /run on every systemd distribution.
        var sockets = CriEndpoint.AutoCandidates.Select(socket => socket.StartsWith("/var/run/", StringComparison.Ordinal) ? socket[4..] : socket);
        foreach (var socket in sockets)
        {
            var hiding = hidden.Where(path => socket == path || socket.StartsWith(path.TrimEnd('/') + "/", StringComparison.Ordinal)).ToList();
            Assert.True(hiding.Count == 0, $"{socket} is hidden from the unit by {string.Join(", ", hiding)}");
        }
    }

    /// <summary>
    /// The system calls a gRPC call over a unix socket makes are allowed by the unit's filter (@system-service
    /// without @privileged, expanded by systemd-analyze itself), and AF_UNIX is an allowed address family.
    /// </summary>
    [Fact]
    public async Task The_sandbox_allows_connecting_to_a_unix_socket()
    {
        Prerequisites.RequireCommand("systemd-analyze", "systemd");
        var listing = (await TestCommand.RunAsync("systemd-analyze", ["syscall-filter"])).EnsureSuccess("systemd-analyze syscall-filter").StandardOutput;
        var groups = SystemCallGroups(listing);
        var allowed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var filter in unit.ServiceValues("SystemCallFilter"))
        {
            var deny = filter.StartsWith('~');
            var calls = filter.TrimStart('~').Split(' ', StringSplitOptions.RemoveEmptyEntries).SelectMany(name => Expand(name, groups));
            if (deny)
            {
                allowed.ExceptWith(calls);
            }
            else
            {
                allowed.UnionWith(calls);
            }
        }

        string[] socketCalls = ["socket", "connect", "sendto", "recvfrom", "sendmsg", "recvmsg", "getsockopt", "setsockopt", "shutdown", "close", "read", "write", "epoll_wait", "epoll_ctl"];
        var refused = socketCalls.Where(call => !allowed.Contains(call)).ToList();
        Assert.True(refused.Count == 0, $"SystemCallFilter= refuses {string.Join(", ", refused)}");
        Assert.Contains("AF_UNIX", unit.ServiceSet("RestrictAddressFamilies"));
    }

    /// <summary>
    /// systemd-analyze security reads the drop-ins beside a unit file, so the unit is rated from a copy: alone, and
    /// with the CRI drop-in, whose SupplementaryGroups= costs 0.1.
    /// </summary>
    [Theory]
    [InlineData(null)]
    [InlineData(CriDropIn)]
    public async Task Systemd_analyze_rates_the_sandbox_ok(string? dropIn)
    {
        Prerequisites.RequireCommand("systemd-analyze", "systemd");
        using var directory = new TemporaryDirectory("nfx-unit-");
        var unitCopy = directory.Combine(Path.GetFileName(SystemdUnit.Path));
        File.Copy(SystemdUnit.Path, unitCopy);
        if (dropIn is not null)
        {
            Directory.CreateDirectory(unitCopy + ".d");
            File.Copy(Path.Combine(SystemdUnit.DropInDirectory, dropIn), Path.Combine(unitCopy + ".d", dropIn));
        }

        var result = (await TestCommand.RunAsync("systemd-analyze", ["security", "--offline=yes", unitCopy]))
            .EnsureSuccess("systemd-analyze security --offline=yes");

        // 0 is fully sandboxed, 10 is unprotected; Debian's node_exporter unit scores 9.2. This unit scores 1.9 (2.0
        // with the drop-in), the rest being what the exporter needs (host network, NET_ADMIN, netlink) or what
        // breaks .NET (W^X).
        var match = ExposurePattern().Match(result.StandardOutput);
        Assert.True(match.Success, $"no overall exposure level in: {result.StandardOutput}");
        Assert.True(double.Parse(match.Groups["level"].Value, CultureInfo.InvariantCulture) <= 2.5, match.Value);
        Assert.Equal(dropIn is not null, result.StandardOutput.Contains("✗ SupplementaryGroups=", StringComparison.Ordinal));
    }

    [Fact]
    public void Runs_unprivileged_with_only_the_two_network_capabilities()
    {
        var user = unit.Service("User");

        Assert.True(unit.Service("DynamicUser") == "yes" || (user is not null && user is not "root" and not "0"),
            "the unit must run as an unprivileged user (DynamicUser=yes or User=)");
        Assert.Equal(["CAP_NET_ADMIN", "CAP_NET_RAW"], unit.ServiceSet("AmbientCapabilities").Order(StringComparer.Ordinal));
        Assert.Equal(["CAP_NET_ADMIN", "CAP_NET_RAW"], unit.ServiceSet("CapabilityBoundingSet").Order(StringComparer.Ordinal));
        Assert.Equal("yes", unit.Service("NoNewPrivileges"));
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
        Assert.Equal(value, unit.Service(key));
    }

    [Fact]
    public void Restricts_sockets_and_system_calls_to_what_the_exporter_uses()
    {
        Assert.Equal(["AF_INET", "AF_INET6", "AF_NETLINK", "AF_UNIX"], unit.ServiceSet("RestrictAddressFamilies").Order(StringComparer.Ordinal));
        Assert.Contains("@system-service", unit.ServiceValues("SystemCallFilter"));
    }

    [Theory]
    [InlineData("ProtectKernelModules", "yes", "it hides modules.builtin, which tells whether nf_conntrack is built in")]
    [InlineData("ProcSubset", "pid", "it hides /proc/sys/net/netfilter and /proc/net")]
    [InlineData("PrivateUsers", "yes", "the capabilities would not reach the host's netfilter tables")]
    [InlineData("PrivateNetwork", "yes", "the rules live in the host's network namespace")]
    public void Omits_a_directive_that_would_break_the_exporter(string key, string breakingValue, string reason)
    {
        Assert.True(unit.Service(key) != breakingValue, $"{key}={breakingValue} breaks the exporter: {reason}");
    }

    [Fact]
    public void Starts_the_native_exporter_with_the_arguments_from_its_environment_file()
    {
        var command = unit.Service("ExecStart")?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];

        // docs/install.md publishes the Native AOT binary into /opt/netfilter-exporter: one executable, no dotnet host.
        Assert.Equal("/opt/netfilter-exporter/" + ProjectProperties.AssemblyName, command.FirstOrDefault());
        Assert.Equal(["$ARGS"], command.Skip(1));
        Assert.StartsWith("-/etc/default/", unit.Service("EnvironmentFile"), StringComparison.Ordinal);
    }

    /// <summary>
    /// Writes the unit into <paramref name="directory"/> with ExecStart= pointing at <paramref name="installed"/>:
    /// verify requires ExecStart's executable to exist, and /opt/netfilter-exporter is not installed here. Returns its file name.
    /// </summary>
    private string CopyUnitRunningTheInstalledCopy(TemporaryDirectory directory, InstalledExporterCopy installed)
    {
        var executable = unit.Service("ExecStart")!.Split(' ')[0];
        var unitName = Path.GetFileName(SystemdUnit.Path);
        File.WriteAllText(directory.Combine(unitName), File.ReadAllText(SystemdUnit.Path)
            .Replace("ExecStart=" + executable, "ExecStart=" + Path.Combine(installed.InstallPath, Path.GetFileName(executable)), StringComparison.Ordinal));
        return unitName;
    }

    /// <summary>systemd-analyze syscall-filter's listing: each @group and its members (calls and nested @groups).</summary>
    private static Dictionary<string, List<string>> SystemCallGroups(string listing)
    {
        var groups = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        List<string>? members = null;
        foreach (var line in listing.Split('\n'))
        {
            if (line.StartsWith('@'))
            {
                groups[line.Trim()] = members = [];
            }
            else if (line.StartsWith("    ", StringComparison.Ordinal) && !line.TrimStart().StartsWith('#') && members is not null)
            {
                members.Add(line.Trim());
            }
        }
        Assert.True(groups.ContainsKey("@system-service"), $"no @system-service in systemd-analyze syscall-filter:\n{listing}");
        return groups;
    }

    private static IEnumerable<string> Expand(string name, Dictionary<string, List<string>> groups) =>
        name.StartsWith('@') ? groups[name].SelectMany(member => Expand(member, groups)) : [name];

    [GeneratedRegex("^[a-z_][a-z0-9_-]*$")]
    private static partial Regex GroupNamePattern();

    [GeneratedRegex(@"Overall exposure level for [^:]+: (?<level>[0-9]+\.[0-9]+)")]
    private static partial Regex ExposurePattern();
}
