using System.Text;
using System.Text.Json;
using NetfilterExporter.Findings;
using NetfilterExporter.Reporting;
using Prometheus;

namespace NetfilterExporter.MicroK8s;

/// <summary>The MicroK8s build: its metrics, findings and `check` sections. Null without MicroK8s or when it could not be read.</summary>
/// <param name="claimedPorts">The host ports claimed now, from the host port join.</param>
public sealed class MicroK8sSection(MicroK8sBuild? build, IReadOnlyList<string> claimedPorts) : SourceReport<MicroK8sBuild>
{
    public override IReadOnlyList<Finding> Findings { get; } = build is null ? [] : MicroK8sFindings.Detect(build, claimedPorts).ToList();

    public override string? HealthyClause => build is null ? null : $"MicroK8s {build.Version}'s stop / start leaves no stale hostPort rules";

    protected override void WriteMetrics(MicroK8sBuild result, IMetricFactory metrics) => MicroK8sMetrics.Write(result, metrics);

    public override void WriteText(StringBuilder text)
    {
        if (build is not null)
        {
            text.Append($"\nMicroK8s: {build.Version} (revision {build.Revision}, {build.Confinement}); next stop/start leaves stale hostPort rules: {YesNo.Of(build.StopLeavesStaleRules)}; kubelite loads nf_conntrack: {YesNo.Of(build.KubeliteModprobesConntrack)}\n");
        }
    }

    public override void WriteHtml(StringBuilder html)
    {
        if (build is null)
        {
            return;
        }
        html.Append("<section aria-labelledby=\"microk8s\"><h2 id=\"microk8s\">MicroK8s</h2>\n<dl class=\"facts\">")
            .Append("<dt>Build</dt><dd>").Append(Html.Encode($"{build.Version} (revision {build.Revision}, {build.Confinement})")).Append("</dd>")
            .Append("<dt>Next stop/start leaves stale hostPort rules</dt><dd class=\"").Append(build.StopLeavesStaleRules ? "warning" : "ok").Append("\">")
            .Append(YesNo.Of(build.StopLeavesStaleRules)).Append("</dd>")
            .Append("<dt>kubelite loads nf_conntrack</dt><dd>").Append(YesNo.Of(build.KubeliteModprobesConntrack)).Append("</dd>")
            .Append("</dl></section>\n");
    }

    public override void WriteJson(Utf8JsonWriter json)
    {
        if (build is null)
        {
            json.WriteNull("microk8s");
            return;
        }
        json.WriteStartObject("microk8s");
        json.WriteString("version", build.Version);
        json.WriteString("revision", build.Revision);
        json.WriteString("confinement", build.Confinement);
        json.WriteBoolean("stopRemovesContainers", build.StopRemovesContainers);
        json.WriteString("hostPortFlush", build.Flush switch
        {
            HostPortFlush.AsRoot => "root",
            HostPortFlush.AsCaller => "caller",
            _ => "none",
        });
        json.WriteBoolean("portmapWritesNftables", build.PortmapWritesNftables);
        json.WriteBoolean("stopLeavesStaleRules", build.StopLeavesStaleRules);
        json.WriteBoolean("kubeliteLoadsConntrack", build.KubeliteModprobesConntrack);
        json.WriteEndObject();
    }
}
