using System.Globalization;
using System.Text.RegularExpressions;

namespace NetfilterExporter.Configuration;

/// <summary>Durations as Prometheus tools spell them: 500ms, 10s, 1m30s, 2h.</summary>
public static partial class PrometheusDuration
{
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
            var unitStart = part.Value.IndexOfAny(['m', 's', 'h', 'd']);
            var number = long.Parse(part.Value[..unitStart], CultureInfo.InvariantCulture);
            duration += part.Value[unitStart..] switch
            {
                "ms" => TimeSpan.FromMilliseconds(number),
                "s" => TimeSpan.FromSeconds(number),
                "m" => TimeSpan.FromMinutes(number),
                "h" => TimeSpan.FromHours(number),
                _ => TimeSpan.FromDays(number),
            };
        }
        return duration > TimeSpan.Zero;
    }

    [GeneratedRegex("^(?:(?<part>[0-9]{1,9}(?:ms|s|m|h|d)))+$")]
    private static partial Regex Pattern();
}
