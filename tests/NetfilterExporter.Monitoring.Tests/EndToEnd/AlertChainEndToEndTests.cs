using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NetfilterExporter.Monitoring.Tests.Dashboards;
using NetfilterExporter.Monitoring.Tests.Support;
using NetfilterExporter.WebConfig;
using Xunit;

namespace NetfilterExporter.Monitoring.Tests.EndToEnd;

/// <summary>
/// The whole path on real parts: real iptables rules → the exporter → Prometheus with the project's rules →
/// Alertmanager with the example routing → the pager and ticket webhooks, then the documented fix and the
/// resolved notification; the same stale state with a container runtime to ask pages as a black-holed port, with
/// its duplicate alert inhibited; then every dashboard query against that Prometheus. See MonitoringStack for the set-up.
/// It runs once per set of parts (<see cref="MonitoringParts"/>): Debian 12's Prometheus 2.42 and Alertmanager 0.25,
/// and today's Prometheus 3.x and Alertmanager 0.3x, with the same assertions and the differences between them asserted.
/// </summary>
public sealed partial class AlertChainEndToEndTests
{
    private const string DuplicateAlert = "NetfilterHostPortDNATDuplicate";
    private const string StaleWinnerAlert = "NetfilterHostPortStaleClaimWins";
    private const string NotLoadedAlert = "NetfilterConntrackNotLoaded";
    private const string NotPersistentAlert = "NetfilterConntrackNotPersistent";
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(120);

    // Alertmanager answers its removed API v1 with 410 Gone from 0.27 on; the chain speaks v2 on every version.
    private static readonly Version WithoutApiV1 = new(0, 27);

    // Alertmanager 0.32 added notification_reason to the webhook payload; version stays "4".
    private static readonly Version WithNotificationReason = new(0, 32);

    // The after-stop/start dump holds two CNI-HOSTPORT-DNAT jumps that both claim tcp 80 and 443.
    private static readonly string[] DuplicatedPorts = ["80", "443"];

    // What deploy/alertmanager/alertmanager.yml promises: critical pages, warning opens a ticket, info notifies nobody.
    private static readonly Dictionary<string, string> PathBySeverity = new(StringComparer.Ordinal)
    {
        ["critical"] = "/pager",
        ["warning"] = "/ticket",
    };

