using System.CommandLine;
using System.Globalization;

namespace NetfilterExporter.Configuration;

/// <summary>
/// The help of the exporter, of <c>check</c> or of <c>fix</c>: usage, the flags under the headings of <see cref="FlagGroup"/>, each
/// with its default and environment variable, then examples; every line at most <c>width</c> columns.
/// </summary>
public static class HelpText
{
    private const string Program = "netfilter-exporter";
    private const int FlagIndent = 2;
    private const int TextIndent = 6;
    private const int ExitCodeIndent = 7;

    private static readonly (string What, string Command)[] ServerExamples =
    [
        ("Serve the metrics on :10066, as the DaemonSet does:", Program),
        ("Diagnose this node once (reading its rules needs root):", $"sudo {Program} check"),
        ("The same for a script:", $"sudo {Program} check --output json | jq .status"),
        ("Analyse a saved 'iptables-save -c -t nat' dump instead of this node's rules:", $"{Program} check --iptables.from-file=nat.txt"),
        ("In a container with the host's / mounted at /host:", $"{Program} --path.rootfs=/host --path.procfs=/host/proc --path.sysfs=/host/sys"),
    ];

    private static readonly (string What, string Command)[] CheckExamples =
    [
        ("Diagnose this node (reading its rules needs root):", $"sudo {Program} check"),
        ("The findings as JSON for a script:", $"sudo {Program} check --output json | jq '.findings[]'"),
        ("Analyse a saved 'iptables-save -c -t nat' dump; needs no root:", $"{Program} check --iptables.from-file=nat.txt"),
        ("From a container with the host's / mounted at /host:", $"{Program} check --path.rootfs=/host --path.procfs=/host/proc --path.sysfs=/host/sys"),
    ];

    private static readonly (string What, string Command)[] FixExamples =
    [
        ("See what fix would change; changes nothing:", $"sudo {Program} fix"),
        ("Apply it, then verify it with a new collection:", $"sudo {Program} fix --apply"),
        ("From a container with the host's / mounted at /host:", $"{Program} fix --apply --path.rootfs=/host --path.procfs=/host/proc --path.sysfs=/host/sys"),
    ];

    /// <summary>docs/contract.md §6; RepairExitCode's values.</summary>
    private static readonly (int Code, string Meaning)[] FixExitCodes =
    [
        (0, "without --apply: healthy; with it: everything planned was applied and a new collection confirms it"),
        (1, "without --apply: findings present (a plan to apply, or findings left to a person); with it: something is left, named"),
        (2, "could not collect, or refused (not root, a saved dump); also a bad flag"),
        (3, "a table changed between the plan and its repair: that table's repair was aborted with nothing changed"),
        (130, "interrupted (Ctrl-C)"),
    ];

    /// <summary>docs/contract.md §5; NodeHealth's values, then Program's.</summary>
    private static readonly (int Code, string Meaning)[] ExitCodes =
    [
        (0, "healthy"),
        (1, "findings present, even if a collector also failed"),
        (2, "could not collect: no finding, and a collector failed or no nat table could be read; also a bad flag"),
        (130, "interrupted (Ctrl-C)"),
    ];

