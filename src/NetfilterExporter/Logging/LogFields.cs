using System.Collections;
using System.Globalization;

namespace NetfilterExporter.Logging;

/// <summary>
/// The fields a record carries after msg, as promslog exporters log them: the exception's message as err, then each
/// value of the message template under its name as a key (<see cref="LogKeys"/>), in template order. msg stays the
/// formatted message for a person; the keys are for whoever filters or aggregates the lines.
/// </summary>
public static class LogFields
{
    // Microsoft.Extensions.Logging's own entry for the template itself, not a value of it.
    private const string OriginalFormat = "{OriginalFormat}";

    // What the Microsoft.Extensions.Logging formatter writes into msg for null; the field says the same.
    private const string Null = "(null)";

    // Every line starts with these. A template name that would become one of them, or a key already on the line,
    // gets an underscore appended (source → source_) rather than a second field of that name: JSON objects keep
    // unique names, and a logfmt reader that keeps one value per key cannot lose the line's own ts, level,
    // source or msg.
    private static readonly string[] LineKeys = ["ts", "level", "source", "msg"];

    public static IReadOnlyList<LogField> Of<TState>(TState state, Exception? exception)
    {
        var fields = new List<LogField>();
        if (exception is not null)
        {
            fields.Add(new LogField(LogKeys.Error, exception.Message));
        }
        if (state is IReadOnlyList<KeyValuePair<string, object?>> values)
        {
            for (var i = 0; i < values.Count; i++)
            {
                var (name, value) = values[i];
                if (name == OriginalFormat)
                {
                    continue;
                }
                var key = LogKeys.FromTemplateName(name);
                var text = Text(value);
                if (key == LogKeys.Error && exception is not null && text == exception.Message)
                {
                    // LogError(exception, "… {Error}", exception.Message): one err, not err and err_ with the same text.
                    continue;
                }
                fields.Add(new LogField(Unique(key, fields), text));
            }
        }
        return fields;
    }

    private static string Unique(string key, List<LogField> fields)
    {
        while (LineKeys.Contains(key) || fields.Exists(field => field.Key == key))
        {
            key += "_";
        }
        return key;
    }

    private static string Text(object? value) => value switch
    {
        null => Null,
        string text => text,
        // As slog writes them, so a filter such as ready=true works on both.
        bool flag => flag ? "true" : "false",
        // Sortable and unambiguous like slog's RFC 3339, where the invariant culture would write month first.
        DateTimeOffset time => time.ToString("O", CultureInfo.InvariantCulture),
        DateTime time => time.ToString("O", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        // A list, as the Microsoft.Extensions.Logging formatter writes it into msg.
        IEnumerable items => string.Join(", ", items.Cast<object?>().Select(Text)),
        _ => value.ToString() ?? Null,
    };
}
