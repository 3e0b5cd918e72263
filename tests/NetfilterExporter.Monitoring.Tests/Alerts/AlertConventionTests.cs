using Xunit;

namespace NetfilterExporter.Monitoring.Tests.Alerts;

/// <summary>The alert contract of issue 3 and the monitoring-mixin conventions (ecosystem.md §5).</summary>
public sealed class AlertConventionTests
{
    private static readonly string[] IssueAlertNames =
    [
        "NetfilterHostPortStaleClaimWins",
        "NetfilterHostPortDNATDuplicate",
        "NetfilterConntrackNotLoaded",
        "NetfilterConntrackNotPersistent",
        "NetfilterConntrackBlacklisted",
        "NetfilterConntrackTableNearlyFull",
        "NetfilterHostPortOrphanChains",
        "NetfilterIptablesMixedBackends",
        "NetfilterHostPortMixedPortmapBackends",
        "NetfilterMicroK8sStopLeavesStaleRules",
        "NetfilterStaleClaimCheckOff",
        "NetfilterExporterCollectorFailed",
        "NetfilterExporterDown",
    ];

    [Fact]
    public void Rule_file_holds_exactly_the_alerts_of_the_contract()
    {
        var names = AlertRuleFile.LoadRepositoryRules().Select(rule => rule.Name).ToArray();

        Assert.Equal(names.Length, names.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(IssueAlertNames.Order(StringComparer.Ordinal), names.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("NetfilterHostPortStaleClaimWins", "critical")]
    [InlineData("NetfilterHostPortDNATDuplicate", "critical")]
    [InlineData("NetfilterConntrackNotLoaded", "critical")]
    [InlineData("NetfilterConntrackNotPersistent", "warning")]
    [InlineData("NetfilterConntrackBlacklisted", "warning")]
    [InlineData("NetfilterConntrackTableNearlyFull", "warning")]
    [InlineData("NetfilterHostPortOrphanChains", "info")]
    [InlineData("NetfilterIptablesMixedBackends", "warning")]
    [InlineData("NetfilterHostPortMixedPortmapBackends", "warning")]
    [InlineData("NetfilterMicroK8sStopLeavesStaleRules", "warning")]
    [InlineData("NetfilterStaleClaimCheckOff", "info")]
    [InlineData("NetfilterExporterCollectorFailed", "warning")]
    [InlineData("NetfilterExporterDown", "warning")]
    public void Alert_has_its_documented_severity(string alertName, string severity)
    {
        var rule = AlertRuleFile.LoadRepositoryRules().Single(rule => rule.Name == alertName);

        Assert.Equal(severity, rule.Severity);
    }

    [Fact]
    public void Every_alert_follows_the_mixin_conventions()
    {
        var problems = new List<string>();
        foreach (var rule in AlertRuleFile.LoadRepositoryRules())
        {
            void Require(bool condition, string what)
            {
                if (!condition)
                {
                    problems.Add($"{rule.Location} {rule.Name}: {what}");
                }
            }

            var summary = rule.Annotations.GetValueOrDefault("summary", "");
            var description = rule.Annotations.GetValueOrDefault("description", "");
            Require(rule.Name.StartsWith("Netfilter", StringComparison.Ordinal), "name lacks the Netfilter prefix");
            Require(rule.For > TimeSpan.Zero, "has no 'for'");
            Require(summary.Length > 0 && !summary.Contains("{{", StringComparison.Ordinal) && summary.EndsWith('.'), "summary must be a static sentence ending in a period");
            Require(description.Contains("{{", StringComparison.Ordinal), "description is not templated");
            Require(description.Count(character => character == '`') >= 2, "description carries no `command` to act on");
            Require(rule.Annotations.ContainsKey("runbook_url"), "has no runbook_url");
            Require(rule.Expression.Contains("job=\"netfilter-exporter\"", StringComparison.Ordinal), "expression does not select job=\"netfilter-exporter\"");
            Require(rule.Annotations.Keys.Order(StringComparer.Ordinal).SequenceEqual(["description", "runbook_url", "summary"]), "annotations must be exactly summary, description, runbook_url");
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Theory]
    [InlineData("NetfilterHostPortStaleClaimWins")]
    [InlineData("NetfilterHostPortDNATDuplicate")]
    [InlineData("NetfilterHostPortOrphanChains")]
    public void Host_port_fixes_use_the_binary_of_the_alerts_backend_and_family(string alertName)
    {
        var firing = AlertTestFile.LoadRepositoryTests()
            .Where(expectation => expectation.AlertName == alertName)
            .SelectMany(expectation => expectation.ExpectedAlerts)
            .ToArray();
        string[] binaries = ["iptables-legacy", "iptables-nft", "ip6tables-legacy", "ip6tables-nft"];

        Assert.NotEmpty(firing);
        foreach (var alert in firing)
        {
            var description = alert.Annotations["description"];
            if (alert.Labels["backend"] == "nftables")
            {
                // portmap's own nftables table: nft on table ip or ip6 cni_hostport, never an iptables binary.
                var table = alert.Labels["family"] == "ipv6" ? "ip6 cni_hostport" : "ip cni_hostport";
                Assert.Contains($"sudo nft flush chain {table} hostports", description, StringComparison.Ordinal);
                Assert.All(binaries, other => Assert.DoesNotContain($"sudo {other} ", description, StringComparison.Ordinal));
                continue;
            }
            var binary = (alert.Labels["family"] == "ipv6" ? "ip6tables" : "iptables") + "-" + alert.Labels["backend"];
            Assert.Contains($"sudo {binary} -t nat", description, StringComparison.Ordinal);
            Assert.All(binaries.Where(other => other != binary), other => Assert.DoesNotContain($"sudo {other} ", description, StringComparison.Ordinal));
            Assert.DoesNotContain("sudo nft ", description, StringComparison.Ordinal);
        }
        var combinations = firing.Select(alert => (alert.Labels["backend"], alert.Labels["family"])).ToHashSet();
        Assert.Contains(("legacy", "ipv4"), combinations);
        Assert.Contains(("nft", "ipv6"), combinations);
    }

    [Theory]
    [InlineData("iptables_legacy_ipv4", "sudo iptables-legacy-save -c -t nat")]
    [InlineData("iptables_legacy_ipv6", "sudo ip6tables-legacy-save -c -t nat")]
    [InlineData("iptables_nft_ipv4", "sudo iptables-nft-save -c -t nat")]
    [InlineData("iptables_nft_ipv6", "sudo ip6tables-nft-save -c -t nat")]
    [InlineData("conntrack", "sudo netfilter-exporter check")]
    [InlineData("cri", "sudo netfilter-exporter check")]
    public void Collector_failure_names_what_the_collector_runs(string collector, string command)
    {
        var alert = AlertTestFile.LoadRepositoryTests()
            .Where(expectation => expectation.AlertName == "NetfilterExporterCollectorFailed")
            .SelectMany(expectation => expectation.ExpectedAlerts)
            .First(alert => alert.Labels["collector"] == collector);

        Assert.Contains($"`{command}`", alert.Annotations["description"], StringComparison.Ordinal);
    }
}
