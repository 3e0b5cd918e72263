using System.CommandLine;
using System.CommandLine.Help;
using System.Reflection;
using NetfilterExporter.Configuration;
using NetfilterExporter.Sources;

namespace NetfilterExporter.Unit.Tests.Configuration;

/// <summary>--help and check --help: grouped, with defaults and variables, ending with examples, within the width.</summary>
public sealed class HelpTextTests
{
    private static readonly CommandLine Line = new(_ => null, SourceTable.Flags, helpWidth: () => 80);

    /// <summary>So wide that nothing wraps: the words in the order a person reads them.</summary>
    private const int Unwrapped = 10_000;

    private static string Help(Command command, int width) => HelpText.Render(Line, command, width);

    public static TheoryData<string, int> Widths => new()
    {
        { "root", 60 }, { "root", 80 }, { "root", 120 },
        { "check", 60 }, { "check", 80 }, { "check", 120 },
        { "fix", 60 }, { "fix", 80 }, { "fix", 120 },
    };

    private static Command Named(string command) => command switch
    {
        "check" => Line.CheckSubcommand,
        "fix" => Line.FixSubcommand,
        _ => Line.Root,
    };

    [Theory]
    [MemberData(nameof(Widths))]
    public void No_line_is_longer_than_the_width(string command, int width)
    {
        var lines = Help(Named(command), width).TrimEnd('\n').Split('\n');

        Assert.All(lines, line => Assert.True(line.Length <= width, $"{line.Length} > {width}: {line}"));
        // The width is used, not only respected: some line comes within a word of it.
        Assert.Contains(lines, line => line.Length > width - 15);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Wrapping_only_breaks_lines_between_words(string command, int width)
    {
        // An example command carries a shell continuation (" \") where it is broken; it is no word of the text.
        static string[] Words(string help) => [.. help.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Where(word => word != "\\")];

        Assert.Equal(Words(Help(Named(command), Unwrapped)), Words(Help(Named(command), width)));
    }

    [Fact]
    public void A_word_longer_than_the_width_is_the_only_thing_cut()
    {
        var lines = TextWrapping.Wrap("see /a/very/long/path/that/cannot/fit here", width: 12, indent: 2, hangingIndent: 2).ToList();

        Assert.Equal(["  see", "  /a/very/lo", "  ng/path/th", "  at/cannot/", "  fit here"], lines);
    }

    [Fact]
    public void An_example_command_is_continued_as_the_shell_reads_it()
    {
        var lines = TextWrapping.Wrap("netfilter-exporter --path.rootfs=/host --path.procfs=/host/proc", width: 44, indent: 4, hangingIndent: 6, continuation: " \\").ToList();

        Assert.Equal(["    netfilter-exporter --path.rootfs=/host \\", "      --path.procfs=/host/proc"], lines);
    }

    [Fact]
    public void The_flags_are_grouped_under_web_sources_collectors_and_logging()
    {
        var help = Help(Line.Root, Unwrapped);
        var headings = help.Split('\n').Where(line => line.Length > 0 && line[0] != ' ' && line.EndsWith(':')).ToList();

        Assert.Equal(["Usage:", "Web:", "Sources:", "Collectors:", "Logging:", "Examples:"], headings);
        foreach (var (flag, group) in new[]
        {
            ("--web.listen-address=", "Web:"), ("--[no-]web.systemd-socket", "Web:"),
            ("--path.rootfs=", "Sources:"), ("--iptables.from-file=", "Sources:"), ("--nftables.command=", "Sources:"), ("--cri.endpoint=", "Sources:"), ("--node.name=", "Sources:"),
            ("--collector.timeout=", "Collectors:"), ("--collector.min-interval=", "Collectors:"), ("--[no-]collector.disable-defaults", "Collectors:"), ("--[no-]collector.cri", "Collectors:"),
            ("--log.level=", "Logging:"), ("--log.format=", "Logging:"),
        })
        {
            var at = help.IndexOf("\n  " + flag, StringComparison.Ordinal);
            Assert.True(at > 0, flag);
            Assert.Equal(group, headings.Last(heading => help.IndexOf("\n" + heading + "\n", StringComparison.Ordinal) < at));
        }
        Assert.DoesNotContain("--output=VALUE", help, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_flag_shows_its_default_and_its_environment_variable()
    {
        var help = Help(Line.Root, Unwrapped);

        Assert.All(Flags.All.Where(flag => !flag.CheckOnly), flag =>
        {
            var entry = Entry(help, flag.IsSwitch ? $"--[no-]{flag.Name}" : $"--{flag.Name}=VALUE");
            Assert.Contains($"Environment: {flag.EnvironmentVariable}.", entry, StringComparison.Ordinal);
            if (flag.Default is { } value)
            {
                Assert.Contains($"Default: {(flag.IsSwitch ? value == "true" ? "on" : "off" : value)}.", entry, StringComparison.Ordinal);
            }
        });
        Assert.Contains("Repeatable. Default: :10066. Environment: NETFILTER_EXPORTER_WEB_LISTEN_ADDRESS.", help, StringComparison.Ordinal);
        Assert.Contains("Repeatable. Environment: NETFILTER_EXPORTER_IPTABLES_FROM_FILE.", help, StringComparison.Ordinal);
        Assert.Contains("Default: enabled. Environment: NETFILTER_EXPORTER_COLLECTOR_CONNTRACK.", Entry(help, "--[no-]collector.conntrack"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_help_ends_with_examples()
    {
        var help = Help(Line.Root, Unwrapped);
        var examples = help[help.IndexOf("\nExamples:\n", StringComparison.Ordinal)..];

        Assert.Contains("\n    netfilter-exporter\n", examples, StringComparison.Ordinal);
        Assert.Contains("\n    sudo netfilter-exporter check\n", examples, StringComparison.Ordinal);
        Assert.Contains("check --output json | jq", examples, StringComparison.Ordinal);
        Assert.Contains("check --iptables.from-file=nat.txt", examples, StringComparison.Ordinal);
        Assert.Contains("--path.rootfs=/host", examples, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_help_is_the_help_of_check()
    {
        var help = Help(Line.CheckSubcommand, Unwrapped);

        Assert.NotEqual(Help(Line.Root, Unwrapped), help);
        Assert.StartsWith("Usage:\n  netfilter-exporter check [flags]\n", help, StringComparison.Ordinal);
        Assert.Contains("\nExit codes:\n  0    healthy\n  1    findings present", help, StringComparison.Ordinal);
        Assert.Contains("\n  2    could not collect", help, StringComparison.Ordinal);
        Assert.Contains("\n  130  interrupted", help, StringComparison.Ordinal);
        Assert.Contains("Default: text. Environment: NETFILTER_EXPORTER_OUTPUT.", Entry(help, "--output=VALUE"), StringComparison.Ordinal);
        // The flags it shares with the server, but not the server's own.
        Assert.Contains("\n  --path.rootfs=VALUE\n", help, StringComparison.Ordinal);
        Assert.Contains("\n  --[no-]collector.cri\n", help, StringComparison.Ordinal);
        Assert.Contains("\n  --log.level=VALUE\n", help, StringComparison.Ordinal);
        Assert.DoesNotContain("\n  --web.listen-address", help, StringComparison.Ordinal);
        Assert.EndsWith("--path.sysfs=/host/sys\n", help, StringComparison.Ordinal);
    }

    [Fact]
    public void Fix_help_is_the_help_of_fix_with_its_own_exit_codes()
    {
        var help = Help(Line.FixSubcommand, Unwrapped);

        Assert.StartsWith("Usage:\n  netfilter-exporter fix [--apply] [flags]\n", help, StringComparison.Ordinal);
        Assert.Contains("Without --apply it prints the plan and changes nothing.", help, StringComparison.Ordinal);
        Assert.Contains("\n  3    a table changed between the plan and its repair", help, StringComparison.Ordinal);
        Assert.Contains("Only on the command line: no environment variable sets it.", Entry(help, "--apply"), StringComparison.Ordinal);
        Assert.Contains("\n  --path.rootfs=VALUE\n", help, StringComparison.Ordinal);
        Assert.DoesNotContain("--output", help, StringComparison.Ordinal);
        Assert.DoesNotContain("\n  --iptables.from-file", help, StringComparison.Ordinal);
        Assert.Contains("fix refuses --iptables.from-file, --iptables.save-command.* and --nftables.command", help, StringComparison.Ordinal);
        Assert.DoesNotContain("\n  --web.listen-address", help, StringComparison.Ordinal);
        Assert.Contains("  netfilter-exporter fix [--apply] [flags]\n", Help(Line.Root, Unwrapped), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("root", "--help")]
    [InlineData("root", "-h")]
    [InlineData("root", "help")]
    [InlineData("root", "--path.rootfs=/host", "--help")]
    [InlineData("root", "--no-such-flag", "--help")]
    [InlineData("check", "check", "--help")]
    [InlineData("check", "check", "-h")]
    [InlineData("check", "help", "check")]
    [InlineData("fix", "fix", "--help")]
    [InlineData("fix", "help", "fix")]
    [InlineData("fix", "fix", "--apply", "--help")]
    public void Help_help_check_and_check_help_print_their_help_and_exit_0(string command, params string[] arguments)
    {
        using var output = new StringWriter();

        var exitCode = Line.Parse(arguments).Invoke(new InvocationConfiguration { Output = output, Error = TextWriter.Null });

        Assert.Equal(0, exitCode);
        Assert.Equal(Help(Named(command), 80), output.ToString());
    }

    /// <summary>
    /// Why the help is <see cref="HelpText"/> and not System.CommandLine's: its HelpBuilder, which has the sections, is
    /// internal, and its HelpAction can be told a width and nothing else, so no heading per group and no examples.
    /// When this fails, the library has opened its help up: use it.
    /// </summary>
    [Fact]
    public void The_library_help_can_neither_group_flags_nor_end_with_examples()
    {
        var builder = typeof(HelpAction).Assembly.GetType("System.CommandLine.Help.HelpBuilder");

        Assert.NotNull(builder);
        Assert.False(builder.IsPublic);
        Assert.Equal(["MaxWidth"], typeof(HelpAction).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(property => property.CanWrite).Select(property => property.Name));
        var library = new StringWriter();
        new RootCommand { new Option<string>("--web.listen-address"), new Option<string>("--log.level") }.Parse(["--help"]).Invoke(new InvocationConfiguration { Output = library });
        Assert.DoesNotContain("Web:", library.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Examples:", library.ToString(), StringComparison.Ordinal);
    }

    /// <summary>A flag's lines: its own line and the indented ones under it.</summary>
    private static string Entry(string help, string flag)
    {
        var start = help.IndexOf("\n  " + flag + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, flag);
        var end = help.IndexOf("\n  -", start + 1, StringComparison.Ordinal);
        return help[start..(end < 0 ? help.Length : end)];
    }
}
