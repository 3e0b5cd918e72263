using Xunit;

namespace NetfilterExporter.TestSupport;

/// <summary>The sets of monitoring parts as theory data, and the one step every such test starts with.</summary>
public static class PartsUnderTest
{
    /// <summary>Debian 12's Prometheus 2.42/Alertmanager 0.25 and today's Prometheus 3.x/Alertmanager 0.3x.</summary>
    public static TheoryData<string> Sets => new(MonitoringParts.Names);

    /// <summary>Every set with every one of <paramref name="cases"/>: (set, case) pairs.</summary>
    public static TheoryData<string, string> SetsWith(IEnumerable<string> cases)
    {
        var data = new TheoryData<string, string>();
        foreach (var set in MonitoringParts.Names)
        {
            foreach (var item in cases)
            {
                data.Add(set, item);
            }
        }
        return data;
    }

    /// <summary>Resolves the set and writes its versions to the test's output.</summary>
    public static async Task<MonitoringParts> UseAsync(string set)
    {
        var parts = await MonitoringParts.ResolveAsync(set);
        TestContext.Current.TestOutputHelper?.WriteLine(parts.Describe());
        return parts;
    }
}
