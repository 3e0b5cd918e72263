using System.Xml.Linq;

namespace NetfilterExporter.Deployment.Tests;

/// <summary>Build properties the deployment artefacts must agree with (image tag, assembly file name).</summary>
public static class ProjectProperties
{
    public static string Version => Property("Directory.Build.props", "Version");

    public static string AssemblyName => Property(Path.Combine("src", "NetfilterExporter", "NetfilterExporter.csproj"), "AssemblyName");

    private static string Property(string relativePath, string name) =>
        XDocument.Load(RepositoryPaths.Combine(relativePath)).Descendants(name).Select(element => element.Value).SingleOrDefault()
        ?? throw new InvalidOperationException($"{relativePath} sets no <{name}>");
}