    [Theory]
    [MemberData(nameof(PartsUnderTest.Sets), MemberType = typeof(PartsUnderTest))]
    public async Task Alerts_reach_pager_and_ticket_resolve_after_the_fix_and_every_dashboard_query_has_data(string set)
    {
        var parts = await PartsUnderTest.UseAsync(set);
        using var overall = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await using var stack = await MonitoringStack.StartAsync(parts, overall.Token);

        var firing = await WaitForAlertsAsync(stack, DuplicateAlert, "firing", MonitoringStack.AfterStopStartTarget, DuplicatedPorts, 0, overall.Token);
        var containerIds = ClaimingContainers();
        Assert.All(firing, alert =>
        {
            Assert.Equal(("legacy", "ipv4", "tcp"), (alert.Label("backend"), alert.Label("family"), alert.Label("protocol")));
            Assert.Contains(alert.Label("port"), DuplicatedPorts);
            Assert.Equal(("/pager", "pager"), (alert.Path, alert.Receiver));
            AssertRunbookLink(alert);
            var description = alert.Annotation("description");
            Assert.Contains("iptables-legacy -t nat -F CNI-HOSTPORT-DNAT", description, StringComparison.Ordinal);
            Assert.All(containerIds, id => Assert.Contains(id, description, StringComparison.Ordinal));
        });

        var notificationsBeforeFix = stack.Receiver.NotificationCount;
        (await stack.Namespace.ExecAsync("iptables-legacy", ["-t", "nat", "-F", "CNI-HOSTPORT-DNAT"])).EnsureSuccess("flushing CNI-HOSTPORT-DNAT");
        var resolved = await WaitForAlertsAsync(stack, DuplicateAlert, "resolved", MonitoringStack.AfterStopStartTarget, DuplicatedPorts, notificationsBeforeFix, overall.Token);
        Assert.All(resolved, alert => Assert.Equal(("/pager", "pager"), (alert.Path, alert.Receiver)));

        // The same dump, and a runtime that lists only the new sandbox: the winning claim is stale, the ports are black-holed.
        var blackHoled = await WaitForAlertsAsync(stack, StaleWinnerAlert, "firing", MonitoringStack.StaleWinnerTarget, DuplicatedPorts, 0, overall.Token);
        var (staleId, liveId) = (containerIds[0], containerIds[1]);
        Assert.Equal(MonitoringStack.NewSandboxId, liveId);
        Assert.All(blackHoled, alert =>
        {
            Assert.Equal(("legacy", "ipv4", "tcp", "critical"), (alert.Label("backend"), alert.Label("family"), alert.Label("protocol"), alert.Label("severity")));
            Assert.Equal(("/pager", "pager"), (alert.Path, alert.Receiver));
            AssertRunbookLink(alert);
            var description = alert.Annotation("description");
            Assert.Contains($"belongs to container {staleId} (chain CNI-DN-5649e0ce7bb9710670939) -> 10.1.254.70:{alert.Label("port")}, whose sandbox the container runtime no longer lists", description, StringComparison.Ordinal);
            Assert.Contains($"it shadows the live claim of pod {MonitoringStack.NewPodNamespace}/{MonitoringStack.NewPodName} (container {liveId}) -> 10.1.254.72:{alert.Label("port")}", description, StringComparison.Ordinal);
            Assert.Contains("`sudo netfilter-exporter check`", description, StringComparison.Ordinal);
            Assert.Contains("sudo iptables-legacy -t nat -F CNI-HOSTPORT-DNAT", description, StringComparison.Ordinal);
        });
        Assert.True(stack.Runtime.ListPodSandboxCalls > 0, "the exporter never asked the container runtime");
        // The example Alertmanager configuration pages once per port: the duplicate alert of the same ports is inhibited.
        await WaitForInhibitedDuplicatesAsync(stack, MonitoringStack.StaleWinnerTarget, DuplicatedPorts, overall.Token);

        var notLoaded = await WaitForAlertsAsync(stack, NotLoadedAlert, "firing", MonitoringStack.NotLoadedTarget, [], 0, overall.Token);
        Assert.All(notLoaded, alert =>
        {
            Assert.Equal(("/pager", "pager"), (alert.Path, alert.Receiver));
            AssertRunbookLink(alert);
            Assert.Contains("sudo modprobe nf_conntrack", alert.Annotation("description"), StringComparison.Ordinal);
            Assert.Contains("echo nf_conntrack | sudo tee /etc/modules-load.d/nf_conntrack.conf", alert.Annotation("description"), StringComparison.Ordinal);
        });
        var notPersistent = await WaitForAlertsAsync(stack, NotPersistentAlert, "firing", MonitoringStack.NotPersistentTarget, [], 0, overall.Token);
        Assert.All(notPersistent, alert =>
        {
            Assert.Equal(("/ticket", "ticket"), (alert.Path, alert.Receiver));
            AssertRunbookLink(alert);
            Assert.Contains("echo nf_conntrack | sudo tee /etc/modules-load.d/nf_conntrack.conf", alert.Annotation("description"), StringComparison.Ordinal);
        });

        await AssertEveryDashboardQueryHasDataAsync(stack, overall.Token);

        // Checked last, when the stack has run longest: alerts that must never fire have had every chance to.
        var received = stack.Receiver.Alerts;
        Assert.Empty(stack.Receiver.Problems);
        Assert.NotEmpty(received);
        Assert.All(received, alert => Assert.Equal("4", alert.PayloadVersion));
        if (parts.AlertmanagerVersion >= WithNotificationReason)
        {
            Assert.All(received, alert => Assert.False(string.IsNullOrEmpty(alert.NotificationReason), $"{alert}: Alertmanager {parts.AlertmanagerVersion} sent no notification_reason"));
        }
        else
        {
            Assert.All(received, alert => Assert.Null(alert.NotificationReason));
        }
        using (var apiV1 = await stack.Alertmanager.Client.GetAsync(new Uri(stack.Alertmanager.BaseAddress, "api/v1/alerts"), overall.Token))
        {
            Assert.Equal(parts.AlertmanagerVersion >= WithoutApiV1 ? HttpStatusCode.Gone : HttpStatusCode.OK, apiV1.StatusCode);
        }
        Assert.All(received, alert =>
        {
            Assert.True(PathBySeverity.TryGetValue(alert.Label("severity"), out var path), $"{alert}: severity '{alert.Label("severity")}' must not notify anyone");
            Assert.Equal((path, path.TrimStart('/')), (alert.Path, alert.Receiver));
            AssertRunbookLink(alert);
        });
        Assert.DoesNotContain(received, alert => alert.Name.StartsWith("NetfilterConntrack", StringComparison.Ordinal) && alert.Label("instance") == MonitoringStack.AfterStopStartTarget);
        Assert.DoesNotContain(received, alert => alert.Name.StartsWith("NetfilterConntrack", StringComparison.Ordinal) && alert.Label("instance") == MonitoringStack.StaleWinnerTarget);
        // Without a runtime to ask, claims are unknown, never stale; with one, the duplicate never pages beside the stale winner.
        Assert.DoesNotContain(received, alert => alert.Name == StaleWinnerAlert && alert.Label("instance") != MonitoringStack.StaleWinnerTarget);
        Assert.DoesNotContain(received, alert => alert.Name == DuplicateAlert && alert.Label("instance") == MonitoringStack.StaleWinnerTarget);
        Assert.DoesNotContain(received, alert => alert.Name == NotLoadedAlert && alert.Label("instance") != MonitoringStack.NotLoadedTarget);
        Assert.DoesNotContain(received, alert => alert.Name == NotPersistentAlert && alert.Label("instance") != MonitoringStack.NotPersistentTarget);
    }

