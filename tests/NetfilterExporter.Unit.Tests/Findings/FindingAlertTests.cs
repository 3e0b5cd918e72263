using System.Text.RegularExpressions;
using NetfilterExporter.Assessment;
using NetfilterExporter.Conntrack;
using NetfilterExporter.Findings;
using NetfilterExporter.HostPorts;
using NetfilterExporter.MicroK8s;
using NetfilterExporter.TestSupport;

namespace NetfilterExporter.Unit.Tests.Findings;

/// <summary>The landing page's runbook links: each finding's alert as docs/contract.md §3 names it, under the mixin's base, to a runbook that exists.</summary>
public sealed partial class FindingAlertTests
{
    [Fact]
    public void Every_finding_of_the_contract_links_the_runbook_of_its_alert()
    {
        var table = ContractFindings();

        Assert.Equal(10, table.Count);
        Assert.All(table, row =>
        {
            Assert.Equal(row.Alert, FindingAlert.For(row.Id));
            Assert.Equal(FindingAlert.RunbookBase + row.Alert + ".md", FindingAlert.RunbookUrl(row.Id));
            Assert.True(File.Exists(RepositoryPaths.Combine("docs", "runbooks", row.Alert + ".md")), $"docs/runbooks/{row.Alert}.md is missing");
        });
    }

    [Fact]
    public void Every_id_a_source_writes_is_in_the_contract()
    {
        string[] ids =
        [
            HostPortFindings.DuplicateId, StaleClaimFindings.Id, HostPortFindings.OrphanId, ConntrackFindings.NotLoadedId, ConntrackFindings.NotPersistentId,
            ConntrackFindings.BlacklistedId, ConntrackFindings.NearlyFullId, MicroK8sFindings.StopLeavesStaleRulesId, MixedBackendFindings.MixedBackendsId,
            MixedPortmapBackendFindings.Id,
        ];

        Assert.Equal(ids.Order(StringComparer.Ordinal), ContractFindings().Select(row => row.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_runbook_base_is_the_mixins_default()
    {
        var config = File.ReadAllText(RepositoryPaths.Combine("mixin", "config.libsonnet"));

        Assert.Equal(FindingAlert.RunbookBase, RunbookBase().Match(config).Groups[1].Value);
        Assert.Null(FindingAlert.RunbookUrl("no-such-finding"));
    }

    /// <summary>The id and alert columns of §3's table; the alert cell may add a note after the name.</summary>
    private static List<(string Id, string Alert)> ContractFindings()
    {
        var contract = File.ReadAllText(RepositoryPaths.Combine("docs", "contract.md"));
        var start = contract.IndexOf("\n## 3. ", StringComparison.Ordinal);
        var section = contract[start..contract.IndexOf("\n## 4. ", start, StringComparison.Ordinal)];
        return section.Split('\n')
            .Where(line => line.StartsWith("| `", StringComparison.Ordinal))
            .Select(line => UnescapedPipe().Split(line.Trim().Trim('|')))
            .Select(cells => (cells[0].Trim().Trim('`'), cells[^1].Trim().Split(' ')[0]))
            .ToList();
    }

    [GeneratedRegex(@"(?<!\\)\|")]
    private static partial Regex UnescapedPipe();

    [GeneratedRegex(@"runbookURLBase:\s*'([^']+)'")]
    private static partial Regex RunbookBase();
}
