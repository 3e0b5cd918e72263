using NetfilterExporter.Check;
using NetfilterExporter.TestSupport;

namespace NetfilterExporter.Unit.Tests.Check;

/// <summary>
/// `check --output json` is a contract for scripts (docs/contract.md §5): every field name and nesting level is
/// pinned by a checked-in file. Set UPDATE_GOLDEN=1 to rewrite it after an intended change, and review the diff.
/// </summary>
public sealed class CheckJsonReportTests
{
    [Fact]
    public async Task Json_of_a_known_node_matches_the_golden_file()
    {
        var assessment = await KnownNode.AssessAsync();

        await GoldenFile.AssertMatchesAsync("check-after-stop-start.json", CheckJsonReport.Render(assessment));
    }
}
