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
    public async Task Of_containerds_own_services_the_shipped_binary_names_only_the_two_stores_it_reads()
    {
        var binary = await File.ReadAllBytesAsync(ExporterProcess.BinaryPath, TestContext.Current.CancellationToken);

        Assert.True(Contains(binary, "containerd.services.sandbox.v1.Store"), $"the sandbox store is not in {ExporterProcess.BinaryPath}: the search proves nothing");
        Assert.True(Contains(binary, "containerd.services.containers.v1.Containers"), $"the container store is not in {ExporterProcess.BinaryPath}");
        var found = OtherContainerdServices.Where(service => Contains(binary, service)).ToList();
        Assert.True(found.Count == 0, $"{ExporterProcess.BinaryPath} names containerd services besides the two stores: {string.Join(", ", found)}");
    }

    [Fact]
    public async Task The_shipped_binary_names_no_cri_method_but_list_pod_sandbox()
    {
        var binary = await File.ReadAllBytesAsync(ExporterProcess.BinaryPath, TestContext.Current.CancellationToken);

        // The one call it makes is there, so the search would find the others.
        Assert.True(Contains(binary, "ListPodSandbox"), $"ListPodSandbox is not in {ExporterProcess.BinaryPath}: the search proves nothing");
        Assert.True(Contains(binary, "runtime.v1.RuntimeService"), $"runtime.v1.RuntimeService is not in {ExporterProcess.BinaryPath}");
        var found = OtherCriMethods.Where(method => Contains(binary, method)).ToList();
        Assert.True(found.Count == 0, $"{ExporterProcess.BinaryPath} names CRI methods besides ListPodSandbox: {string.Join(", ", found)}");
    }

    // Native AOT may store a string literal's UTF-16 without the high byte of its last character (seen for the
    // containerd service names), so the UTF-16 search leaves that byte out.
    private static bool Contains(byte[] binary, string text) =>
        binary.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0 || binary.AsSpan().IndexOf(Encoding.Unicode.GetBytes(text).AsSpan(..^1)) >= 0;
}