    /// <summary>
    /// Waits until notifications numbered <paramref name="fromSequence"/> or later carry <paramref name="alertName"/>
    /// in <paramref name="status"/> for <paramref name="instance"/>, for every port in <paramref name="ports"/> (any port when empty).
    /// </summary>
    private static Task<ReceivedAlert[]> WaitForAlertsAsync(
        MonitoringStack stack, string alertName, string status, string instance, string[] ports, int fromSequence, CancellationToken cancellationToken) =>
        Poll.UntilAsync(
            $"{alertName} {status} for {instance} (ports: {string.Join(',', ports)}) from notification #{fromSequence.ToString(CultureInfo.InvariantCulture)} on",
            StepTimeout,
            _ =>
            {
                var found = stack.Receiver.Alerts
                    .Where(alert => alert.Sequence >= fromSequence && alert.Name == alertName && alert.Status == status && alert.Label("instance") == instance)
                    .ToArray();
                var complete = found.Length > 0 && ports.All(port => found.Any(alert => alert.Label("port") == port));
                return Task.FromResult(complete ? found : null);
            },
            stack.Describe,
            cancellationToken: cancellationToken);

    /// <summary>Waits until Alertmanager holds the duplicate alert of every port in <paramref name="ports"/> of <paramref name="instance"/>, suppressed by an inhibition.</summary>
    private static Task<JsonNode[]> WaitForInhibitedDuplicatesAsync(MonitoringStack stack, string instance, string[] ports, CancellationToken cancellationToken)
    {
        JsonArray? last = null;
        return Poll.UntilAsync(
            $"{DuplicateAlert} of {instance} (ports: {string.Join(',', ports)}) inhibited in Alertmanager",
            StepTimeout,
            async token =>
            {
                last = await stack.Alertmanager.AlertsAsync([$"alertname=\"{DuplicateAlert}\"", $"instance=\"{instance}\""], token);
                var inhibited = last.OfType<JsonNode>()
                    .Where(alert => (string?)alert["status"]?["state"] == "suppressed" && alert["status"]?["inhibitedBy"] is JsonArray { Count: > 0 })
                    .ToArray();
                return ports.All(port => inhibited.Any(alert => (string?)alert["labels"]?["port"] == port)) ? inhibited : null;
            },
            () => $"Alertmanager's {DuplicateAlert} alerts of {instance}: {last?.ToJsonString() ?? "none yet"}\n{stack.Describe()}",
            cancellationToken: cancellationToken);
    }

    private static async Task AssertEveryDashboardQueryHasDataAsync(MonitoringStack stack, CancellationToken cancellationToken)
    {
        var scrapeInterval = Duration.Parse(MonitoringStack.ScrapeInterval, DurationGrammar.Prometheus);
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["job"] = MonitoringStack.Job,
            ["instance"] = ".+",
            ["__interval"] = MonitoringStack.ScrapeInterval,
            // Grafana's $__rate_interval is at least four scrape intervals, so a rate always has several samples.
            ["__rate_interval"] = (4 * scrapeInterval.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s",
            ["__range"] = "1m",
        };
        var queries = MonitoringFiles.DashboardFiles().SelectMany(file => DashboardQuery.All(GrafanaDashboard.Load(file))).ToArray();
        Assert.True(queries.Length > 20, $"only {queries.Length.ToString(CultureInfo.InvariantCulture)} dashboard queries found");

        var withoutData = queries.ToList();
        await Poll.UntilAsync(
            "data for every dashboard query",
            StepTimeout,
            async token =>
            {
                foreach (var query in withoutData.ToArray())
                {
                    if ((await stack.Prometheus.QueryAsync(GrafanaVariables.Expand(query.Expression, values), token)).GetArrayLength() > 0)
                    {
                        withoutData.Remove(query);
                    }
                }
                return withoutData.Count == 0 ? queries : null;
            },
            () => "dashboard queries without data:\n" + string.Join('\n', withoutData.Select(query =>
                $"  {query.DashboardFile} {query.Source}: {GrafanaVariables.Expand(query.Expression, values)}")) + "\n" + stack.Describe(),
            cancellationToken: cancellationToken);
    }

    private static void AssertRunbookLink(ReceivedAlert alert)
    {
        var link = alert.Annotation("runbook_url");
        Assert.EndsWith($"/docs/runbooks/{alert.Name}.md", link, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(MonitoringFiles.RunbooksDirectory, alert.Name + ".md")), $"{alert}: {link} has no runbook in the repository");
    }

    /// <summary>The container IDs of the CNI portmap jumps in the dump: the winner and the one it shadows.</summary>
    private static string[] ClaimingContainers()
    {
        var dump = File.ReadAllText(RepositoryPaths.Combine("examples", "after-stop-start.legacy-ipv4.txt"));
        var ids = DnatCommentId().Matches(dump).Select(match => match.Groups["id"].Value).Distinct(StringComparer.Ordinal).ToArray();
        Assert.Equal(2, ids.Length);
        return ids;
    }

    [GeneratedRegex(@"dnat name: \\""[^\\]+\\"" id: \\""(?<id>[0-9a-f]{64})\\""")]
    private static partial Regex DnatCommentId();
}
