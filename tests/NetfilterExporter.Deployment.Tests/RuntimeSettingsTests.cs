using System.Text;
using System.Text.Json;

namespace NetfilterExporter.Deployment.Tests;

/// <summary>
/// The runtime settings measured in docs/performance.md are compiled into the binary (RuntimeHostConfigurationOption
/// in the project), so they hold however the exporter is started. No deployment sets DOTNET_* variables: Native
/// AOT ignores most of them, and reads the rest only in a form the JIT build does not (hex without 0x).
/// </summary>
public sealed class RuntimeSettingsTests
{
    [Fact]
    public void The_gen_0_cap_is_compiled_into_the_shipped_binary()
    {
        using var runtimeConfig = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, ProjectProperties.AssemblyName + ".runtimeconfig.json")));
        var properties = runtimeConfig.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.Equal(1048576, properties.GetProperty("System.GC.Gen0MaxBudget").GetInt64());
        // The AOT compiler embeds the same options as name/value strings that the runtime reads at start-up.
        var binary = File.ReadAllBytes(ExporterProcess.BinaryPath);
        Assert.True(binary.AsSpan().IndexOf("System.GC.Gen0MaxBudget"u8) >= 0, $"{ExporterProcess.BinaryPath} does not carry System.GC.Gen0MaxBudget");
    }

    [Fact]
    public void No_deployment_sets_dotnet_variables()
    {
        var image = Dockerfile.Pairs(Dockerfile.All(Dockerfile.Load().FinalStage, "ENV")).Select(pair => pair.Key);
        var unit = SystemdUnit.Load().Environment().Select(pair => pair.Key);
        var container = KubernetesManifests.DaemonSetContainer();
        var pod = container.Get("env").Items.Select(variable => variable.Get("name").Value);

        Assert.DoesNotContain(image.Concat(unit).Concat(pod), name => name.StartsWith("DOTNET_", StringComparison.Ordinal));
    }
}
