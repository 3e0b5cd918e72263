using System.Globalization;
using System.Text;
using System.Text.Json;
using NetfilterExporter.Findings;
using NetfilterExporter.Iptables;
using NetfilterExporter.Reporting;
using Prometheus;

namespace NetfilterExporter.HostPorts;

/// <summary>
/// The host port claims of every nat table read (one observation per backend and family), with each claim's state
/// from the runtime join: their metrics, findings and `check` sections.
/// </summary>
/// <param name="microK8sVersion">The node's MicroK8s version, for the upgrade's track; null when no build was read.</param>
public sealed class HostPortsReport(IReadOnlyList<HostPortObservation> observations, IClaimJudge claims, string? microK8sVersion = null) : SourceReport<HostPortObservation>
{
    public override IReadOnlyList<Finding> Findings { get; } =
        observations.SelectMany(observation => HostPortFindings.Detect(observation, claims, MicroK8sUpgrade.For(microK8sVersion))).ToList();

    public override string HealthyClause => "every host port has one DNAT claim";

    protected override void WriteMetrics(HostPortObservation result, IMetricFactory metrics) => HostPortMetrics.Write(result, claims, metrics);

    public override void WriteText(StringBuilder text)
    {
        var ports = Ports();
        if (ports.Count == 0)
        {
            return;
        }
        text.Append("\nHost ports (DNAT claims in the order the kernel evaluates them, first wins):\n");
        foreach (var (source, port) in ports)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {source} {port.Key.Describe()}: ");
            text.Append(string.Join(", then ", port.Claims.Select(claim =>
                $"{claim.Destination} ({Owner(claim)}, {claim.CountedPackets("pkts")})")));
            text.Append(claims.Of(port.Winner).State == ClaimState.Stale ? "   <-- STALE WINNER\n"
                : port.Claims.Count > 1 ? "   <-- DUPLICATE\n" : "\n");
        }
    }

    /// <summary>
    /// One row per host port with its winner, as `check`'s host port lines: the same marks, so a person finds the
    /// port a finding names. Every claim is in the findings' details; the winner is what traffic meets.
    /// </summary>
    public override void WriteHtml(StringBuilder html)
    {
        var ports = Ports();
        if (ports.Count == 0)
        {
            return;
        }
        html.Append("<section aria-labelledby=\"host-ports\"><h2 id=\"host-ports\">Host ports</h2>\n")
            .Append("<p>DNAT claims per host port. The kernel evaluates them in order and the first one, the winner, takes the traffic.</p>\n")
            .Append("<table class=\"host-ports\"><thead><tr><th scope=\"col\">Port</th><th scope=\"col\">Table</th><th scope=\"col\">Claims</th>")
            .Append("<th scope=\"col\">Winner</th><th scope=\"col\">Winner's state</th><th scope=\"col\">Problem</th></tr></thead>\n<tbody>\n");
        foreach (var (source, port) in ports)
        {
            var winner = port.Winner;
            var runtime = claims.Of(winner);
            var sandbox = "sandbox " + ContainerIds.Short(winner.ContainerId);
            var (problem, problemClass) = runtime.State == ClaimState.Stale ? ("stale winner", "critical")
                : port.Claims.Count > 1 ? ("duplicate", "warning")
                : ("none", "");
            // data-label names each cell where a narrow screen shows the row as lines instead of columns.
            html.Append("<tr><th scope=\"row\">").Append(Html.Encode(port.Key.Describe()))
                .Append("</th><td data-label=\"Table\">").Append(Html.Encode(source.ToString()))
                .Append("</td><td data-label=\"Claims\">").Append(port.Claims.Count.ToString(CultureInfo.InvariantCulture))
                .Append("</td><td data-label=\"Winner\" class=\"long\">").Append(Html.Encode(runtime.Pod ?? sandbox)).Append("<br><span class=\"sub\">")
                .Append(Html.Encode((runtime.Pod is null ? "" : sandbox + " ") + $"→ {winner.Destination}, {winner.CountedPackets()}"))
                .Append("</span></td><td data-label=\"Winner's state\" class=\"state-").Append(runtime.StateLabel).Append("\">").Append(runtime.StateLabel)
                .Append("</td><td data-label=\"Problem\"").Append(problemClass.Length > 0 ? $" class=\"{problemClass}\"><strong>{problem}</strong>" : $">{problem}")
                .Append("</td></tr>\n");
        }
        html.Append("</tbody></table></section>\n");
    }

    public override void WriteJson(Utf8JsonWriter json)
    {
        json.WriteStartArray("hostPorts");
        foreach (var observation in observations)
        {
            foreach (var port in observation.Report.Ports)
            {
                json.WriteStartObject();
                json.WriteString("backend", observation.Source.BackendLabel);
                json.WriteString("family", observation.Source.FamilyLabel);
                json.WriteString("protocol", port.Key.Protocol);
                json.WriteString("hostIp", port.Key.HostIp);
                json.WriteNumber("port", port.Key.Port);
                json.WriteStartArray("claims");
                foreach (var claim in port.Claims)
                {
                    var runtime = claims.Of(claim);
                    json.WriteStartObject();
                    json.WriteNumber("position", claim.Position);
                    json.WriteString("containerId", claim.ContainerId);
                    json.WriteString("network", claim.Network);
                    json.WriteString("chain", claim.Chain);
                    json.WriteString("destination", claim.Destination);
                    if (claim.Packets is { } packets)
                    {
                        json.WriteNumber("packets", packets);
                    }
                    else
                    {
                        json.WriteNull("packets");
                    }
                    json.WriteString("state", runtime.StateLabel);
                    json.WriteString("podNamespace", runtime.PodNamespace);
                    json.WriteString("podName", runtime.PodName);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
        }
        json.WriteEndArray();
    }

    private List<(RuleSource Source, HostPortClaims Port)> Ports() =>
        observations.SelectMany(observation => observation.Report.Ports.Select(port => (observation.Source, Port: port))).ToList();

    /// <summary>
    /// "default/ingress 4b42590d177e, stale": the pod when the runtime lists it, the sandbox id and the state always; an
    /// "unknown" is explained by the runtime's caveat printed with it.
    /// </summary>
    private string Owner(HostPortClaim claim)
    {
        var runtime = claims.Of(claim);
        var id = ContainerIds.Short(claim.ContainerId);
        return (runtime.Pod is { } pod ? $"{pod} {id}" : id) + $", {runtime.StateLabel}";
    }
}
