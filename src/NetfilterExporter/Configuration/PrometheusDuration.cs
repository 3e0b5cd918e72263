using System.Globalization;

namespace NetfilterExporter.Configuration;

/// <summary>Durations as Prometheus tools spell them: 500ms, 10s, 1m30s, 2h, 1w.</summary>
/// <remarks>Read by hand rather than with a regex: the exporter then starts without loading the regex engine.</remarks>
public static class PrometheusDuration
{
    private const int MaxDigits = 9;

    public static TimeSpan Parse(string text) =>
        TryParse(text, out var duration) ? duration : throw new FormatException($"'{text}' is not a Prometheus duration (e.g. 500ms, 10s, 1h30m)");

    /// <summary>One or more parts of 1 to 9 digits and a unit (ms, s, m, h, d, w, y), nothing else; or "0" alone, as Prometheus allows.</summary>
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (text == "0")
        {
            return true;
        }
        var position = 0;
        while (position < text.Length)
        {
            var digits = 0;
            while (position + digits < text.Length && char.IsAsciiDigit(text[position + digits]))
            {
                digits++;
            }
            if (digits is 0 or > MaxDigits)
            {
                duration = TimeSpan.Zero;
                return false;
            }
            var number = long.Parse(text.AsSpan(position, digits), NumberStyles.None, CultureInfo.InvariantCulture);
            position += digits;
            var unit = text.AsSpan(position).StartsWith("ms", StringComparison.Ordinal) ? "ms" : position < text.Length ? text[position].ToString() : "";
            long? ticksPerUnit = unit switch
            {
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                "h" => TimeSpan.TicksPerHour,
                "d" => TimeSpan.TicksPerDay,
                "w" => 7 * TimeSpan.TicksPerDay,
                "y" => 365 * TimeSpan.TicksPerDay,
                _ => null,
            };
            // 999999999y is well-formed but beyond TimeSpan: refused like any other bad value, not thrown.
            if (ticksPerUnit is not { } perUnit || number > (TimeSpan.MaxValue.Ticks - duration.Ticks) / perUnit)
            {
                duration = TimeSpan.Zero;
                return false;
            }
            duration += TimeSpan.FromTicks(number * perUnit);
            position += unit.Length;
        }
        return position > 0;
    }
}
