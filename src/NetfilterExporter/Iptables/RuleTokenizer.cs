using System.Text;

namespace NetfilterExporter.Iptables;

/// <summary>
/// Splits a saved rule the way iptables-restore does: blanks separate, double quotes group, a backslash
/// takes the next character literally (iptables-save writes --comment "dnat name: \"net\" id: \"…\"").
/// </summary>
public static class RuleTokenizer
{
    /// <returns>The tokens, or null with <paramref name="problem"/> set when the quoting is broken.</returns>
    public static List<string>? Tokenize(string text, out string? problem)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        var inToken = false;
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length)
            {
                current.Append(text[++i]);
                inToken = true;
            }
            else if (c == '"')
            {
                quoted = !quoted;
                inToken = true;
            }
            else if (c == ' ' && !quoted)
            {
                if (inToken)
                {
                    tokens.Add(current.ToString());
                    current.Clear();
                    inToken = false;
                }
            }
            else
            {
                current.Append(c);
                inToken = true;
            }
        }
        if (quoted)
        {
            problem = "unterminated double quote";
            return null;
        }
        if (inToken)
        {
            tokens.Add(current.ToString());
        }
        problem = null;
        return tokens;
    }
}
