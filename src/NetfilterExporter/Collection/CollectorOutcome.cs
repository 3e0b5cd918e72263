namespace NetfilterExporter.Collection;

/// <summary>How one collector did in one collection; <see cref="Error"/> says why it failed.</summary>
public sealed record CollectorOutcome(string Name, bool Success, TimeSpan Duration, string? Error);
