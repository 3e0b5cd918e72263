namespace NetfilterExporter.Processes;

/// <summary>What one run of a command may take before it counts as failed.</summary>
/// <param name="Timeout">One deadline for everything: starting, reading both streams to their end, and exiting.</param>
/// <param name="OutputLimitBytes">Reading more standard output than this fails the command.</param>
/// <param name="ErrorLimitBytes">Standard error kept for the error message; anything beyond is read and dropped.</param>
public sealed record CommandLimits(TimeSpan Timeout, long OutputLimitBytes = 256L * 1024 * 1024, int ErrorLimitBytes = 64 * 1024);
