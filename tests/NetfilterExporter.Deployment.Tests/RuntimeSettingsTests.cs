namespace NetfilterExporter.Deployment.Tests;

/// <summary>
/// The .NET runtime settings measured in docs/performance.md reach the exporter however it is installed: the
/// image's ENV (which the DaemonSet inherits) and the systemd unit's Environment= carry the same DOTNET_* values.
/// </summary>
public sealed class RuntimeSettingsTests
{
    [Fact]
    public void TheImageAndTheSystemdUnitSetTheSameDotnetVariables()
    {
        var image = Dockerfile.Pairs(Dockerfile.All(Dockerfile.Load().FinalStage, "ENV"))
            .Where(pair => pair.Key.StartsWith("DOTNET_", StringComparison.Ordinal))
            .ToDictionary(StringComparer.Ordinal);
        var unit = SystemdUnit.Load().Environment()
            .Where(pair => pair.Key.StartsWith("DOTNET_", StringComparison.Ordinal))
            .ToDictionary(StringComparer.Ordinal);

        Assert.Contains("DOTNET_GCgen0size", image.Keys);
        Assert.Equal(image.OrderBy(pair => pair.Key), unit.OrderBy(pair => pair.Key));
    }

    [Fact]
    public void TheDaemonSetDoesNotOverrideTheImagesDotnetVariables()
    {
        var container = KubernetesManifests.Single("DaemonSet").Get("spec").Get("template").Get("spec").Get("containers").Items.Single();
        var names = container.Get("env").Items.Select(variable => variable.Get("name").Value);

        Assert.DoesNotContain(names, name => name.StartsWith("DOTNET_", StringComparison.Ordinal));
    }
}
