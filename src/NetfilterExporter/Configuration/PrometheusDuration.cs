using System.Globalization;
using System.Text.RegularExpressions;

namespace NetfilterExporter.Configuration;

/// <summary>Durations as Prometheus tools spell them: 500ms, 10s, 1m30s, 2h, 1w.</summary>
public static partial class PrometheusDuration
{
    public static TimeSpan Parse(string text) =>
        TryParse(text, out var duration) ? duration : throw new FormatException($"'{text}' is not a Prometheus duration (e.g. 500ms, 10s, 1h30m)");

    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var match = Pattern().Match(text);
        if (!match.Success)
        {
            return false;
        }
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var unitStart = part.Value.IndexOfAny(['m', 's', 'h', 'd', 'w', 'y']);
            var number = long.Parse(part.Value[..unitStart], CultureInfo.InvariantCulture);
            duration += part.Value[unitStart..] switch
            {
                "ms" => TimeSpan.FromMilliseconds(number),
                "s" => TimeSpan.FromSeconds(number),
                "m" => TimeSpan.FromMinutes(number),
                "h" => TimeSpan.FromHours(number),
                "d" => TimeSpan.FromDays(number),
                "w" => TimeSpan.FromDays(7 * number),
                _ => TimeSpan.FromDays(365 * number),
            };
        }
        return true;
    }

    [GeneratedRegex("^(?:(?<part>[0-9]{1,9}(?:ms|s|m|h|d|w|y)))+$")]
    private static partial Regex Pattern();
}
