using NetfilterExporter.Logging;

namespace NetfilterExporter.Unit.Tests.Logging;

public sealed class LogKeysTests
{
    [Theory]
    [InlineData("Collector", "collector")]
    [InlineData("Error", "err")]
    [InlineData("Err", "err")]
    [InlineData("Exception", "err")]
    [InlineData("error", "err")]
    [InlineData("SandboxCount", "sandbox_count")]
    [InlineData("WebConfigFile", "web_config_file")]
    [InlineData("HTTPStatus", "http_status")]
    [InlineData("contentRoot", "content_root")]
    [InlineData("address", "address")]
    [InlineData("Retry2Seconds", "retry2_seconds")]
    [InlineData("@Sandbox.Id", "sandbox_id")]
    [InlineData("0", "0")]
    [InlineData("@", "_")]
    public void Template_names_are_spelled_as_promslog_keys(string name, string key) =>
        Assert.Equal(key, LogKeys.FromTemplateName(name));
}
