using NetfilterExporter.Monitoring.Tests.Support;
using Xunit;

namespace NetfilterExporter.Monitoring.Tests.Mixin;

/// <summary>A bad setting stops mixin/generate.sh with a message naming the setting and the file, and writes nothing.</summary>
public sealed class MixinConfigTests
{
    [Theory]
    [InlineData("{ netfilterExporterSelecter: 'job=\"x\"' }", "unknown field netfilterExporterSelecter")]
    [InlineData("{ netfilterExporterSelector: '{job=\"x\"}' }", "netfilterExporterSelector is the matchers without braces")]
    [InlineData("{ netfilterExporterSelector: '' }", "netfilterExporterSelector must be a non-empty string")]
    [InlineData("{ netfilterExporterSelector: 'job=\"x\",' }", "netfilterExporterSelector must not end with a comma")]
    [InlineData("{ runbookURLBase: 'https://runbooks.example.com/netfilter' }", "runbookURLBase must end with \"/\"")]
    [InlineData("{ runbookURLBase: 'docs/runbooks/' }", "runbookURLBase must be an http(s) URL")]
    [InlineData("['job=\"x\"']", "must be an object of _config fields, got array")]
    public async Task Bad_setting_is_rejected_naming_the_setting_and_the_config_file(string config, string expected)
    {
        using var directory = new TemporaryDirectory("nfx-mixin-");
        var configFile = directory.Combine("my-config.jsonnet");
        File.WriteAllText(configFile, config + "\n");
        var output = directory.Combine("out");
        Directory.CreateDirectory(output);

        var result = await MonitoringMixin.GenerateAsync(output, configFile);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"mixin config ({configFile}): ", result.StandardError, StringComparison.Ordinal);
        Assert.Contains(expected, result.StandardError, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(output));
    }

    [Fact]
    public async Task Config_that_is_not_jsonnet_is_rejected_naming_file_and_line()
    {
        using var directory = new TemporaryDirectory("nfx-mixin-");
        var configFile = directory.Combine("broken.jsonnet");
        File.WriteAllText(configFile, "{\n  runbookURLBase: 'https://x.example/'\n  netfilterExporterSelector: 'job=\"x\"',\n}\n");

        var result = await MonitoringMixin.GenerateAsync(directory.Path, configFile);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(configFile + ":3", result.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(directory.Combine("alerts")));
    }

    [Fact]
    public async Task Missing_config_file_is_named()
    {
        using var directory = new TemporaryDirectory("nfx-mixin-");
        var missing = directory.Combine("nope.jsonnet");

        var result = await MonitoringMixin.GenerateAsync(directory.Path, missing);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"--config {missing}: no such file", result.StandardError, StringComparison.Ordinal);
    }
}
