namespace NetfilterExporter.Benchmarks;

/// <summary>A clock that moves on by <paramref name="step"/> every time it is read, so every reading is "later".</summary>
internal sealed class SteppingClock(TimeSpan step) : TimeProvider
{
    private DateTimeOffset now = DateTimeOffset.UnixEpoch;

    public override DateTimeOffset GetUtcNow() => now += step;
}
