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
        // All of src/: the exporter and the libraries it references.
        CopyDirectory(RepositoryPaths.Combine("src"), work.Combine("src"));
        File.Copy(RepositoryPaths.Combine("Directory.Build.props"), work.Combine("Directory.Build.props"));
        File.Copy(RepositoryPaths.Combine("Directory.Packages.props"), work.Combine("Directory.Packages.props"));
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
            // Each project's build output stays behind: obj/ holds the restore of the original paths.
            if (relative.Split(Path.DirectorySeparatorChar) is [_, "bin" or "obj", ..])
            {
                continue;
            }
            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
