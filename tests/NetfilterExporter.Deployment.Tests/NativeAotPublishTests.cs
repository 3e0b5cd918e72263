using System.Text.RegularExpressions;

namespace NetfilterExporter.Deployment.Tests;

/// <summary>
/// prometheus-net declares neither IsTrimmable nor IsAotCompatible, so the only proof that the exporter with it
/// and CliWrap is AOT-clean is a Native AOT publish: no trim or AOT warning, and the binary serves /metrics.
/// Published from a copy of the sources, so the publish cannot touch the build the other tests run.
/// </summary>
public sealed partial class NativeAotPublishTests
{
    [Fact]
    public async Task Native_aot_publish_has_no_trim_or_aot_warning_and_the_binary_scrapes()
    {
        using var work = new TemporaryDirectory("nfx-aot-");
        CopyDirectory(RepositoryPaths.Combine("src", "NetfilterExporter"), work.Combine("src", "NetfilterExporter"));
        File.Copy(RepositoryPaths.Combine("Directory.Build.props"), work.Combine("Directory.Build.props"));
        var output = work.Combine("out");

        var publish = await TestCommand.RunAsync(Prerequisites.RequireCommand("dotnet", "the .NET SDK"),
            ["publish", work.Combine("src", "NetfilterExporter"), "-c", "Release", "-r", "linux-x64", "-p:PublishAot=true", "-p:TrimmerSingleWarn=false", "-o", output],
            timeout: TimeSpan.FromMinutes(10));

        var log = publish.StandardOutput + publish.StandardError;
        Assert.True(publish.ExitCode == 0, log);
        Assert.Empty(TrimOrAotWarning().Matches(log).Select(match => match.Value).Distinct());
        var binary = Path.Combine(output, "netfilter-exporter");
        var port = LoopbackPort.Free();
        await using var exporter = CapturedProcess.Start("the AOT exporter", binary,
            [$"--iptables.from-file={RepositoryPaths.Combine("examples", "after-stop-start.legacy-ipv4.txt")}", $"--web.listen-address=127.0.0.1:{port}"]);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        await exporter.WaitUntilReadyAsync(client, new Uri($"http://127.0.0.1:{port}/healthz"), TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/metrics");
        request.Headers.TryAddWithoutValidation("Accept", "application/openmetrics-text;version=1.0.0");
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("netfilter_hostport_dnat_duplicates{backend=\"legacy\",family=\"ipv4\",protocol=\"tcp\",host_ip=\"any\",port=\"80\"} 1.0\n", body, StringComparison.Ordinal);
        Assert.Contains("\nprocess_resident_memory_bytes ", body, StringComparison.Ordinal);
        Assert.EndsWith("# EOF\n", body, StringComparison.Ordinal);
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal) || relative.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                continue;
            }
            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    [GeneratedRegex(@"warning IL\d{4}[^\r\n]*")]
    private static partial Regex TrimOrAotWarning();
}
