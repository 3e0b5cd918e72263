using System.Globalization;
using System.Text;
using NetfilterExporter.Exposition;

namespace NetfilterExporter.Tests.Exposition;

public sealed class TextFormatTests
{
    [Fact]
    public void Writes_help_type_and_samples_as_one_block_per_family()
    {
        var text = Serialize(
            new MetricFamily("a_total", "Help of a.", MetricType.Counter, [MetricSample.OfCount(18446744073709551615UL, ("x", "1"))]),
            new MetricFamily("b", "Help of b.", MetricType.Gauge, [MetricSample.Of(1.5, ("x", "1")), MetricSample.Of(2, ("x", "2"))]));

        Assert.Equal(
            "# HELP a_total Help of a.\n# TYPE a_total counter\na_total{x=\"1\"} 18446744073709551615\n" +
            "# HELP b Help of b.\n# TYPE b gauge\nb{x=\"1\"} 1.5\nb{x=\"2\"} 2\n",
            text);
    }

    [Fact]
    public void Escapes_label_values_and_help_and_replaces_control_characters()
    {
        var text = Serialize(new MetricFamily("m", "back\\slash\nnewline", MetricType.Gauge,
            [MetricSample.Of(1, ("comment", "a \"q\" \\ b\nc\rd\u0001e}"))]));

        Assert.Contains("# HELP m back\\\\slash\\nnewline\n", text, StringComparison.Ordinal);
        Assert.Contains("m{comment=\"a \\\"q\\\" \\\\ b\\nc\uFFFDd\uFFFDe}\"} 1\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain('\r', text);
    }

    [Fact]
    public void Spells_infinity_and_nan_the_prometheus_way_in_any_culture()
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            Assert.Equal("+Inf", TextFormat.FormatValue(MetricSample.Of(double.PositiveInfinity)));
            Assert.Equal("-Inf", TextFormat.FormatValue(MetricSample.Of(double.NegativeInfinity)));
            Assert.Equal("NaN", TextFormat.FormatValue(MetricSample.Of(double.NaN)));
            Assert.Equal("0.25", TextFormat.FormatValue(MetricSample.Of(0.25)));
            Assert.Equal("1.5E-07", TextFormat.FormatValue(MetricSample.Of(1.5e-7)));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Refuses_repeated_series_repeated_families_and_bad_names()
    {
        Assert.Throws<ArgumentException>(() => Serialize(new MetricFamily("m", "h", MetricType.Gauge, [MetricSample.Of(1, ("a", "1")), MetricSample.Of(2, ("a", "1"))])));
        Assert.Throws<ArgumentException>(() => Serialize(
            new MetricFamily("m", "h", MetricType.Gauge, [MetricSample.Of(1)]),
            new MetricFamily("m", "h", MetricType.Gauge, [MetricSample.Of(1)])));
        Assert.Throws<ArgumentException>(() => Serialize(new MetricFamily("bad-name", "h", MetricType.Gauge, [MetricSample.Of(1)])));
        Assert.Throws<ArgumentException>(() => Serialize(new MetricFamily("m", "h", MetricType.Gauge, [MetricSample.Of(1, ("__x", "1"))])));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1m")]
    [InlineData("m\n")]
    [InlineData("m x")]
    [InlineData("é")]
    public void Refuses_metric_names_outside_the_name_grammar(string name) =>
        Assert.Throws<ArgumentException>(() => Serialize(new MetricFamily(name, "h", MetricType.Gauge, [MetricSample.Of(1)])));

    [Theory]
    [InlineData("")]
    [InlineData("1a")]
    [InlineData("a\n")]
    [InlineData("a:b")]
    public void Refuses_label_names_outside_the_name_grammar(string label) =>
        Assert.Throws<ArgumentException>(() => Serialize(new MetricFamily("m", "h", MetricType.Gauge, [MetricSample.Of(1, (label, "v"))])));

    [Fact]
    public void Accepts_names_at_the_edges_of_the_grammar() =>
        Assert.Contains("_:a9{_b9=\"v\"} 1\n", Serialize(new MetricFamily("_:a9", "h", MetricType.Gauge, [MetricSample.Of(1, ("_b9", "v"))])), StringComparison.Ordinal);

    [Fact]
    public void Leaves_out_families_without_samples_and_writes_no_byte_order_mark()
    {
        var bytes = TextFormat.Serialize([new MetricFamily("empty", "h", MetricType.Gauge, []), new MetricFamily("m", "h", MetricType.Gauge, [MetricSample.Of(1)])]);

        Assert.Equal((byte)'#', bytes[0]);
        Assert.DoesNotContain("empty", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        Assert.Equal((byte)'\n', bytes[^1]);
    }

    private static string Serialize(params MetricFamily[] families) => Encoding.UTF8.GetString(TextFormat.Serialize(families));
}
