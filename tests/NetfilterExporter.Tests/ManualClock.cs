namespace NetfilterExporter.Tests;

/// <summary>A clock that stands still until the test moves it.</summary>
internal sealed class ManualClock : TimeProvider
{
    private DateTimeOffset now = new(2026, 11, 21, 22, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => now;

    public void Advance(TimeSpan by) => now += by;
}
