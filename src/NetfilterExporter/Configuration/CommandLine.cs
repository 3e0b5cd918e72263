using System.Globalization;
using Microsoft.Extensions.Logging;
using NetfilterExporter.Host;
using NetfilterExporter.Iptables;
using NetfilterExporter.WebConfig;

namespace NetfilterExporter.Configuration;

/// <summary>
/// Parses "--name=value" / "--name value" flags, falling back to NETFILTER_EXPORTER_* environment variables and
/// then to defaults. Anything unknown or malformed is a <see cref="UsageException"/>, never a guess.
/// </summary>
public static class CommandLine
{
    /// <param name="collectors">The collectors of the registration table, whose --[no-]collector.&lt;name&gt; switches are accepted.</param>
    public static ExporterOptions Parse(IReadOnlyList<string> arguments, bool checkMode, Func<string, string?> environment, IReadOnlyList<CollectorFlag>? collectors = null)
    {
        collectors ??= [];
        var known = Known(collectors);
        var given = ReadArguments(arguments, checkMode, known);
        IReadOnlyList<string> Values(string name)
        {
            if (given.TryGetValue(name, out var values))
            {
                return values;
            }
            var flag = known.First(f => f.Name == name);
            return environment(flag.EnvironmentVariable) is { Length: > 0 } fromEnvironment ? [fromEnvironment]
                : flag.Default is null ? [] : [flag.Default];
        }
        string? Value(string name) => Values(name) is [.., var last] ? last : null;

        var (sources, auto) = ReadBackends(Value(Flags.Backends)!, Value(Flags.Families)!);
        var overrides = new Dictionary<RuleSource, string>();
        foreach (var source in RuleSource.Iptables)
        {
            if (Value(Flags.SaveCommandPrefix + $"{source.BackendLabel}-{source.FamilyLabel}") is { } path)
            {
                overrides[source] = path;
            }
        }
        var telemetryPath = Value(Flags.TelemetryPath)!;
        // Routing ignores case and a trailing slash: /Healthz/ would be /healthz, which needs no credentials.
        var routed = telemetryPath.TrimEnd('/');
        if (!telemetryPath.StartsWith('/') || routed.Length == 0 || routed.Equals("/healthz", StringComparison.OrdinalIgnoreCase))
        {
            throw new UsageException($"--{Flags.TelemetryPath} must be a path such as /metrics, other than / and /healthz, got '{telemetryPath}'");
        }
        var listenAddresses = Values(Flags.ListenAddress);
        foreach (var address in listenAddresses)
        {
            ListenAddress.Parse(address);
        }
        var dumpFiles = Values(Flags.FromFile).Select(DumpFileSpec.Parse).ToList();
        if (dumpFiles.GroupBy(file => file.Source).FirstOrDefault(group => group.Count() > 1) is { } clash)
        {
            throw new UsageException($"--{Flags.FromFile}: {string.Join(" and ", clash.Select(file => file.Path))} are both {clash.Key}; give each backend and family one dump");
        }
        return new ExporterOptions(
            listenAddresses,
            telemetryPath,
            Value(Flags.WebConfigFile),
            ReadSwitch(Flags.SystemdSocket, Value(Flags.SystemdSocket)!),
            ReadCount(Flags.MaxRequests, Value(Flags.MaxRequests)!),
            new HostPaths(Value(Flags.ProcFs)!, Value(Flags.SysFs)!, Value(Flags.RootFs)!),
            sources,
            auto,
            dumpFiles,
            overrides,
            ReadDuration(Flags.CollectorTimeout, Value(Flags.CollectorTimeout)!),
            ReadDuration(Flags.MinInterval, Value(Flags.MinInterval)!, zeroAllowed: true),
            CriEndpoint.Parse(Value(Flags.CriEndpoint)!),
            ReadLogLevel(Value(Flags.LogLevel)!),
            Value(Flags.LogFormat) switch
            {
                "logfmt" => LogFormat.Logfmt,
                "json" => LogFormat.Json,
                var other => throw new UsageException($"--{Flags.LogFormat} must be logfmt or json, got '{other}'"),
            },
            Value(Flags.Output) switch
            {
                "text" => OutputFormat.Text,
                "json" => OutputFormat.Json,
                var other => throw new UsageException($"--{Flags.Output} must be text or json, got '{other}'"),
            },
            collectors
                .Where(collector => Value(Flags.CollectorPrefix + collector.Name) is not null)
                .ToDictionary(collector => collector.Name, collector => ReadSwitch(Flags.CollectorPrefix + collector.Name, Value(Flags.CollectorPrefix + collector.Name)!), StringComparer.Ordinal),
            ReadSwitch(Flags.DisableDefaults, Value(Flags.DisableDefaults)!),
            Value(Flags.NodeName),
            Value(Flags.NftCommand) is { } nft
                ? Path.IsPathFullyQualified(nft) ? nft : throw new UsageException($"--{Flags.NftCommand} must be an absolute path, got '{nft}'")
                : null);
    }

    private static List<FlagDefinition> Known(IReadOnlyList<CollectorFlag> collectors) => [.. Flags.All, .. collectors.Select(collector => collector.Definition)];

