namespace NetfilterExporter.Tests.Exposition;

/// <summary>The golden exposition that the unit lane compares with (GoldenExpositionTests) is one promtool accepts.</summary>
public sealed class GoldenPromtoolTests
{
    private static readonly string GoldenPath = RepositoryPaths.Combine("tests", "Fixtures", "golden", "after-stop-start.prom");

    [Fact]
    public async Task The_golden_file_passes_promtool_check_metrics()
    {
        var result = await Promtool.CheckMetricsAsync(await File.ReadAllTextAsync(GoldenPath, TestContext.Current.CancellationToken));

        Assert.True(result.ExitCode == 0 && result.StandardOutput.Length == 0, result.StandardOutput + result.StandardError);
    }
}
