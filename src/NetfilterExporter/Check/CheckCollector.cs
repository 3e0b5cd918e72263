namespace NetfilterExporter.Check;

public sealed record CheckCollector(string Name, bool Success, double DurationSeconds, string? Error);
