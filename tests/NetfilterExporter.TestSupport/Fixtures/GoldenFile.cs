using Xunit;

namespace NetfilterExporter.TestSupport;

/// <summary>
/// node_exporter's golden-file pattern: a whole output compared with a checked-in file under tests/Fixtures/golden.
/// Set UPDATE_GOLDEN=1 to rewrite the files after an intended change, and review the diff.
/// </summary>
public static class GoldenFile
{
    public static string Path(string name) => RepositoryPaths.Combine("tests", "Fixtures", "golden", name);

    public static async Task AssertMatchesAsync(string name, string actual)
    {
        var path = Path(name);
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            await File.WriteAllTextAsync(path, actual, TestContext.Current.CancellationToken);
        }
        Assert.Equal(await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken), actual);
    }
}
