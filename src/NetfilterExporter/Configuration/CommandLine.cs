using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using NetfilterExporter.Host;
using NetfilterExporter.Iptables;
using NetfilterExporter.WebConfig;

namespace NetfilterExporter.Configuration;

/// <summary>
/// The command line of docs/contract.md §4 as System.CommandLine symbols: the root command serves, <c>check</c>
/// diagnoses once, <c>fix [--apply]</c> plans (and applies) the confirmed repairs, <c>help [check|fix]</c> prints help. A flag not given falls back to its NETFILTER_EXPORTER_*
/// environment variable, then to its default (the option's DefaultValueFactory), and a bad value from any of them is
/// a parse error with the flag's name, never a guess.
/// </summary>
public sealed class CommandLine
{
    private readonly Func<string, string?> environment;
    private readonly Option<string[]> listenAddresses;
    private readonly Option<string> telemetryPath;
    private readonly Option<string?> webConfigFile;
    private readonly SwitchOption systemdSocket;
    private readonly Option<int> maxRequests;
    private readonly Option<string> procFs;
    private readonly Option<string> sysFs;
    private readonly Option<string> rootFs;
    private readonly Option<(bool Auto, IptablesBackend[] Backends)> backends;
    private readonly Option<IpFamily[]> families;
    private readonly Option<DumpFile[]> dumpFiles;
    private readonly Dictionary<RuleSource, Option<string?>> saveCommands = [];
    private readonly Option<string?> nftCommand;
    private readonly Option<TimeSpan> collectorTimeout;
    private readonly Option<TimeSpan> minInterval;
    private readonly SwitchOption disableDefaults;
    private readonly Option<CriEndpoint> criEndpoint;
    private readonly Option<LogLevel> logLevel;
    private readonly Option<LogFormat> logFormat;
    private readonly Option<string?> nodeName;
    private readonly Option<OutputFormat> output;
    private readonly Argument<string?> helpTopic;

    // Only on the command line: a variable set once in a unit file must never make every run change the node.
    private readonly Option<bool> apply;

    /// <summary>The --[no-]collector.&lt;name&gt; switches, in table order.</summary>
    private readonly List<SwitchOption> collectorSwitches;

