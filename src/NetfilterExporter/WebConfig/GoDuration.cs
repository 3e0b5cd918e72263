using System.Globalization;

namespace NetfilterExporter.WebConfig;

/// <summary>
/// Go's time.ParseDuration, which the toolkit's YAML library uses for rate_limit.interval: a sequence of decimal
/// numbers with units ns, us (µs), ms, s, m, h, such as 300ms, 1.5s or 1m30s; "0" alone is zero.
/// </summary>
public static class GoDuration
{
    private static readonly (string Unit, double Ticks)[] Units =
    [
        ("ns", 0.01), ("us", 10), ("µs", 10), ("μs", 10), ("ms", TimeSpan.TicksPerMillisecond),
        ("s", TimeSpan.TicksPerSecond), ("m", TimeSpan.TicksPerMinute), ("h", TimeSpan.TicksPerHour),
    ];

    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (text == "0")
        {
            return true;
        }
        var rest = text.AsSpan();
        if (rest.IsEmpty)
        {
            return false;
        }
        double ticks = 0;
        while (!rest.IsEmpty)
        {
            var numberLength = 0;
            while (numberLength < rest.Length && (char.IsAsciiDigit(rest[numberLength]) || rest[numberLength] == '.'))
            {
                numberLength++;
            }
            if (numberLength == 0 || !double.TryParse(rest[..numberLength], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }
            rest = rest[numberLength..];
            // Longest unit first, so "ms" is not read as "m" followed by "s".
            (string Unit, double Ticks) unit = default;
            foreach (var candidate in Units)
            {
                if (rest.StartsWith(candidate.Unit, StringComparison.Ordinal) && candidate.Unit.Length > (unit.Unit?.Length ?? 0))
                {
                    unit = candidate;
                }
            }
            if (unit.Unit is null)
            {
                return false;
            }
            ticks += number * unit.Ticks;
            rest = rest[unit.Unit.Length..];
        }
        if (ticks > TimeSpan.MaxValue.Ticks)
        {
            return false;
        }
        duration = TimeSpan.FromTicks((long)ticks);
        return true;
    }
}
