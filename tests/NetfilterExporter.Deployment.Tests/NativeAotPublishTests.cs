namespace NetfilterExporter.Deployment.Tests;

/// <summary>
/// What ships is the Native AOT binary, and a trim or AOT warning means code that may break only there
/// (prometheus-net declares neither IsTrimmable nor IsAotCompatible). So such a warning must fail the publish,
/// not scroll by: one call that needs dynamic code, added to a copy of the sources, must make the publish fail.
/// The clean sources publish without one every time the tests build (NetfilterExporter.TestSupport.csproj).
/// </summary>
public sealed class NativeAotPublishTests
{
    [Fact]
    public async Task An_aot_warning_fails_the_publish()
    {
        using var work = new TemporaryDirectory("nfx-aot-");
        CopyDirectory(RepositoryPaths.Combine("src", "NetfilterExporter"), work.Combine("src", "NetfilterExporter"));
        File.Copy(RepositoryPaths.Combine("Directory.Build.props"), work.Combine("Directory.Build.props"));
        // MakeGenericType over a type known only at run time: IL3050 (RequiresDynamicCode) under Native AOT.
        File.WriteAllText(work.Combine("src", "NetfilterExporter", "DynamicCode.cs"), """
            namespace NetfilterExporter;

            public static class DynamicCode
            {
                public static Type ListOf(Type element) => typeof(List<>).MakeGenericType(element);
            }
            """);

        var publish = await TestCommand.RunAsync(Prerequisites.RequireCommand("dotnet", "the .NET SDK"),
            ["publish", work.Combine("src", "NetfilterExporter"), "-c", "Release", "--use-current-runtime", "-o", work.Combine("out")],
            timeout: TimeSpan.FromMinutes(10));

        var log = publish.StandardOutput + publish.StandardError;
        Assert.True(publish.ExitCode != 0, $"the publish succeeded despite an AOT warning:\n{log}");
        Assert.Contains("error IL3050", log, StringComparison.Ordinal);
        Assert.False(File.Exists(work.Combine("out", "netfilter-exporter")), "a binary was published despite the error");
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
}
