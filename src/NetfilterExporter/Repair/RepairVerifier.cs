using System.Globalization;
using NetfilterExporter.Assessment;
using NetfilterExporter.Conntrack;
using NetfilterExporter.HostPorts;

namespace NetfilterExporter.Repair;

/// <summary>
/// After a repair, a new collection says what it cleared: each planned jump, chain and nftables rule must be gone from
/// its table, nf_conntrack loaded and listed for boot. A table the new collection could not read proves nothing, so its
/// deletions count as left.
/// </summary>
public static class RepairVerifier
{
    public static RepairVerification Verify(RepairPlan plan, NodeAssessment after)
    {
        var deletions = new List<VerifiedDeletion>();
        foreach (var table in plan.Tables)
        {
            var observation = after.HostPorts.FirstOrDefault(observation => observation.Source == table.Source);
            foreach (var deletion in table.Deletions)
            {
                deletions.Add(observation is null
                    ? new VerifiedDeletion(table, deletion, false, $"the {table.Source} nat table could not be read again")
                    : Check(table, deletion, observation.Report));
            }
        }
        var conntrackLeft = new List<string>();
        if (plan.Conntrack is { } conntrack)
        {
            var report = after.Joins.Conntrack;
            if (report is null)
            {
                conntrackLeft.Add("nf_conntrack could not be probed again");
            }
            else
            {
                if (conntrack.LoadNow && !report.SysctlPresent)
                {
                    conntrackLeft.Add("nf_conntrack is still not loaded (nf_conntrack_max is absent)");
                }
                if (conntrack.BootFile is { } file && report.BootLoadSources.Count == 0)
                {
                    conntrackLeft.Add($"nothing lists nf_conntrack for boot yet ({file} is not seen)");
                }
            }
        }
        // The findings the plan's changes answer: each deletion's, and nf_conntrack's.
        var planned = plan.Tables.SelectMany(table => table.Deletions.Select(deletion => deletion.Why))
            .Concat(plan.Conntrack is null ? [] : [plan.Conntrack.LoadNow ? ConntrackFindings.NotLoadedId : ConntrackFindings.NotPersistentId])
            .ToHashSet(StringComparer.Ordinal);
        var remaining = after.Findings.Select(finding => finding.Id).Distinct(StringComparer.Ordinal).ToList();
        return new RepairVerification(deletions, conntrackLeft, [.. remaining.Where(planned.Contains)], remaining);
    }

    private static VerifiedDeletion Check(TableRepair table, PlannedDeletion deletion, HostPortReport now)
    {
        var left = deletion.Deletion switch
        {
            RuleDeletion.Jump jump => now.CniChains.GetValueOrDefault(HostPortAnalyzer.DnatChain)?
                .Any(rule => rule.Arguments.SequenceEqual(jump.Rule.Arguments, StringComparer.Ordinal)) == true
                ? $"the jump is still in {HostPortAnalyzer.DnatChain}" : null,
            RuleDeletion.Chain chain => now.CniChains.ContainsKey(chain.Name) ? $"the chain {chain.Name} still exists" : null,
            // A handle is never reused within a table, so a rule holding it is the planned one, whatever it holds now.
            RuleDeletion.NftRule rule => now.NftRules.Any(listed => listed.Handle == rule.Rule.Handle && listed.Chain == rule.Rule.Chain)
                ? string.Create(CultureInfo.InvariantCulture, $"handle {rule.Rule.Handle} is still in chain {rule.Rule.Chain}") : null,
            _ => throw new InvalidOperationException($"unknown deletion {deletion.Deletion}"),
        };
        return new VerifiedDeletion(table, deletion, left is null, left);
    }
}
