using System.CommandLine;
using System.CommandLine.Invocation;

namespace NetfilterExporter.Configuration;

/// <summary>
/// --help, -h and <c>help [check|fix]</c>: <see cref="HelpText"/> in place of System.CommandLine's help. Its HelpBuilder,
/// which lays out the sections, is internal in 3.0 and its HelpAction offers nothing but MaxWidth, so its help can
/// neither group the flags under headings nor end with examples (HelpTextTests pins both facts). Which command the
/// help is for, and that --help wins over other errors, stay the library's.
/// </summary>
public sealed class ExporterHelpAction(CommandLine commandLine, Func<int> width) : SynchronousCommandLineAction
{
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult) =>
        Write(parseResult, parseResult.CommandResult.Command is var command && (command == commandLine.CheckSubcommand || command == commandLine.FixSubcommand) ? command : commandLine.Root);

    public int Write(ParseResult parseResult, Command command)
    {
        parseResult.InvocationConfiguration.Output.Write(HelpText.Render(commandLine, command, width()));
        return 0;
    }

    /// <summary>The terminal's width when stdout is one, else 80 columns, as man does for a pipe.</summary>
    public static int TerminalWidth() => !Console.IsOutputRedirected && Console.WindowWidth is > 0 and var width ? width : 80;
}
