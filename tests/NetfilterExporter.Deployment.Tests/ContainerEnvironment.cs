namespace NetfilterExporter.Deployment.Tests;

/// <summary>A container's env as the kubelet resolves it on one node.</summary>
public static class ContainerEnvironment
{
    /// <summary>
    /// Literal values and the downward-API fields the exporter's manifests use; any other source fails with
    /// its location, so a new env entry is not silently left out of the test.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Resolve(ManifestNode container, string nodeAddress, string nodeName = "node-under-test")
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in container.TryGet("env")?.Items ?? [])
        {
            var name = variable.Text("name");
            var fieldPath = variable.TryGet("valueFrom")?.Get("fieldRef").Text("fieldPath");
            environment[name] = fieldPath switch
            {
                null => variable.OptionalText("value") ?? "",
                "status.hostIP" or "status.podIP" => nodeAddress,
                "spec.nodeName" => nodeName,
                _ => throw new ManifestException($"{variable.Location}: fieldRef {fieldPath} is not resolved by {nameof(ContainerEnvironment)}; extend it"),
            };
        }
        return environment;
    }
}
