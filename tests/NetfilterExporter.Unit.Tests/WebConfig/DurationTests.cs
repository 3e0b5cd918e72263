using NetfilterExporter.WebConfig;

namespace NetfilterExporter.Unit.Tests.WebConfig;

public sealed class DurationTests
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("10s", 10_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1h1m1s1ms", 3_661_001)]
    [InlineData("2d", 172_800_000)]
    [InlineData("1w", 604_800_000)]
    [InlineData("1y", 31_536_000_000)]
    [InlineData("0s", 0)]
    [InlineData("999999999ms", 999_999_999)]
    public void Reads_prometheus_durations(string text, long milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), Duration.Parse(text, DurationGrammar.Prometheus));

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("s")]
    [InlineData("1.5s")]
    [InlineData("-1s")]
    [InlineData("10s\n")]
    [InlineData(" 10s")]
    [InlineData("10S")]
    [InlineData("1000000000s")]
    [InlineData("10sm")]
    [InlineData("10x")]
    [InlineData("999999999y")]
    [InlineData("999999999h")]
    [InlineData("99999999d1s")]
    public void Refuses_anything_else_as_a_prometheus_duration(string text)
    {
        Assert.False(Duration.TryParse(text, DurationGrammar.Prometheus, out var duration));
        Assert.Equal(TimeSpan.Zero, duration);
        Assert.Throws<FormatException>(() => Duration.Parse(text, DurationGrammar.Prometheus));
    }

    [Theory]
    [InlineData("300ms", 3_000_000)]
    [InlineData("1.5s", 15_000_000)]
    [InlineData("1m30s", 900_000_000)]
    [InlineData("2h", 72_000_000_000)]
    [InlineData("0", 0)]
    public void Rate_limit_intervals_are_go_durations(string text, long ticks)
    {
        Assert.True(Duration.TryParse(text, DurationGrammar.Go, out var duration));
        Assert.Equal(TimeSpan.FromTicks(ticks), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("1d")]
    [InlineData("s")]
    public void Not_go_durations_are_refused(string text) => Assert.False(Duration.TryParse(text, DurationGrammar.Go, out _));

    /// <summary>What Go's time.ParseDuration reads beyond Prometheus's grammar, at TimeSpan's resolution of 100 ns.</summary>
    [Theory]
    [InlineData("-1.5s", -15_000_000)]
    [InlineData("+2m", 1_200_000_000)]
    [InlineData("-0", 0)]
    [InlineData("1.s", 10_000_000)]
    [InlineData(".5s", 5_000_000)]
    [InlineData("0.3s", 3_000_000)]
    [InlineData("1us", 10)]
    [InlineData("1\u00b5s", 10)]
    [InlineData("1\u03bcs", 10)]
    [InlineData("150ns", 1)]
    [InlineData("1h0.0000000000000000000001s", 36_000_000_000)]
    [InlineData("0000000000000000000001s", 10_000_000)]
    public void Go_durations_have_signs_fractions_and_units_below_a_millisecond(string text, long ticks)
    {
        Assert.True(Duration.TryParse(text, DurationGrammar.Go, out var duration));
        Assert.Equal(TimeSpan.FromTicks(ticks), duration);
    }

    [Theory]
    [InlineData(".")]
    [InlineData(".s")]
    [InlineData("-")]
    [InlineData("--1s")]
    [InlineData("1.2.3s")]
    [InlineData("1sm")]
    [InlineData("1 s")]
    [InlineData("1S")]
    [InlineData("1e3s")]
    [InlineData("3000000000h")]
    public void Malformed_go_durations_are_refused(string text)
    {
        Assert.False(Duration.TryParse(text, DurationGrammar.Go, out var duration));
        Assert.Equal(TimeSpan.Zero, duration);
        Assert.Throws<FormatException>(() => Duration.Parse(text, DurationGrammar.Go));
    }
}
