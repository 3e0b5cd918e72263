using System.Globalization;
using System.Text;

namespace NetfilterExporter.Logging;

/// <summary>
/// One JSON object per line with the logfmt format's keys: {"ts":…,"level":…,"source":…,"msg":…,"err":…,"collector":…}.
/// Written by hand so that logging never loads System.Text.Json.
/// </summary>
public static class JsonLogFormat
{
    public static string Format(LogLine line)
    {
        var text = new StringBuilder(160).Append('{');
        Field(text, "ts", line.TimestampText).Append(',');
        Field(text, "level", line.LevelName).Append(',');
        Field(text, "source", line.Source).Append(',');
        Field(text, "msg", line.Message);
        foreach (var field in line.Fields)
        {
            Field(text.Append(','), field.Key, field.Value);
        }
        return text.Append("}\n").ToString();
    }

    private static StringBuilder Field(StringBuilder text, string key, string value) =>
        JsonString(JsonString(text, key).Append(':'), value);

    private static StringBuilder JsonString(StringBuilder text, string value)
    {
        text.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    text.Append("\\\"");
                    break;
                case '\\':
                    text.Append(@"\\");
                    break;
                case '\n':
                    text.Append(@"\n");
                    break;
                case < ' ' or (>= '\u007f' and <= '\u009f') or '\u2028' or '\u2029':
                    text.Append(@"\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    text.Append(c);
                    break;
            }
        }
        return text.Append('"');
    }
}
