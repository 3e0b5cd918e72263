using System.Text;

namespace NetfilterExporter.Conntrack;

/// <summary>
/// Splits a modprobe.d file into logical lines exactly as kmod's freadline_wrapped does: a backslash escapes
/// the next character, so backslash-newline joins two physical lines with nothing in between, and any other
/// escaped character is kept without its backslash.
/// </summary>
internal static class ModprobeLines
{
    public static IEnumerable<NumberedLine> Split(string text)
    {
        var line = new StringBuilder();
        var startLine = 1;
        var physicalLine = 1;
        for (var index = 0; index < text.Length; index++)
        {
            var character = text[index];
            if (character == '\\')
            {
                index++;
                if (index == text.Length)
                {
                    break;
                }
                if (text[index] == '\n')
                {
                    physicalLine++;
                }
                else
                {
                    line.Append(text[index]);
                }
            }
            else if (character == '\n')
            {
                yield return new NumberedLine(startLine, line.ToString());
                line.Clear();
                physicalLine++;
                startLine = physicalLine;
            }
            else
            {
                line.Append(character);
            }
        }
        if (line.Length > 0)
        {
            yield return new NumberedLine(startLine, line.ToString());
        }
    }
}
