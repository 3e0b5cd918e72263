namespace NetfilterExporter.Deployment.Tests;

/// <summary>One Dockerfile instruction with its continuation lines joined; Line is where it starts.</summary>
public sealed record DockerInstruction(int Line, string Keyword, string Arguments);
