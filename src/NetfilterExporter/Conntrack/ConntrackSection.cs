using System.Globalization;
using System.Text;
using System.Text.Json;
using NetfilterExporter.Findings;
using NetfilterExporter.Reporting;
using Prometheus;

namespace NetfilterExporter.Conntrack;

/// <summary>nf_conntrack now and after the next reboot: its metrics, findings and `check` sections. Null when the probe failed.</summary>
public sealed class ConntrackSection(ConntrackReport? report) : SourceReport<ConntrackReport>
{
    public override IReadOnlyList<Finding> Findings { get; } = report is null ? [] : ConntrackFindings.Detect(report).ToList();

    public override string? HealthyClause => report is null ? null : "nf_conntrack is present now and at boot";

    // The report as assessed (a boot-load source another source adds counts), not the probe's raw one.
    protected override void WriteMetrics(ConntrackReport result, IMetricFactory metrics) => ConntrackMetrics.Write(report ?? result, metrics);

    public override void WriteText(StringBuilder text)
    {
        if (report is null)
        {
            return;
        }
        text.Append(CultureInfo.InvariantCulture,
            $"\nnf_conntrack on this machine: loaded {YesNo.Of(report.ModuleLoaded)}, built in {YesNo.Of(report.ModuleBuiltIn)}, nf_conntrack_max present {YesNo.Of(report.SysctlPresent)}, loads at boot {YesNo.Of(report.BootLoadConfigured)}");
        text.Append(report.BootLoadSources.Count > 0 ? $" ({string.Join(", ", report.BootLoadSources)})\n" : "\n");
    }

    /// <summary>nf_conntrack now and at the next boot, and what loads or stops it then: the two halves kubelite needs.</summary>
    public override void WriteHtml(StringBuilder html)
    {
        if (report is null)
        {
            return;
        }
        var now = !report.SysctlPresent ? "not usable: nf_conntrack_max is missing, so kube-proxy in kubelite cannot start"
            : (report.ModuleBuiltIn ? "loaded (built into the kernel)" : "loaded")
              + (report is { Entries: { } entries, Limit: { } limit } ? string.Create(CultureInfo.InvariantCulture, $", {entries} of {limit} entries in use") : "");
        var atBoot = report.ModuleBuiltIn ? "present (built into the kernel)"
            : report.BootLoadConfigured ? "loaded"
            : report.BootLoadSources.Count > 0 ? "not loaded: what lists it is defeated (see Blacklisted)"
            : "not loaded: nothing lists it";
        html.Append("<section aria-labelledby=\"conntrack\"><h2 id=\"conntrack\">nf_conntrack</h2>\n<dl class=\"facts\">")
            .Append("<dt>Now</dt><dd class=\"").Append(report.SysctlPresent ? "ok" : "critical").Append("\">").Append(Html.Encode(now)).Append("</dd>")
            .Append("<dt>At the next boot</dt><dd class=\"").Append(report.BootLoadConfigured ? "ok" : "warning").Append("\">").Append(Html.Encode(atBoot)).Append("</dd>")
            .Append("<dt>Listed for boot in</dt><dd>")
            .Append(Html.Encode(report.BootLoadSources.Count > 0 ? string.Join(", ", report.BootLoadSources) : "nothing")).Append("</dd>");
        if (report.Blacklist.Count > 0)
        {
            html.Append("<dt>Blacklisted</dt><dd>").Append(Html.Encode(string.Join("; ", report.Blacklist.Select(entry =>
                $"{entry.Location}: {entry.Text}" + (entry.GoneAfterReboot ? " (gone after a reboot)" : ""))))).Append("</dd>");
        }
        html.Append("</dl></section>\n");
    }

    public override void WriteJson(Utf8JsonWriter json)
    {
        if (report is null)
        {
            json.WriteNull("conntrack");
            return;
        }
        json.WriteStartObject("conntrack");
        json.WriteBoolean("moduleLoaded", report.ModuleLoaded);
        json.WriteBoolean("moduleBuiltIn", report.ModuleBuiltIn);
        json.WriteBoolean("sysctlPresent", report.SysctlPresent);
        json.WriteBoolean("bootLoadConfigured", report.BootLoadConfigured);
        json.WriteStartArray("bootLoadSources");
        foreach (var source in report.BootLoadSources)
        {
            json.WriteStringValue(source);
        }
        json.WriteEndArray();
        json.WriteStartArray("blacklist");
        foreach (var entry in report.Blacklist)
        {
            json.WriteStartObject();
            json.WriteString("source", entry.Source);
            WriteOptionalNumber(json, "line", entry.Line);
            json.WriteString("text", entry.Text);
            json.WriteString("kind", entry.KindName);
            json.WriteBoolean("stopsManualModprobe", entry.StopsManualModprobe);
            json.WriteBoolean("goneAfterReboot", entry.GoneAfterReboot);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteBoolean("manualModprobeWorks", report.ManualModprobeWorks);
        WriteOptionalNumber(json, "entries", report.Entries);
        WriteOptionalNumber(json, "limit", report.Limit);
        json.WriteEndObject();
    }

    private static void WriteOptionalNumber(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
