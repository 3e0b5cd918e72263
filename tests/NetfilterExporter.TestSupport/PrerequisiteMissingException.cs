namespace NetfilterExporter.TestSupport;

public sealed class PrerequisiteMissingException(string message) : Exception(message);
