namespace NetfilterExporter.Tests.Exposition;

/// <summary>The golden exposition that the unit lane compares with (GoldenExpositionTests) is one both sets' promtool accept.</summary>
public sealed class GoldenPromtoolTests
{
    [Theory]
    [MemberData(nameof(PartsUnderTest.Sets), MemberType = typeof(PartsUnderTest))]
    public async Task The_golden_file_passes_promtool_check_metrics(string set)
    {
        // promtool 3 also flags a series written twice.
        var parts = await PartsUnderTest.UseAsync(set);
        var result = await Promtool.CheckMetricsAsync(await File.ReadAllTextAsync(GoldenFile.Path("after-stop-start.prom"), TestContext.Current.CancellationToken), parts);

        Assert.True(result.ExitCode == 0 && result.StandardOutput.Length == 0, result.StandardOutput + result.StandardError);
    }
}
