using System.Text;

namespace NetfilterExporter.Configuration;

/// <summary>Breaks text into lines of at most a width, between words; only a word longer than a whole line is cut.</summary>
public static class TextWrapping
{
    /// <param name="indent">Spaces before the first line.</param>
    /// <param name="hangingIndent">Spaces before every other line.</param>
    /// <param name="continuation">Ends every line but the last, inside the width (" \" for a shell command).</param>
    public static IEnumerable<string> Wrap(string text, int width, int indent, int hangingIndent, string continuation = "")
    {
        var line = new StringBuilder();
        var lineIndent = indent;
        int Room() => Math.Max(width - lineIndent - continuation.Length, 1);
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var rest = word;
            while (rest.Length > 0)
            {
                if (line.Length > 0 && line.Length + 1 + rest.Length > Room())
                {
                    yield return new string(' ', lineIndent) + line + continuation;
                    line.Clear();
                    lineIndent = hangingIndent;
                }
                if (line.Length > 0)
                {
                    line.Append(' ');
                }
                var piece = rest[..Math.Min(rest.Length, Room() - line.Length)];
                line.Append(piece);
                rest = rest[piece.Length..];
                if (rest.Length > 0)
                {
                    yield return new string(' ', lineIndent) + line + continuation;
                    line.Clear();
                    lineIndent = hangingIndent;
                }
            }
        }
        if (line.Length > 0)
        {
            yield return new string(' ', lineIndent) + line;
        }
    }
}
