using System.Net.Sockets;
using NetfilterExporter.Configuration;
using NetfilterExporter.Cri;
using NetfilterExporter.TestSupport;

namespace NetfilterExporter.Unit.Tests.Cri;

public sealed class CriEndpointTests
{
    [Theory]
    [InlineData("auto", CriEndpointMode.Auto, null)]
    [InlineData("none", CriEndpointMode.None, null)]
    [InlineData("unix:///run/containerd/containerd.sock", CriEndpointMode.Explicit, "/run/containerd/containerd.sock")]
    public void Parses_the_three_forms(string text, CriEndpointMode mode, string? path)
    {
        Assert.Equal(new CriEndpoint(mode, path), CriEndpoint.Parse(text));
    }

    [Theory]
    [InlineData("/run/containerd/containerd.sock")]
    [InlineData("unix://relative.sock")]
    [InlineData("unix://")]
    [InlineData("tcp://127.0.0.1:1234")]
    [InlineData("")]
    public void Anything_else_is_a_usage_error_naming_the_flag(string text)
    {
        var error = Assert.Throws<UsageException>(() => CriEndpoint.Parse(text));

        Assert.Contains("--cri.endpoint", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{text}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_flag_defaults_to_auto_and_reads_the_environment()
    {
        Assert.Equal(CriEndpoint.Auto, CommandLine.Parse([], false, _ => null).CriEndpoint);
        Assert.Equal(new CriEndpoint(CriEndpointMode.None, null),
            CommandLine.Parse([], false, name => name == "NETFILTER_EXPORTER_CRI_ENDPOINT" ? "none" : null).CriEndpoint);
    }

    [Fact]
    public void Auto_tries_the_sockets_that_exist_under_the_root_filesystem_microk8s_first()
    {
        using var root = new TemporaryDirectory("nfx-cri-root");
        Assert.Empty(CriEndpoint.Auto.Resolve(root.Path));

        using var containerd = Listen(Path.Join(root.Path, "run/containerd/containerd.sock"));
        Assert.Equal([Path.Join(root.Path, "run/containerd/containerd.sock")], CriEndpoint.Auto.Resolve(root.Path));

        using var microk8s = Listen(Path.Join(root.Path, "var/snap/microk8s/common/run/containerd.sock"));
        Assert.Equal([Path.Join(root.Path, "var/snap/microk8s/common/run/containerd.sock"), Path.Join(root.Path, "run/containerd/containerd.sock")],
            CriEndpoint.Auto.Resolve(root.Path));

        Assert.Empty(CriEndpoint.None.Resolve(root.Path));
        // An explicit socket is taken as given, even when it does not exist: the collector then fails and says so.
        Assert.Equal(["/nonexistent/cri.sock"], CriEndpoint.Parse("unix:///nonexistent/cri.sock").Resolve(root.Path));
    }

    [Fact]
    public void Auto_follows_the_nodes_var_run_link_inside_the_root_filesystem_to_the_cri_o_socket()
    {
        using var root = new TemporaryDirectory("nfx-cri-root");
        Directory.CreateDirectory(Path.Join(root.Path, "var"));
        // On the node /var/run -> /run: absolute, so followed naively it would name the exporter's own /run.
        File.CreateSymbolicLink(Path.Join(root.Path, "var/run"), "/run");
        using var crio = Listen(Path.Join(root.Path, "run/crio/crio.sock"));

        Assert.Equal([Path.Join(root.Path, "run/crio/crio.sock")], CriEndpoint.Auto.Resolve(root.Path));
    }

    private static Socket Listen(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        socket.Listen();
        return socket;
    }
}