    /// <param name="collectors">The collectors of the registration table, whose --[no-]collector.&lt;name&gt; switches are accepted.</param>
    /// <param name="serve">The root command's action, given the options; null where only parsing is wanted.</param>
    /// <param name="check">The action of check.</param>
    /// <param name="fix">The action of fix, given the options and whether --apply was given.</param>
    /// <param name="helpWidth">The columns help wraps to; by default the terminal's (<see cref="ExporterHelpAction.TerminalWidth"/>).</param>
    public CommandLine(
        Func<string, string?> environment,
        IReadOnlyList<CollectorFlag>? collectors = null,
        Func<ExporterOptions, Task<int>>? serve = null,
        Func<ExporterOptions, Task<int>>? check = null,
        Func<int>? helpWidth = null,
        Func<ExporterOptions, bool, Task<int>>? fix = null)
    {
        this.environment = environment;
        Collectors = collectors ?? [];
        Root = new RootCommand("Serve the metrics, the landing page / and /healthz.");
        CheckSubcommand = new Command("check", "Diagnose this node once; exit 0 healthy, 1 findings, 2 could not collect.");
        FixSubcommand = new Command("fix", "Plan the repairs the collected evidence confirms and print them; with --apply, apply and verify them.");
        HelpSubcommand = new Command("help", "This help (also --help or -h), or that of check or fix.");
        helpTopic = new Argument<string?>("command") { Arity = ArgumentArity.ZeroOrOne };
        helpTopic.Validators.Add(result =>
        {
            if (result.Tokens is [var topic] && topic.Value != CheckSubcommand.Name && topic.Value != FixSubcommand.Name)
            {
                result.AddError($"help: no command '{topic.Value}' (the commands are check, fix and help)");
            }
        });
        HelpSubcommand.Arguments.Add(helpTopic);
        Root.Subcommands.Add(CheckSubcommand);
        Root.Subcommands.Add(FixSubcommand);
        Root.Subcommands.Add(HelpSubcommand);
        apply = new Option<bool>("--apply") { Description = "Apply the plan, table by table, each in one transaction, then verify it with a new collection." };
        FixSubcommand.Options.Add(apply);

        listenAddresses = Repeatable(Flags.ListenAddress, addresses =>
        {
            foreach (var address in addresses)
            {
                ListenAddress.Parse(address);
            }
            return addresses;
        });
        telemetryPath = Flag(Flags.TelemetryPath, ReadTelemetryPath, "");
        webConfigFile = Flag<string?>(Flags.WebConfigFile, text => text, null);
        systemdSocket = Switch(Flags.SystemdSocket);
        maxRequests = Flag(Flags.MaxRequests, text => ReadCount(Flags.MaxRequests, text), 0);
        procFs = Flag(Flags.ProcFs, text => text, "");
        sysFs = Flag(Flags.SysFs, text => text, "");
        rootFs = Flag(Flags.RootFs, text => text, "");
        backends = Flag(Flags.Backends, ReadBackends, (true, []));
        families = Flag(Flags.Families, ReadFamilies, []);
        dumpFiles = Repeatable(Flags.FromFile, ReadDumpFiles);
        foreach (var source in RuleSource.Iptables)
        {
            saveCommands[source] = Flag<string?>(Flags.SaveCommandPrefix + $"{source.BackendLabel}-{source.FamilyLabel}", text => text, null);
        }
        nftCommand = Flag<string?>(Flags.NftCommand, text => Path.IsPathFullyQualified(text) ? text
            : throw new UsageException($"--{Flags.NftCommand} must be an absolute path, got '{text}'"), null);
        collectorTimeout = Flag(Flags.CollectorTimeout, text => ReadDuration(Flags.CollectorTimeout, text), TimeSpan.Zero);
        minInterval = Flag(Flags.MinInterval, text => ReadDuration(Flags.MinInterval, text, zeroAllowed: true), TimeSpan.Zero);
        disableDefaults = Switch(Flags.DisableDefaults);
        criEndpoint = Flag(Flags.CriEndpoint, CriEndpoint.Parse, CriEndpoint.Auto);
        logLevel = Flag(Flags.LogLevel, ReadLogLevel, LogLevel.Information);
        logFormat = Flag(Flags.LogFormat, text => text switch
        {
            "logfmt" => LogFormat.Logfmt,
            "json" => LogFormat.Json,
            _ => throw new UsageException($"--{Flags.LogFormat} must be logfmt or json, got '{text}'"),
        }, LogFormat.Logfmt);
        nodeName = Flag<string?>(Flags.NodeName, text => text, null);
        output = Flag(Flags.Output, text => text switch
        {
            "text" => OutputFormat.Text,
            "json" => OutputFormat.Json,
            _ => throw new UsageException($"--{Flags.Output} must be text or json, got '{text}'"),
        }, OutputFormat.Text);
        collectorSwitches = [.. Collectors.Select(collector => new SwitchOption(collector.Definition, environment))];
        foreach (var collectorSwitch in collectorSwitches)
        {
            Add(collectorSwitch);
        }

        var help = new ExporterHelpAction(this, helpWidth ?? ExporterHelpAction.TerminalWidth);
        Root.Options.OfType<HelpOption>().Single().Action = help;
        var version = Root.Options.OfType<VersionOption>().Single();
        version.Action = new ExporterVersionAction();
        // `check --version` too, as before System.CommandLine.
        version.Recursive = true;
        HelpSubcommand.SetAction(parse => help.Write(parse, parse.GetValue(helpTopic) switch
        {
            "check" => CheckSubcommand,
            "fix" => FixSubcommand,
            _ => Root,
        }));
        Root.SetAction((parse, _) => Run(serve, parse));
        CheckSubcommand.SetAction((parse, _) => Run(check, parse));
        FixSubcommand.SetAction((parse, _) => fix is null
            ? throw new InvalidOperationException("this command line was made for parsing only")
            : fix(Options(parse), parse.GetValue(apply)));
    }

    public RootCommand Root { get; }

    public Command CheckSubcommand { get; }

    public Command FixSubcommand { get; }

    public Command HelpSubcommand { get; }

    public IReadOnlyList<CollectorFlag> Collectors { get; }