    public static string Render(CommandLine commandLine, Command command, int width)
    {
        var help = new List<string>();
        void Text(string text, int indent = 0, int hangingIndent = -1) =>
            help.AddRange(TextWrapping.Wrap(text, width, indent, hangingIndent < 0 ? indent : hangingIndent));
        void Heading(string heading)
        {
            help.Add("");
            help.Add(heading + ":");
        }
        void Entry(string term, params string[] paragraphs)
        {
            Text(term, FlagIndent, TextIndent);
            foreach (var paragraph in paragraphs)
            {
                Text(paragraph, TextIndent);
            }
        }
        var check = command == commandLine.CheckSubcommand;
        var fix = command == commandLine.FixSubcommand;
        void WriteExitCodes((int Code, string Meaning)[] codes)
        {
            Heading("Exit codes");
            foreach (var (code, meaning) in codes)
            {
                // The code in the margin the meaning leaves, "  130  interrupted", as the lines of a man page's table.
                var lines = TextWrapping.Wrap(meaning, width, ExitCodeIndent, ExitCodeIndent).ToList();
                lines[0] = (new string(' ', FlagIndent) + code.ToString(CultureInfo.InvariantCulture)).PadRight(ExitCodeIndent) + lines[0][ExitCodeIndent..];
                help.AddRange(lines);
            }
        }

        help.Add("Usage:");
        if (fix)
        {
            Entry($"{Program} fix [--apply] [flags]");
            help.Add("");
            Text("Collects once, as check does, and plans only what the evidence confirms: the rules of host port claims "
                + "whose pods the container runtime lists as not running (one transaction per table: <iptables>-restore "
                + "--noflush, or nft -f), orphan CNI-DN-* chains, and loading nf_conntrack now and at boot where modprobe is "
                + "not refused. It leaves alone, saying why, every claim the runtime did not judge and every live one. "
                + "Without --apply it prints the plan and changes nothing. With --apply it reads each table again first and "
                + "aborts that table if a planned rule changed, then verifies with a new collection. It needs root, never "
                + "restarts a service, and logs each change with the node, the rule and the sandbox.");
            WriteExitCodes(FixExitCodes);
        }
        else if (check)
        {
            Entry($"{Program} check [flags]");
            help.Add("");
            Text("Diagnoses this node once: reads what the server reads (the nat table's hostPort rules, portmap's nftables "
                + "tables, the container runtime's sandboxes, nf_conntrack, MicroK8s), prints every finding with its fixes, "
                + "and exits with a code a script can test.");
            WriteExitCodes(ExitCodes);
        }
        else
        {
            Entry(Program + " [flags]", commandLine.Root.Description!);
            Entry($"{Program} check [flags]", $"{commandLine.CheckSubcommand.Description} More: {Program} help check");
            Entry($"{Program} fix [--apply] [flags]", $"{commandLine.FixSubcommand.Description} More: {Program} help fix");
            Entry($"{Program} help [check|fix]", commandLine.HelpSubcommand.Description!);
            Entry($"{Program} --version");
        }
        help.Add("");
        Text("Each flag can also be set with its environment variable; the command line wins. A switch --[no-]name is "
            + "set by --name or --name=true, and unset by --no-name or --name=false.");

        if (fix)
        {
            Heading("Fix");
            Entry("--apply", commandLine.FixSubcommand.Options.Single(option => option.Name == "--apply").Description!,
                "Only on the command line: no environment variable sets it.");
        }
        FlagGroup[] groups = check ? [FlagGroup.Check, FlagGroup.Sources, FlagGroup.Collectors, FlagGroup.Logging]
            : fix ? [FlagGroup.Sources, FlagGroup.Collectors, FlagGroup.Logging]
            : [FlagGroup.Web, FlagGroup.Sources, FlagGroup.Collectors, FlagGroup.Logging];
        foreach (var group in groups)
        {
            Heading(group.ToString());
            foreach (var flag in Flags.All.Where(flag => flag.Group == group && !(fix && RefusedByFix(flag))))
            {
                Entry(flag.IsSwitch ? $"--[no-]{flag.Name}" : $"--{flag.Name}=VALUE", flag.Help,
                    Defaults(flag.IsSwitch ? flag.Default == "true" ? "on" : "off" : flag.Default, flag.EnvironmentVariable, flag.Repeatable));
            }
            if (group == FlagGroup.Collectors)
            {
                foreach (var collector in commandLine.Collectors)
                {
                    Entry($"--[no-]{collector.Definition.Name}", collector.Help,
                        Defaults(collector.EnabledByDefault ? "enabled" : "disabled", collector.Definition.EnvironmentVariable));
                }
            }
        }
        if (check || fix)
        {
            help.Add("");
            Text($"The server's --web.* flags are accepted and have no effect on {command.Name}.");
        }
        if (fix)
        {
            Text($"fix refuses --{Flags.FromFile}, --{Flags.SaveCommandPrefix}* and --{Flags.NftCommand}: it reads and changes this node's own tables with the programs on PATH.");
        }

        Heading("Examples");
        foreach (var (what, example) in check ? CheckExamples : fix ? FixExamples : ServerExamples)
        {
            Text(what, FlagIndent);
            help.AddRange(TextWrapping.Wrap(example, width, TextIndent - 2, TextIndent, continuation: " \\"));
        }
        return string.Join('\n', help) + "\n";
    }

    /// <summary>The flags fix refuses (FixCommand): a saved dump, and programs other than those on PATH.</summary>
    private static bool RefusedByFix(FlagDefinition flag) =>
        flag.Name == Flags.FromFile || flag.Name == Flags.NftCommand || flag.Name.StartsWith(Flags.SaveCommandPrefix, StringComparison.Ordinal);

    private static string Defaults(string? defaultValue, string variable, bool repeatable = false) =>
        (repeatable ? "Repeatable. " : "") + (defaultValue is null ? "" : $"Default: {defaultValue}. ") + $"Environment: {variable}.";
}
