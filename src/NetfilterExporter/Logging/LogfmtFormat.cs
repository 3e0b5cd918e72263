using System.Text;

namespace NetfilterExporter.Logging;

/// <summary>logfmt lines as Prometheus exporters write them: ts=… level=… source=… msg="…".</summary>
public static class LogfmtFormat
{
    public static string Format(LogLine line)
    {
        var text = new StringBuilder(128);
        text.Append("ts=").Append(line.TimestampText);
        text.Append(" level=").Append(line.LevelName);
        text.Append(" source=").Append(Quote(line.Source));
        text.Append(" msg=").Append(Quote(line.Message));
        if (line.Error is { } error)
        {
            text.Append(" err=").Append(Quote(error));
        }
        return text.Append('\n').ToString();
    }

    private static string Quote(string value)
    {
        if (value.Length > 0 && value.All(c => c > ' ' && c != '"' && c != '=' && c != '\\' && c < 127))
        {
            return value;
        }
        var quoted = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            quoted.Append(c switch
            {
                '"' => "\\\"",
                '\\' => @"\\",
                '\n' => @"\n",
                _ when char.IsControl(c) => " ",
                _ => c.ToString(),
            });
        }
        return quoted.Append('"').ToString();
    }
}