    /// <summary>Every switch: those of <see cref="Flags.All"/>, then the collectors'.</summary>
    public IReadOnlyList<SwitchOption> Switches => [systemdSocket, disableDefaults, .. collectorSwitches];

    /// <summary>Parses <paramref name="arguments"/> into the options they set, for tests and tools that need no help.</summary>
    /// <param name="checkMode">Parse them as flags of <c>check</c>.</param>
    /// <exception cref="UsageException">Anything unknown, malformed, repeated or misplaced, with one line naming it.</exception>
    public static ExporterOptions Parse(IReadOnlyList<string> arguments, bool checkMode, Func<string, string?> environment, IReadOnlyList<CollectorFlag>? collectors = null)
    {
        var commandLine = new CommandLine(environment, collectors);
        return commandLine.Options(commandLine.Parse(checkMode ? ["check", .. arguments] : arguments));
    }

    /// <summary>Parses without running anything: the result says which command, help or version was asked for.</summary>
    public ParseResult Parse(IReadOnlyList<string> arguments) =>
        // No response files: a value such as --node.name=@edge is a value, not a file to read arguments from.
        Root.Parse(arguments, new ParserConfiguration { ResponseFileTokenReplacer = null });

    /// <summary>What the flags of <paramref name="parse"/> configure.</summary>
    /// <exception cref="UsageException">The parse failed; the message is <see cref="UsageError"/>'s.</exception>
    public ExporterOptions Options(ParseResult parse)
    {
        if (UsageError.Of(this, parse) is { } error)
        {
            throw new UsageException(error);
        }
        var (auto, backendList) = parse.GetValue(backends);
        var familyList = parse.GetValue(families)!;
        return new ExporterOptions(
            parse.GetValue(listenAddresses)!,
            parse.GetValue(telemetryPath)!,
            parse.GetValue(webConfigFile),
            systemdSocket.Value(parse),
            parse.GetValue(maxRequests),
            new HostPaths(parse.GetValue(procFs)!, parse.GetValue(sysFs)!, parse.GetValue(rootFs)!),
            [.. RuleSource.Iptables.Where(source => (auto || backendList.Contains(source.Backend)) && familyList.Contains(source.Family))],
            auto,
            parse.GetValue(dumpFiles)!,
            saveCommands.Where(command => parse.GetValue(command.Value) is not null).ToDictionary(command => command.Key, command => parse.GetValue(command.Value)!),
            parse.GetValue(collectorTimeout),
            parse.GetValue(minInterval),
            parse.GetValue(criEndpoint)!,
            parse.GetValue(logLevel),
            parse.GetValue(logFormat),
            parse.CommandResult.Command == CheckSubcommand ? parse.GetValue(output) : OutputFormat.Text,
            collectorSwitches
                .Select(collectorSwitch => (Name: collectorSwitch.Definition.Name[Flags.CollectorPrefix.Length..], On: collectorSwitch.Given(parse)))
                .Where(collectorSwitch => collectorSwitch.On is not null)
                .ToDictionary(collectorSwitch => collectorSwitch.Name, collectorSwitch => collectorSwitch.On!.Value, StringComparer.Ordinal),
            disableDefaults.Value(parse),
            parse.GetValue(nodeName),
            parse.GetValue(nftCommand));
    }

    private Task<int> Run(Func<ExporterOptions, Task<int>>? action, ParseResult parse) =>
        action is null ? throw new InvalidOperationException("this command line was made for parsing only") : action(Options(parse));

    private SwitchOption Switch(string name)
    {
        var flag = new SwitchOption(Flags.Definition(name), environment);
        Add(flag);
        return flag;
    }

    private void Add(SwitchOption flag)
    {
        Root.Options.Add(flag.On);
        Root.Options.Add(flag.Off);
    }

    /// <param name="absent">The value of a flag that has no default and is not given.</param>
    private Option<T> Flag<T>(string name, Func<string, T> read, T absent)
    {
        var definition = Flags.Definition(name);
        Debug.Assert(!definition.Repeatable, $"--{name} is repeatable in Flags.All");
        var option = new Option<T>("--" + name)
        {
            Description = definition.Help,
            Recursive = !definition.CheckOnly,
            // Zero or one, not exactly one: a flag with no value is "needs a value", not the next flag taken as its value.
            Arity = ArgumentArity.ZeroOrOne,
            CustomParser = result => Read(result, read, result.Tokens[^1].Value),
            DefaultValueFactory = result => Fallback(definition) is { } text ? Read(result, read, text.Value, text.Variable) : absent,
        };
        option.Validators.Add(NeedsValue);
        (definition.CheckOnly ? CheckSubcommand : Root).Options.Add(option);
        return option;
    }

