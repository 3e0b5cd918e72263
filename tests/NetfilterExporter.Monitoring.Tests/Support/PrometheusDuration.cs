using System.Globalization;
using System.Text.RegularExpressions;

namespace NetfilterExporter.Monitoring.Tests.Support;

/// <summary>Parses Prometheus durations such as "5m", "1h30m" or "90s" (the units rule files and promtool tests use).</summary>
public static partial class PrometheusDuration
{
    public static TimeSpan Parse(string text)
    {
        var match = DurationPattern().Match(text);
        if (!match.Success || text.Length == 0)
        {
            throw new FormatException($"'{text}' is not a Prometheus duration (e.g. 5m, 1h30m)");
        }
        var total = TimeSpan.Zero;
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var unitStart = part.Value.IndexOfAny(['d', 'h', 'm', 's', 'w', 'y']);
            var amount = long.Parse(part.Value[..unitStart], CultureInfo.InvariantCulture);
            total += part.Value[unitStart..] switch
            {
                "y" => TimeSpan.FromDays(365 * amount),
                "w" => TimeSpan.FromDays(7 * amount),
                "d" => TimeSpan.FromDays(amount),
                "h" => TimeSpan.FromHours(amount),
                "m" => TimeSpan.FromMinutes(amount),
                "s" => TimeSpan.FromSeconds(amount),
                "ms" => TimeSpan.FromMilliseconds(amount),
                var unit => throw new FormatException($"'{text}': unknown unit '{unit}'"),
            };
        }
        return total;
    }

    [GeneratedRegex("^(?<part>[0-9]+(ms|y|w|d|h|m|s))+$")]
    private static partial Regex DurationPattern();
}
