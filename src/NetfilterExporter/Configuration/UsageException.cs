namespace NetfilterExporter.Configuration;

/// <summary>A command line or environment setting the exporter cannot accept; the program exits with code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
