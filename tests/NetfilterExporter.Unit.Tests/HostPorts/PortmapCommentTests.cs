using NetfilterExporter.HostPorts;

namespace NetfilterExporter.Unit.Tests.HostPorts;

public sealed class PortmapCommentTests
{
    [Theory]
    [InlineData("dnat name: \"k8s-pod-network\" id: \"0123abcd\"", "k8s-pod-network", "0123abcd")]
    [InlineData("dnat name: \"\" id: \"0123abcd\"", "", "0123abcd")]
    [InlineData("dnat name: \"a\" id: \"b\" id: \"0123abcd\"", "a\" id: \"b", "0123abcd")]
    [InlineData("dnat name: \"net\" id: \"0123ab", "net", "0123ab")]
    [InlineData("dnat name: \"net\" id: \"\"", "net", "")]
    public void Reads_network_and_container_id(string comment, string network, string containerId) =>
        Assert.Equal((network, containerId), PortmapComment.Read(comment));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("kube-proxy rule")]
    [InlineData("dnat name: \"net\"")]
    [InlineData("dnat name: \" id: \"0123\"")]
    [InlineData("dnat name: \"net\" id: \"01\"23\"")]
    [InlineData("dnat name: \"net\" id: \"0123\"x")]
    [InlineData("DNAT name: \"net\" id: \"0123\"")]
    public void Anything_else_is_unknown(string? comment) =>
        Assert.Equal((PortmapComment.Unknown, PortmapComment.Unknown), PortmapComment.Read(comment));
}
