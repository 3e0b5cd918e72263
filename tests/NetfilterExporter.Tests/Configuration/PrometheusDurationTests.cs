using NetfilterExporter.Configuration;

namespace NetfilterExporter.Tests.Configuration;

public sealed class PrometheusDurationTests
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
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), PrometheusDuration.Parse(text));

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
    public void Refuses_anything_else(string text)
    {
        Assert.False(PrometheusDuration.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.Zero, duration);
        Assert.Throws<FormatException>(() => PrometheusDuration.Parse(text));
    }
}
