using System.Text.Json;
using NetfilterExporter.TestSupport;

namespace NetfilterExporter.Tests.Web;

/// <summary>--log.format as the running exporter applies it: what reaches stderr, line by line.</summary>
public sealed class LogFormatTests
{
    private static readonly string Example = $"--iptables.from-file={RepositoryPaths.Combine("examples", "healthy.legacy-ipv4.txt")}";

    [Fact]
    public async Task Logfmt_is_the_default()
    {
        await using var exporter = await ExporterProcess.StartAsync([Example]);

        var listening = exporter.Log.Split('\n').First(line => line.Contains("Now listening on", StringComparison.Ordinal));

        Assert.Matches("^ts=[0-9T:.-]+Z level=info source=Microsoft.Hosting.Lifetime msg=\"Now listening on: http://127.0.0.1:[0-9]+\" address=http://127.0.0.1:[0-9]+$", listening);
    }

    [Fact]
    public async Task Json_gives_one_object_per_line_with_the_logfmt_keys()
    {
        await using var exporter = await ExporterProcess.StartAsync([Example, "--log.format=json"]);

        var lines = exporter.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var listening = lines.First(line => line.Contains("Now listening on", StringComparison.Ordinal));

        Assert.All(lines, line => Assert.StartsWith("{", line, StringComparison.Ordinal));
        using var record = JsonDocument.Parse(listening);
        Assert.Equal(["ts", "level", "source", "msg", "address"], record.RootElement.EnumerateObject().Select(property => property.Name));
        Assert.Equal("info", record.RootElement.GetProperty("level").GetString());
        Assert.Equal("Microsoft.Hosting.Lifetime", record.RootElement.GetProperty("source").GetString());
        Assert.Matches("^http://127.0.0.1:[0-9]+$", record.RootElement.GetProperty("address").GetString());
    }
}
