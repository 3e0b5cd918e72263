namespace NetfilterExporter.Processes;

/// <summary>How a command ended when it succeeded; <see cref="StandardError"/> is trimmed and may be cut at the limit.</summary>
public sealed record CommandRun(int ExitCode, string StandardError);
