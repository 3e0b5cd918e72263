using System.Text;
using System.Text.Json;
using NetfilterExporter.Assessment;
using NetfilterExporter.Conntrack;
using NetfilterExporter.Findings;

namespace NetfilterExporter.Check;

/// <summary>
/// `check --output json`. Its field names are a contract for scripts (docs/contract.md §5), so they are written
/// here one by one: renaming a property of a domain record cannot change them.
/// </summary>
public static class CheckJsonReport
{
    public static string Render(NodeAssessment assessment)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("status", assessment.Status);
            json.WriteNumber("exitCode", (int)assessment.Health);
            json.WriteStartArray("collectors");
            foreach (var outcome in assessment.Collectors)
            {
                json.WriteStartObject();
                json.WriteString("name", outcome.Name);
                json.WriteBoolean("success", outcome.Success);
                json.WriteNumber("durationSeconds", outcome.Duration.TotalSeconds);
                json.WriteString("error", outcome.Error);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            WriteHostPorts(json, assessment);
            WriteSandboxes(json, assessment.Sandboxes);
            WriteConntrack(json, assessment.Conntrack);
            WriteFindings(json, assessment.Findings);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length) + "\n";
    }

    private static void WriteHostPorts(Utf8JsonWriter json, NodeAssessment assessment)
    {
        json.WriteStartArray("hostPorts");
        foreach (var observation in assessment.HostPorts)
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
                    var runtime = assessment.Sandboxes.Of(claim);
                    json.WriteStartObject();
                    json.WriteNumber("position", claim.Position);
                    json.WriteString("containerId", claim.ContainerId);
                    json.WriteString("network", claim.Network);
                    json.WriteString("chain", claim.Chain);
                    json.WriteString("destination", claim.Destination);
                    json.WriteNumber("packets", claim.Packets);
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

    private static void WriteSandboxes(Utf8JsonWriter json, SandboxJoin join)
    {
        if (join.Sandboxes is not { } sandboxes)
        {
            json.WriteNull("sandboxes");
            return;
        }
        json.WriteStartObject("sandboxes");
        json.WriteNumber("ready", sandboxes.Ready);
        json.WriteNumber("notready", sandboxes.NotReady);
        json.WriteEndObject();
    }

    private static void WriteConntrack(Utf8JsonWriter json, ConntrackReport? report)
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
        WriteStrings(json, "bootLoadSources", report.BootLoadSources);
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

    private static void WriteFindings(Utf8JsonWriter json, IReadOnlyList<Finding> findings)
    {
        json.WriteStartArray("findings");
        foreach (var finding in findings)
        {
            json.WriteStartObject();
            json.WriteString("id", finding.Id);
            json.WriteString("severity", finding.Severity == FindingSeverity.Critical ? "Critical" : "Warning");
            json.WriteString("summary", finding.Summary);
            WriteStrings(json, "details", finding.Details);
            json.WriteStartArray("fixes");
            foreach (var fix in finding.Fixes)
            {
                json.WriteStartObject();
                json.WriteString("description", fix.Description);
                WriteStrings(json, "commands", fix.Commands);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }
        json.WriteEndArray();
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