    private Option<T[]> Repeatable<T>(string name, Func<string[], T[]> read)
    {
        var definition = Flags.Definition(name);
        Debug.Assert(definition.Repeatable, $"--{name} is not repeatable in Flags.All");
        var option = new Option<T[]>("--" + name)
        {
            Description = definition.Help,
            Recursive = true,
            Arity = ArgumentArity.ZeroOrMore,
            CustomParser = result => Read(result, read, [.. result.Tokens.Select(token => token.Value)]),
            DefaultValueFactory = result => Fallback(definition) is { } text ? Read(result, read, [text.Value], text.Variable) : [],
        };
        option.Validators.Add(NeedsValue);
        Root.Options.Add(option);
        return option;
    }

    private static void NeedsValue(OptionResult result)
    {
        if (!result.Implicit && result.Tokens.Count < result.IdentifierTokenCount)
        {
            result.AddError($"flag {result.Option.Name} needs a value");
        }
    }

    /// <summary>The environment variable's value, else the default; null when neither is set.</summary>
    private (string Value, string? Variable)? Fallback(FlagDefinition definition) =>
        environment(definition.EnvironmentVariable) is { Length: > 0 } fromEnvironment ? (fromEnvironment, definition.EnvironmentVariable)
        : definition.Default is { } fallback ? (fallback, null)
        : null;

    /// <summary>Runs one of the readers below, which throw <see cref="UsageException"/>, and makes its message a parse error.</summary>
    private static TOut Read<TIn, TOut>(ArgumentResult result, Func<TIn, TOut> read, TIn text, string? variable = null)
    {
        try
        {
            return read(text);
        }
        catch (UsageException usage)
        {
            return Refuse<TOut>(result, variable is null ? usage.Message : $"{usage.Message} (from {variable})");
        }
    }

    private static T Refuse<T>(ArgumentResult result, string message)
    {
        result.AddError(message);
        return default!;
    }

    private static string ReadTelemetryPath(string path)
    {
        // Routing ignores case and a trailing slash: /Healthz/ would be /healthz, which needs no credentials.
        var routed = path.TrimEnd('/');
        return path.StartsWith('/') && routed.Length > 0 && !routed.Equals("/healthz", StringComparison.OrdinalIgnoreCase) ? path
            : throw new UsageException($"--{Flags.TelemetryPath} must be a path such as /metrics, other than / and /healthz, got '{path}'");
    }

    private static DumpFile[] ReadDumpFiles(string[] specs)
    {
        var files = specs.Select(DumpFileSpec.Parse).ToArray();
        return files.GroupBy(file => file.Source).FirstOrDefault(group => group.Count() > 1) is { } clash
            ? throw new UsageException($"--{Flags.FromFile}: {string.Join(" and ", clash.Select(file => file.Path))} are both {clash.Key}; give each backend and family one dump")
            : files;
    }

    /// <returns>Auto: every backend whose save command is installed.</returns>
    private static (bool Auto, IptablesBackend[] Backends) ReadBackends(string backends) => backends == "auto" ? (true, [])
        : (false, [.. SplitList(backends, Flags.Backends).Select(name => name switch
        {
            "legacy" => IptablesBackend.Legacy,
            "nft" => IptablesBackend.Nft,
            _ => throw new UsageException($"--{Flags.Backends}: unknown backend '{name}' (auto, or a list of legacy,nft)"),
        })]);

    private static IpFamily[] ReadFamilies(string families) =>
        [.. SplitList(families, Flags.Families).Select(name => name switch
        {
            "ipv4" => IpFamily.IPv4,
            "ipv6" => IpFamily.IPv6,
            _ => throw new UsageException($"--{Flags.Families}: unknown family '{name}' (a list of ipv4,ipv6)"),
        })];

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
