namespace NetfilterExporter.Deployment.Tests;

/// <summary>A manifest lacks what a test expects; the message names file, line and YAML path.</summary>
public sealed class ManifestException(string message) : Exception(message);
