using Microsoft.Extensions.Time.Testing;

namespace NetfilterExporter.Unit.Tests;

/// <summary>The one instant the unit tests' clocks start at, so their expected log lines can spell it out.</summary>
internal static class TestClock
{
    public static readonly DateTimeOffset Start = new(2026, 11, 21, 22, 0, 0, TimeSpan.Zero);

    public static FakeTimeProvider Create() => new(Start);
}
