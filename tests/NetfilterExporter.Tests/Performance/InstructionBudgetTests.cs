using System.Globalization;
using System.Security.Cryptography;
using NetfilterExporter.Tests.Reliability;
using NetfilterExporter.TestSupport;
using NetfilterExporter.TestSupport.Tables;

namespace NetfilterExporter.Tests.Performance;

/// <summary>
/// Issue 24: the exporter's cost guarded by instructions, not time. Callgrind counts the instructions the shipped
/// Native AOT binary executes for one fresh collection (parse, analyse, render: <c>check</c> on a saved dump of the
/// generated 25,000-rule table), a figure that repeats to about 1 % on a busy shared machine where milliseconds do
/// not (docs/performance.md, "Instruction budget"). More than the budget's tolerance above bench/instruction-budget.json
/// fails. In the heavy collection: it runs alone, so its two seconds of valgrind starve no other test's deadline.
/// </summary>
[Collection(HeavyReliabilityCollection.Name)]
public sealed class InstructionBudgetTests(ITestOutputHelper output)
{
    [Fact]
    public async Task One_fresh_collection_of_the_generated_25000_rule_table_stays_within_its_instruction_budget()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var valgrind = Prerequisites.RequireCommand("valgrind", "valgrind");
        var budget = InstructionBudget.Read();
        using var directory = new TemporaryDirectory("nfx-instructions-");
        var dump = directory.Combine("nat.dump");
        var table = NatTableWriter.Generate(new TableShape(budget.Table.Rules, budget.Table.HostPortPods, budget.Table.StalePods));
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(table));
        Assert.True(
            sha256 == budget.Table.Sha256 && table.Length == budget.Table.Bytes,
            $"the generated table is not the one the budget was measured on ({table.Length} bytes, sha256 {sha256}; budget: {budget.Table.Bytes} bytes, "
            + $"{budget.Table.Sha256}): the generator changed, so measure again and commit the new figure and table with the reason");
        await File.WriteAllBytesAsync(dump, table, cancellation);
        var counts = directory.Combine("callgrind.out");

        var result = await TestCommand.RunCancellableAsync(
            valgrind,
            [
                "--tool=callgrind",
                // Valgrind runs one thread at a time. Its default lock lets one thread take it back at once, so a thread
                // waiting for another can spin; the fair one hands it over in turn (docs/performance.md, "Instruction budget").
                "--fair-sched=yes",
                $"--callgrind-out-file={counts}",
                ExporterProcess.BinaryPath,
                "check",
                $"--iptables.from-file=legacy,ipv4={dump}",
                // Nothing of this machine: no container runtime, a fixture node for conntrack, a fixed node name.
                "--cri.endpoint=none",
                .. Fixture.ConntrackFlags("persistent-etc"),
                "--node.name=budget",
            ],
            cancellation,
            // A hang guard only; nothing is timed.
            timeout: TimeSpan.FromMinutes(5));

        // 1: findings, the table's stale claim, which shows the collection parsed and analysed the whole table.
        Assert.True(result.ExitCode == 1, $"check under valgrind exited {result.ExitCode}, expected 1 (findings):\n{result.StandardError}\n{result.StandardOutput}");
        Assert.Contains("<-- DUPLICATE", result.StandardOutput, StringComparison.Ordinal);
        var instructions = ReadTotal(counts);
        var ratio = (double)instructions / budget.Instructions;
        var report = string.Create(CultureInfo.InvariantCulture,
            $"one fresh collection: {instructions:N0} instructions, budget {budget.Instructions:N0}, ratio {ratio:0.0000} (fails above {1 + budget.Tolerance:0.00})");
        output.WriteLine(report);
        Assert.True(
            ratio <= 1 + budget.Tolerance,
            $"{report}. Find what costs more (callgrind_annotate on a build with symbols), or raise the budget in {InstructionBudget.FilePath} in a commit that says why");
    }

    /// <summary>The "totals:" line callgrind writes at the end of its output file: instructions of the whole process.</summary>
    private static long ReadTotal(string callgrindOutput)
    {
        var line = File.ReadLines(callgrindOutput).LastOrDefault(l => l.StartsWith("totals:", StringComparison.Ordinal))
            ?? throw new InvalidDataException($"{callgrindOutput} has no totals line");
        return long.Parse(line["totals:".Length..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture);
    }
}
