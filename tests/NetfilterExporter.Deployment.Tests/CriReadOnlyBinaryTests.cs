using System.Text;

namespace NetfilterExporter.Deployment.Tests;

/// <summary>
/// docs/security.md promises that the exporter can only read from the container runtime, although whatever can
/// connect to the CRI socket may call any CRI method. A gRPC call names its method as text
/// ("/runtime.v1.RuntimeService/ListPodSandbox"), so a binary that holds no other CRI method name, in UTF-8 or in
/// .NET's UTF-16 string literals, has no code that could call one. The shipped binary is the Native AOT publish.
/// </summary>
public sealed class CriReadOnlyBinaryTests
{
    // Every CRI method (k8s.io/cri-api runtime/v1) that changes something, or reads more than the sandbox list,
    // whose name is distinctive enough not to occur by chance (Version, Status, Exec and Attach would).
    private static readonly string[] OtherCriMethods =
    [
        "RunPodSandbox", "StopPodSandbox", "RemovePodSandbox", "PodSandboxStatus", "CreateContainer", "StartContainer",
        "StopContainer", "RemoveContainer", "ListContainers", "ContainerStatus", "UpdateContainerResources",
        "ReopenContainerLog", "ExecSync", "PortForward", "ContainerStats", "PodSandboxStats", "UpdateRuntimeConfig",
        "CheckpointContainer", "GetContainerEvents", "ListMetricDescriptors", "ListPodSandboxMetrics", "RuntimeConfig",
        "ListImages", "ImageStatus", "PullImage", "RemoveImage", "ImageFsInfo", "runtime.v1.ImageService",
    ];

    // containerd's own services besides the two stores it reads by id (the sandbox controller starts and stops sandboxes).
    private static readonly string[] OtherContainerdServices =
    [
        "containerd.services.tasks.v1", "containerd.services.sandbox.v1.Controller", "containerd.services.snapshots.v1",
        "containerd.services.content.v1", "containerd.services.images.v1", "containerd.services.leases.v1",
        "containerd.services.namespaces.v1", "containerd.services.diff.v1", "containerd.services.events.v1",
        "containerd.services.transfer.v1", "containerd.services.streaming.v1", "containerd.services.introspection.v1",
    ];

    [Fact]
    public Task Of_containerds_own_services_the_shipped_binary_names_only_the_two_stores_it_reads() =>
        AssertNamesOnlyAsync(["containerd.services.sandbox.v1.Store", "containerd.services.containers.v1.Containers"], OtherContainerdServices);

    [Fact]
    public Task The_shipped_binary_names_no_cri_method_but_list_pod_sandbox() =>
        AssertNamesOnlyAsync(["ListPodSandbox", "runtime.v1.RuntimeService"], OtherCriMethods);

    /// <summary>The binary names each of <paramref name="called"/> (so the search would find the others) and none of <paramref name="neverCalled"/>.</summary>
    private static async Task AssertNamesOnlyAsync(string[] called, string[] neverCalled)
    {
        var binary = await File.ReadAllBytesAsync(ExporterProcess.BinaryPath, TestContext.Current.CancellationToken);

        Assert.All(called, name => Assert.True(Contains(binary, name), $"{name} is not in {ExporterProcess.BinaryPath}: the search proves nothing"));
        var found = neverCalled.Where(name => Contains(binary, name)).ToList();
        Assert.True(found.Count == 0, $"{ExporterProcess.BinaryPath} names calls besides {string.Join(", ", called)}: {string.Join(", ", found)}");
    }

    // Native AOT may store a string literal's UTF-16 without the high byte of its last character (seen for the
    // containerd service names), so the UTF-16 search leaves that byte out.
    private static bool Contains(byte[] binary, string text) =>
        binary.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0 || binary.AsSpan().IndexOf(Encoding.Unicode.GetBytes(text).AsSpan(..^1)) >= 0;
}
