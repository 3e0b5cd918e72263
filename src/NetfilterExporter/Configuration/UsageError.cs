using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;

namespace NetfilterExporter.Configuration;

/// <summary>
/// The one line on stderr for a command line System.CommandLine refused (docs/contract.md §4, exit 2), in place of its
/// own report: that one prints every error, then its typo suggestions on stdout, then the whole help.
/// </summary>
public static class UsageError
{
    /// <returns>Null when the parse succeeded (or asked for help, which clears its errors).</returns>
    public static string? Of(CommandLine commandLine, ParseResult parse)
    {
        if (parse.Errors.Count == 0)
        {
            return null;
        }
        if (parse.UnmatchedTokens is [var unmatched, ..])
        {
            return Unmatched(commandLine, parse, unmatched);
        }
        return string.Join(' ', parse.Errors[0].Message.Split(['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    private static string Unmatched(CommandLine commandLine, ParseResult parse, string unmatched)
    {
        var command = parse.CommandResult.Command is var parsed && (parsed == commandLine.CheckSubcommand || parsed == commandLine.FixSubcommand) ? parsed : commandLine.Root;
        // The library splits --name=value before it knows whether --name takes a value, so a value a switch cannot
        // take is left over as the token after it.
        var tokens = parse.Tokens.ToList();
        var at = tokens.FindIndex(token => token.Type == TokenType.Argument && token.Value == unmatched);
        if (at > 0 && tokens[at - 1] is { Type: TokenType.Option } previous
            && commandLine.Switches.FirstOrDefault(flag => flag.On.Name == previous.Value || flag.Off.Name == previous.Value) is { } flag)
        {
            return previous.Value == flag.On.Name ? flag.Malformed(unmatched)
                : $"unknown flag {flag.Off.Name} with a value '{unmatched}': {flag.Off.Name} takes none (give --{flag.Definition.Name}=false)";
        }
        if (!unmatched.StartsWith('-'))
        {
            return $"unexpected argument '{unmatched}'{DidYouMean(commandLine, command, unmatched, suggestion => !suggestion.StartsWith('-'))} (flags start with --; see --help)";
        }
        var name = unmatched.Split('=')[0];
        foreach (var owner in new[] { commandLine.CheckSubcommand, commandLine.FixSubcommand })
        {
            if (command != owner && owner.Options.Any(option => option.Name == name))
            {
                return $"{name} is a flag of the {owner.Name} command";
            }
        }
        return DidYouMean(commandLine, command, name, suggestion => suggestion.StartsWith("--", StringComparison.Ordinal)) is { Length: > 0 } suggestions
            ? $"unknown flag {name}{suggestions}"
            : $"unknown flag {name} (see --help)";
    }

    /// <summary>
    /// System.CommandLine's typo corrections for <paramref name="token"/> (its own, within a Levenshtein distance of 3
    /// or sharing a prefix): the library only writes them out through its ParseErrorAction, so that writes them here
    /// for the token alone, without the value the library cannot split off an unknown flag.
    /// </summary>
    private static string DidYouMean(CommandLine commandLine, Command command, string token, Func<string, bool> fits)
    {
        var parse = commandLine.Parse(command == commandLine.Root ? [token] : [command.Name, token]);
        if (parse.Action is not ParseErrorAction report)
        {
            return "";
        }
        report.ShowHelp = false;
        report.ShowTypoCorrections = true;
        using var written = new StringWriter();
        parse.Invoke(new InvocationConfiguration { Output = written, Error = TextWriter.Null, EnableDefaultExceptionHandler = false });
        // The first line is the library's "'token' was not matched. Did you mean one of the following?".
        var suggestions = written.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Skip(1).Where(fits).ToList();
        return suggestions.Count > 0 ? $"; did you mean {string.Join(" or ", suggestions)}?" : "";
    }
}
