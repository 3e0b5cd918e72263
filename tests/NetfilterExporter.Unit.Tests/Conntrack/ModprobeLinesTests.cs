using NetfilterExporter.Conntrack;
using Xunit;

namespace NetfilterExporter.Unit.Tests.Conntrack;

public sealed class ModprobeLinesTests
{
    [Fact]
    public void Backslash_newline_joins_lines_and_numbers_follow_physical_lines()
    {
        var lines = ModprobeLines.Split("first\ninstall m \\\n  /bin/false\nlast").ToList();

        Assert.Equal(
            [new NumberedLine(1, "first"), new NumberedLine(2, "install m   /bin/false"), new NumberedLine(4, "last")],
            lines);
    }

    [Fact]
    public void A_backslash_before_another_character_is_dropped_like_kmod_does()
    {
        var lines = ModprobeLines.Split("blacklist nf\\_conntrack\\").ToList();

        Assert.Equal([new NumberedLine(1, "blacklist nf_conntrack")], lines);
    }
}
