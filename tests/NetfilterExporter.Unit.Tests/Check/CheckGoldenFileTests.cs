using NetfilterExporter.Check;
using NetfilterExporter.TestSupport;

namespace NetfilterExporter.Unit.Tests.Check;

/// <summary>
/// `check`'s whole output for one known node, pinned by checked-in files: the text's layout for people, and the JSON,
/// which is a contract for scripts (docs/contract.md §5: every field name and nesting level).
/// </summary>
public sealed class CheckGoldenFileTests
{
    [Theory]
    [InlineData("txt")]
    [InlineData("json")]
    public async Task Check_of_a_known_node_matches_the_golden_file(string format)
    {
        var assessment = await KnownNode.AssessAsync();

        await GoldenFile.AssertMatchesAsync($"check-after-stop-start.{format}", format == "json" ? CheckJsonReport.Render(assessment) : CheckTextReport.Render(assessment));
    }
}
