using System.Text;

namespace NetfilterExporter.Repair;

/// <summary>
/// Writes one argument the way iptables-restore splits a line (add_param_to_argv in iptables' xshared.c): blanks
/// separate, a double-quoted part is one argument, and inside double quotes a backslash takes the next character
/// literally. Outside quotes a backslash is an ordinary character, so every argument with a blank, a quote or a
/// backslash is written quoted, and the rule deleted is byte for byte the rule iptables-save printed.
/// </summary>
public static class RestoreQuote
{
    /// <summary>Whether iptables-restore can be given this argument at all: it drops an empty one, and reads line by line.</summary>
    public static bool CanWrite(string argument) =>
        argument.Length > 0 && argument.AsSpan().IndexOfAny('\n', '\r', '\0') < 0;

    /// <exception cref="ArgumentException">An argument <see cref="CanWrite"/> refuses; the planner never plans one.</exception>
    public static string Quote(string argument)
    {
        if (!CanWrite(argument))
        {
            throw new ArgumentException("iptables-restore cannot be given an empty argument or one with a line break", nameof(argument));
        }
        if (argument.AsSpan().IndexOfAny(" \t\"\\") < 0)
        {
            return argument;
        }
        var quoted = new StringBuilder(argument.Length + 8).Append('"');
        foreach (var c in argument)
        {
            if (c is '"' or '\\')
            {
                quoted.Append('\\');
            }
            quoted.Append(c);
        }
        return quoted.Append('"').ToString();
    }

    public static string Join(IEnumerable<string> arguments) => string.Join(' ', arguments.Select(Quote));
}
