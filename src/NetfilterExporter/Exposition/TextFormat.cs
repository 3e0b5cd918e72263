using System.Buffers;
using System.Globalization;
using System.Text;

namespace NetfilterExporter.Exposition;

/// <summary>
/// Writes families in the Prometheus text format 0.0.4. Everything that reaches a label value is untrusted
/// (rule comments, network names): it is escaped, and control characters are replaced, so no input can
/// break a line or forge a series. Writes UTF-8 straight into one growing buffer: a scrape builds no
/// intermediate strings for lines, values or series keys.
/// </summary>
public static class TextFormat
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    private static readonly SearchValues<char> LabelNameCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
    private static readonly SearchValues<char> MetricNameCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_:");

    /// <exception cref="ArgumentException">An invalid name, a repeated family or a repeated label set: a bug, never input.</exception>
    public static byte[] Serialize(IEnumerable<MetricFamily> families)
    {
        var output = new ArrayBufferWriter<byte>(4096);
        Write(families, output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Appends the families to <paramref name="output"/>; same checks as <see cref="Serialize"/>.</summary>
    public static void Write(IEnumerable<MetricFamily> families, ArrayBufferWriter<byte> output)
    {
        var seenFamilies = new HashSet<string>(StringComparer.Ordinal);
        var seenSeries = new HashSet<(int Start, int Length)>(new SeriesKeyComparer(output));
        foreach (var family in families)
        {
            if (!IsMetricName(family.Name) || !seenFamilies.Add(family.Name))
            {
                throw new ArgumentException($"metric family name '{family.Name}' is invalid or repeated");
            }
            if (family.Samples.Count == 0)
            {
                continue;
            }
            Append(output, "# HELP ");
            Append(output, family.Name);
            Append(output, " ");
            AppendHelp(output, family.Help);
            Append(output, "\n# TYPE ");
            Append(output, family.Name);
            Append(output, family.Type == MetricType.Counter ? " counter\n" : " gauge\n");
            seenSeries.Clear();
            foreach (var sample in family.Samples)
            {
                var lineStart = output.WrittenCount;
                Append(output, family.Name);
                AppendLabels(output, family.Name, sample.Labels);
                if (!seenSeries.Add((lineStart, output.WrittenCount - lineStart)))
                {
                    throw new ArgumentException($"series {Utf8.GetString(output.WrittenSpan[lineStart..])} repeated");
                }
                Append(output, " ");
                AppendValue(output, sample);
                Append(output, "\n");
            }
        }
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

    private static void AppendLabels(ArrayBufferWriter<byte> output, string familyName, IReadOnlyList<KeyValuePair<string, string>> labels)
    {
        if (labels.Count == 0)
        {
            return;
        }
        Append(output, "{");
        for (var i = 0; i < labels.Count; i++)
        {
            var (name, value) = labels[i];
            if (!IsLabelName(name) || name.StartsWith("__", StringComparison.Ordinal))
            {
                throw new ArgumentException($"label name '{name}' of {familyName} is invalid");
            }
            if (i > 0)
            {
                Append(output, ",");
            }
            Append(output, name);
            Append(output, "=\"");
            // Printable ASCII without quote or backslash, the usual case, is its own escaping.
            var needsEscaping = value.AsSpan().IndexOfAnyExceptInRange(' ', '~') >= 0 || value.AsSpan().IndexOfAny('\\', '"') >= 0;
            Append(output, needsEscaping ? EscapeLabelValue(value) : value);
            Append(output, "\"");
        }
        Append(output, "}");
    }

    private static void AppendValue(ArrayBufferWriter<byte> output, MetricSample sample)
    {
        var span = output.GetSpan(32);
        var written = 0;
        var formatted = sample.ExactValue is { } exact
            ? exact.TryFormat(span, out written, default, CultureInfo.InvariantCulture)
            : double.IsFinite(sample.Value) && sample.Value.TryFormat(span, out written, "R", CultureInfo.InvariantCulture);
        if (formatted)
        {
            output.Advance(written);
        }
        else
        {
            Append(output, FormatValue(sample));
        }
    }

    private static void AppendHelp(ArrayBufferWriter<byte> output, string help)
    {
        var needsEscaping = help.AsSpan().IndexOfAny('\\', '\n') >= 0;
        Append(output, needsEscaping
            ? help.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("\n", @"\n", StringComparison.Ordinal)
            : help);
    }

    private static void Append(ArrayBufferWriter<byte> output, string text)
    {
        var written = Utf8.GetBytes(text, output.GetSpan(Utf8.GetMaxByteCount(text.Length)));
        output.Advance(written);
    }

    // [a-zA-Z_:][a-zA-Z0-9_:]*, checked by hand: a regex would load the regex engine for every exporter, and .NET's
    // "$" also matches before a final newline, which would let "name\n" through.
    private static bool IsMetricName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && !name.AsSpan().ContainsAnyExcept(MetricNameCharacters);

    // [a-zA-Z_][a-zA-Z0-9_]*
    private static bool IsLabelName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && !name.AsSpan().ContainsAnyExcept(LabelNameCharacters);
}
