using System.Globalization;
using System.Text;
using System.Text.Json;
using NetfilterExporter.Collection;
using NetfilterExporter.Configuration;
using NetfilterExporter.Findings;
using NetfilterExporter.Reporting;
using Prometheus;

namespace NetfilterExporter.Cri;

/// <summary>
/// The container runtime's sandboxes: their metrics and `check` sections. Its verdicts on claims are the runtime join's,
/// in the host port findings; this part says how many sandboxes there are, and what goes unchecked without a runtime.
/// </summary>
/// <param name="sandboxes">Null when no runtime was asked or it did not answer.</param>
/// <param name="claimsExist">Whether any host port claim was read: only then does an unasked runtime leave something unchecked.</param>
/// <param name="asked">How the <c>cri</c> collector did; null when it did not run, so the runtime was not asked.</param>
public sealed class RuntimeSection(PodSandboxes? sandboxes, bool claimsExist, CollectorOutcome? asked = null) : SourceReport<PodSandboxes>
{
    public override IReadOnlyList<Finding> Findings => [];

    public override string HealthyClause => sandboxes is not null
        ? "no claim belongs to a stopped pod"
        : "(the container runtime was not asked, so a claim of a stopped pod cannot be seen)";

    // Says why no runtime judged the claims: a runtime that was asked and failed is not one that was never asked.
    public override string? Caveat => sandboxes is not null || !claimsExist ? null
        : asked is { Success: false }
            ? "The container runtime was asked and did not answer (the cri collector failed, see above), so every claim is \"unknown\": a claim of a pod that no longer runs cannot be told from a live one."
            : $"The container runtime was not asked (no socket found by --{Flags.CriEndpoint}=auto, --{Flags.CriEndpoint}=none, --no-collector.cri, or saved dumps, which auto does not judge by this machine's runtime), so every claim is \"unknown\": a claim of a pod that no longer runs cannot be told from a live one.";

    protected override void WriteMetrics(PodSandboxes result, IMetricFactory metrics)
    {
        var gauge = metrics.CreateGauge("netfilter_cri_sandboxes",
            "Pod sandboxes the container runtime lists (CRI ListPodSandbox), by state: ready, or notready (stopped, its pod not running).", ["state"]);
        gauge.WithLabels("ready").Set(result.Ready);
        gauge.WithLabels("notready").Set(result.NotReady);
    }

    /// <summary>Written in every snapshot, asked or not, so that an alert can tell a check switched off from a node without claims.</summary>
    public override void WriteMetrics(IMetricFactory metrics) =>
        metrics.CreateGauge("netfilter_hostport_stale_claim_check_off",
                "1 when no container runtime was asked in the last collection (none found by --cri.endpoint=auto, none, --no-collector.cri, or the cri collector failed): every claim's state is unknown and a claim of a pod that is gone cannot be called stale.")
            .Set(sandboxes is null ? 1 : 0);

    public override void WriteText(StringBuilder text)
    {
        if (sandboxes is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"\nContainer runtime: {sandboxes.Ready} sandbox(es) ready, {sandboxes.NotReady} not ready\n");
        }
    }

    /// <summary>Always written: without a runtime every state in the host port table is "unknown", and this says why.</summary>
    public override void WriteHtml(StringBuilder html)
    {
        html.Append("<section aria-labelledby=\"runtime\"><h2 id=\"runtime\">Container runtime</h2>\n<p>")
            .Append(sandboxes is not null
                ? string.Create(CultureInfo.InvariantCulture, $"{sandboxes.Ready} pod sandbox(es) ready, {sandboxes.NotReady} not ready (CRI ListPodSandbox).")
                : asked is { Success: false }
                    ? "The runtime was asked and did not answer (see Collectors), so every claim's state is unknown."
                    : "The runtime was not asked in this collection (none found, none configured, or saved dumps), so every claim's state is unknown.")
            .Append("</p></section>\n");
    }

    public override void WriteJson(Utf8JsonWriter json)
    {
        if (sandboxes is null)
        {
            json.WriteNull("sandboxes");
            return;
        }
        json.WriteStartObject("sandboxes");
        json.WriteNumber("ready", sandboxes.Ready);
        json.WriteNumber("notready", sandboxes.NotReady);
        json.WriteEndObject();
    }
}
