using System.Text;

namespace NetfilterExporter.Logging;

/// <summary>logfmt lines as Prometheus exporters write them: ts=… level=… source=… msg="…" err="…" collector=….</summary>
public static class LogfmtFormat
{
    public static string Format(LogLine line)
    {
        var text = new StringBuilder(128);
        text.Append("ts=").Append(line.TimestampText);
        text.Append(" level=").Append(line.LevelName);
        text.Append(" source=").Append(Quote(line.Source));
        text.Append(" msg=").Append(Quote(line.Message));
        foreach (var field in line.Fields)
        {
            text.Append(' ').Append(Key(field.Key)).Append('=').Append(Quote(field.Value));
        }
        return text.Append('\n').ToString();
    }

    // What a value may hold unquoted, and so all that a key may hold.
    private static bool IsBare(char c) => c > ' ' && c != '"' && c != '=' && c != '\\' && c < 127;

    // logfmt readers do not agree on quoted keys, so a key gets underscores where a value would need quoting.
    // LogKeys already spells keys this way; this keeps a line parseable whoever built its LogLine.
    private static string Key(string key) =>
        key.Length == 0 ? "_" : key.All(IsBare) ? key : string.Concat(key.Select(c => IsBare(c) ? c : '_'));

    private static string Quote(string value)
    {
        if (value.Length > 0 && value.All(IsBare))
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