    public static string Usage(IReadOnlyList<CollectorFlag>? collectors = null)
    {
        var lines = new List<string>
        {
            "usage: netfilter-exporter [flags]         serve /metrics, / and /healthz",
            "       netfilter-exporter check [flags]   diagnose this node once; exit 0 healthy, 1 findings, 2 could not collect",
            "",
            "flags (each also settable as the environment variable shown):",
        };
        foreach (var flag in Flags.All)
        {
            var defaultText = flag.Default is null ? "" : $" (default {flag.Default})";
            lines.Add($"  --{flag.Name}{defaultText}  [{flag.EnvironmentVariable}]");
            lines.Add($"      {flag.Help}");
        }
        lines.Add("  --help, --version");
        if (collectors is { Count: > 0 })
        {
            lines.Add("");
            lines.Add("collectors (--collector.<name> switches one on, --no-collector.<name> off):");
            foreach (var collector in collectors)
            {
                var flag = collector.Definition;
                lines.Add($"  --{flag.Name} (default {(collector.EnabledByDefault ? "enabled" : "disabled")})  [{flag.EnvironmentVariable}]");
                lines.Add($"      {flag.Help}");
            }
        }
        return string.Join('\n', lines) + "\n";
    }

    private static Dictionary<string, List<string>> ReadArguments(IReadOnlyList<string> arguments, bool checkMode, List<FlagDefinition> known)
    {
        var given = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            if (!argument.StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"unexpected argument '{argument}' (flags start with --; see --help)");
            }
            var equals = argument.IndexOf('=');
            var name = equals < 0 ? argument[2..] : argument[2..equals];
            var negated = equals < 0 && name.StartsWith("no-", StringComparison.Ordinal)
                && known.Any(f => f.IsSwitch && f.Name == name[3..]);
            if (negated)
            {
                name = name[3..];
            }
            var flag = known.FirstOrDefault(f => f.Name == name)
                ?? throw new UsageException($"unknown flag --{name} (see --help)");
            if (flag.CheckOnly && !checkMode)
            {
                throw new UsageException($"--{name} is a flag of the check command");
            }
            string value;
            if (equals >= 0)
            {
                value = argument[(equals + 1)..];
            }
            else if (flag.IsSwitch)
            {
                value = negated ? "false" : "true";
            }
            else if (i + 1 < arguments.Count)
            {
                value = arguments[++i];
            }
            else
            {
                throw new UsageException($"flag --{name} needs a value");
            }
            if (!given.TryGetValue(name, out var values))
            {
                given[name] = values = [];
            }
            else if (!flag.Repeatable)
            {
                throw new UsageException($"flag --{name} given more than once");
            }
            values.Add(value);
        }
        return given;
    }

    private static (IReadOnlyList<RuleSource> Sources, bool Auto) ReadBackends(string backends, string families)
    {
        var auto = backends == "auto";
        var backendList = auto ? [IptablesBackend.Legacy, IptablesBackend.Nft] : SplitList(backends, Flags.Backends).Select(name => name switch
        {
            "legacy" => IptablesBackend.Legacy,
            "nft" => IptablesBackend.Nft,
            _ => throw new UsageException($"--{Flags.Backends}: unknown backend '{name}' (auto, or a list of legacy,nft)"),
        }).ToList();
        var familyList = SplitList(families, Flags.Families).Select(name => name switch
        {
            "ipv4" => IpFamily.IPv4,
            "ipv6" => IpFamily.IPv6,
            _ => throw new UsageException($"--{Flags.Families}: unknown family '{name}' (a list of ipv4,ipv6)"),
        }).ToList();
        var sources = RuleSource.Iptables.Where(source => backendList.Contains(source.Backend) && familyList.Contains(source.Family)).ToList();
        return (sources, auto);
    }

    private static string[] SplitList(string list, string flag)
    {
        var items = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return items.Length > 0 ? items : throw new UsageException($"--{flag} must not be empty");
    }

    private static TimeSpan ReadDuration(string flag, string text, bool zeroAllowed = false) =>
        Duration.TryParse(text, DurationGrammar.Prometheus, out var duration) && (duration > TimeSpan.Zero || (zeroAllowed && duration == TimeSpan.Zero)) ? duration
            : throw new UsageException(zeroAllowed
                ? $"--{flag}: '{text}' is not a duration such as 0s, 500ms, 10s or 1m"
                : $"--{flag}: '{text}' is not a duration above zero such as 500ms, 10s or 1m");

    private static bool ReadSwitch(string flag, string text) => text switch
    {
        "true" => true,
        "false" => false,
        _ => throw new UsageException($"--{flag} is true or false (or give --{flag} / --no-{flag}), got '{text}'"),
    };

    private static int ReadCount(string flag, string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? count
            : throw new UsageException($"--{flag}: '{text}' is not a whole number");

    private static LogLevel ReadLogLevel(string text) => text switch
    {
        "debug" => LogLevel.Debug,
        "info" => LogLevel.Information,
        "warn" => LogLevel.Warning,
        "error" => LogLevel.Error,
        _ => throw new UsageException($"--{Flags.LogLevel} must be debug, info, warn or error, got '{text}'"),
    };
}
