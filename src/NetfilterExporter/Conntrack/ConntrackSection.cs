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
