using System.Globalization;
using System.Text;

namespace NetfilterExporter.TestSupport;

/// <summary>A scraped exposition split into series, so tests can ask for one value by name and labels.</summary>
public sealed class ScrapedMetrics(IReadOnlyList<ScrapedSeries> series)
{
    public IReadOnlyList<ScrapedSeries> Series { get; } = series;

    public static ScrapedMetrics Parse(string exposition)
    {
        var series = new List<ScrapedSeries>();
        foreach (var line in exposition.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            var brace = line.IndexOf('{');
            var lastSpace = line.LastIndexOf(' ');
            if (brace < 0 || brace > lastSpace)
            {
                series.Add(new ScrapedSeries(line[..lastSpace], new Dictionary<string, string>(), line[(lastSpace + 1)..]));
                continue;
            }
            var close = line.LastIndexOf('}');
            series.Add(new ScrapedSeries(line[..brace], ParseLabels(line[(brace + 1)..close]), line[(close + 2)..]));
        }
        return new ScrapedMetrics(series);
    }

    /// <summary>Series of <paramref name="name"/> whose labels include all of <paramref name="labels"/> ("key=value").</summary>
    public IReadOnlyList<ScrapedSeries> Find(string name, params string[] labels) =>
        Series.Where(s => s.Name == name && labels.All(label =>
        {
            var equals = label.IndexOf('=');
            return s.Labels.TryGetValue(label[..equals], out var value) && value == label[(equals + 1)..];
        })).ToList();

    /// <summary>The value of the one series that matches; fails if there is not exactly one.</summary>
    public double Value(string name, params string[] labels)
    {
        var found = Find(name, labels);
        if (found.Count != 1)
        {
            throw new InvalidOperationException($"expected one series {name}{{{string.Join(',', labels)}}}, found {found.Count}");
        }
        return double.Parse(found[0].Value, CultureInfo.InvariantCulture);
    }

    private static Dictionary<string, string> ParseLabels(string text)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var i = 0;
        while (i < text.Length)
        {
            var equals = text.IndexOf('=', i);
            var name = text[i..equals];
            var value = new StringBuilder();
            var j = equals + 2;
            for (; text[j] != '"'; j++)
            {
                if (text[j] == '\\')
                {
                    j++;
                    value.Append(text[j] == 'n' ? '\n' : text[j]);
                }
                else
                {
                    value.Append(text[j]);
                }
            }
            labels[name] = value.ToString();
            i = j + 1;
            if (i < text.Length && text[i] == ',')
            {
                i++;
            }
        }
        return labels;
    }
}
