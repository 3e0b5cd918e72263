using NetfilterExporter.Repair;

namespace NetfilterExporter.Unit.Tests.Repair;

public sealed class TableTransactionTests
{
    [Fact]
    public async Task The_iptables_transaction_is_one_nat_section_deleting_the_jump_as_saved_then_flushing_and_deleting_its_chain()
    {
        var table = Assert.Single(RepairPlanner.Plan([await RepairExamples.AfterStopStartAsync()], RepairExamples.Runtime, null, null).Tables);

        Assert.Equal(
            "*nat\n" +
            $"-D CNI-HOSTPORT-DNAT {RepairExamples.StaleJump}\n" +
            "-F CNI-DN-5649e0ce7bb9710670939\n" +
            "-X CNI-DN-5649e0ce7bb9710670939\n" +
            "COMMIT\n",
            table.Transaction);
    }

    [Fact]
    public async Task The_deleted_jump_is_written_exactly_as_iptables_save_printed_it()
    {
        var saved = Dumps.Example("after-stop-start.legacy-ipv4.txt").Split('\n')
            .Single(line => line.Contains("-A CNI-HOSTPORT-DNAT", StringComparison.Ordinal) && line.Contains(ExampleSandboxes.OldIngress, StringComparison.Ordinal));
        var table = Assert.Single(RepairPlanner.Plan([await RepairExamples.AfterStopStartAsync()], RepairExamples.Runtime, null, null).Tables);

        var delete = table.Transaction.Split('\n')[1];

        Assert.Equal(saved[saved.IndexOf("-A ", StringComparison.Ordinal)..].Replace("-A ", "-D ", StringComparison.Ordinal), delete);
    }

    [Theory]
    [InlineData("CNI-DN-5649e0ce7bb9710670939", "CNI-DN-5649e0ce7bb9710670939")]
    [InlineData("80,443", "80,443")]
    [InlineData("dnat name: \"net\" id: \"abc\"", "\"dnat name: \\\"net\\\" id: \\\"abc\\\"\"")]
    [InlineData("a\tb", "\"a\tb\"")]
    [InlineData(@"back\slash", "\"back\\\\slash\"")]
    [InlineData("it's", "it's")]
    public void Arguments_are_quoted_only_where_iptables_restore_would_split_or_unescape_them(string argument, string written)
    {
        Assert.Equal(written, RestoreQuote.Quote(argument));
    }

    [Theory]
    [InlineData("")]
    [InlineData("two\nlines")]
    [InlineData("carriage\rreturn")]
    public void An_argument_iptables_restore_cannot_be_given_is_refused(string argument)
    {
        Assert.False(RestoreQuote.CanWrite(argument));
        Assert.Throws<ArgumentException>(() => RestoreQuote.Quote(argument));
    }
}
