using System.Text.RegularExpressions;

namespace NetfilterExporter.Findings;

/// <summary>
/// Quotes an argument for a POSIX shell. Rule comments are untrusted: whatever they hold, the printed command
/// passes them as one literal argument.
/// </summary>
public static partial class ShellQuote
{
    public static string Quote(string argument) =>
        argument.Length > 0 && Safe().IsMatch(argument) ? argument : "'" + argument.Replace("'", @"'\''", StringComparison.Ordinal) + "'";

    public static string Join(IEnumerable<string> arguments) => string.Join(' ', arguments.Select(Quote));

    [GeneratedRegex("^[A-Za-z0-9_@%+=:,./-]+$")]
    private static partial Regex Safe();
}
