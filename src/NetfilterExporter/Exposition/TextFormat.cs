using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace NetfilterExporter.Exposition;

/// <summary>
/// Writes families in the Prometheus text format 0.0.4. Everything that reaches a label value is untrusted
/// (rule comments, network names): it is escaped, and control characters are replaced, so no input can
/// break a line or forge a series.
/// </summary>
public static partial class TextFormat
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <exception cref="ArgumentException">An invalid name, a repeated family or a repeated label set: a bug, never input.</exception>
    public static byte[] Serialize(IEnumerable<MetricFamily> families)
    {
        var text = new StringBuilder(4096);
        var seenFamilies = new HashSet<string>(StringComparer.Ordinal);
        foreach (var family in families)
        {
            if (!MetricName().IsMatch(family.Name) || !seenFamilies.Add(family.Name))
            {
                throw new ArgumentException($"metric family name '{family.Name}' is invalid or repeated");
            }
            if (family.Samples.Count == 0)
            {
                continue;
            }
            text.Append("# HELP ").Append(family.Name).Append(' ').Append(EscapeHelp(family.Help)).Append('\n');
            text.Append("# TYPE ").Append(family.Name).Append(' ').Append(family.Type == MetricType.Counter ? "counter" : "gauge").Append('\n');
            var seenSeries = new HashSet<string>(StringComparer.Ordinal);
            foreach (var sample in family.Samples)
            {
                var lineStart = text.Length;
                text.Append(family.Name);
                AppendLabels(text, family.Name, sample.Labels);
                if (!seenSeries.Add(text.ToString(lineStart, text.Length - lineStart)))
                {
                    throw new ArgumentException($"series {text.ToString(lineStart, text.Length - lineStart)} repeated");
                }
                text.Append(' ').Append(FormatValue(sample)).Append('\n');
            }
        }
        return Utf8.GetBytes(text.ToString());
    }

    public static string FormatValue(MetricSample sample)
    {
        if (sample.ExactValue is { } exact)
        {
            return exact.ToString(CultureInfo.InvariantCulture);
        }
        var value = sample.Value;
        // .NET spells infinity "Infinity"; the format wants +Inf/-Inf.
        return double.IsPositiveInfinity(value) ? "+Inf"
            : double.IsNegativeInfinity(value) ? "-Inf"
            : double.IsNaN(value) ? "NaN"
            : value.ToString("R", CultureInfo.InvariantCulture);
    }

    public static string EscapeLabelValue(string value)
    {
        var escaped = new StringBuilder(value.Length + 8);
        foreach (var rune in value.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '\\':
                    escaped.Append(@"\\");
                    break;
                case '"':
                    escaped.Append("\\\"");
                    break;
                case '\n':
                    escaped.Append(@"\n");
                    break;
                default:
                    escaped.Append(Rune.IsControl(rune) ? Rune.ReplacementChar : rune);
                    break;
            }
        }
        return escaped.ToString();
    }

    private static void AppendLabels(StringBuilder text, string familyName, IReadOnlyList<KeyValuePair<string, string>> labels)
    {
        if (labels.Count == 0)
        {
            return;
        }
        text.Append('{');
        for (var i = 0; i < labels.Count; i++)
        {
            var (name, value) = labels[i];
            if (!LabelName().IsMatch(name) || name.StartsWith("__", StringComparison.Ordinal))
            {
                throw new ArgumentException($"label name '{name}' of {familyName} is invalid");
            }
            text.Append(i == 0 ? "" : ",").Append(name).Append("=\"").Append(EscapeLabelValue(value)).Append('"');
        }
        text.Append('}');
    }

    private static string EscapeHelp(string help) =>
        help.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("\n", @"\n", StringComparison.Ordinal);

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex MetricName();

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex LabelName();
}
