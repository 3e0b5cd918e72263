namespace NetfilterExporter.Deployment.Tests;

/// <summary>One Key=Value line of a unit file and where it is.</summary>
public sealed record SystemdDirective(int Line, string Section, string Key, string Value);
