using System.Text;
using System.Text.Json;
using NetfilterExporter.Assessment;
using NetfilterExporter.Findings;
using NetfilterExporter.Instrumentation;

namespace NetfilterExporter.Check;

/// <summary>
/// `check --output json`. Its field names are a contract for scripts (docs/contract.md §5), so they are written
/// here one by one: renaming a property of a domain record cannot change them.
/// </summary>
public static class CheckJsonReport
{
    /// <summary>The shape's version: raised when a field changes meaning or goes away, not when one is added.</summary>
    public const int Schema = 1;

    public static string Render(NodeAssessment assessment)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("schema", Schema);
            json.WriteString("status", StatusValue(assessment));
            json.WriteString("statusText", assessment.Status);
            json.WriteNumber("exitCode", (int)assessment.Health);
            json.WriteString("node", assessment.Snapshot.Node);
            json.WriteString("collectedAt", assessment.CollectedAt.UtcDateTime);
            json.WriteString("version", BuildInfo.FromAssembly().Version);
            json.WriteStartArray("collectors");
            foreach (var outcome in assessment.Collectors)
            {
                json.WriteStartObject();
                json.WriteString("name", outcome.Name);
                json.WriteBoolean("success", outcome.Success);
                json.WriteNumber("durationSeconds", outcome.Duration.TotalSeconds);
                json.WriteString("error", outcome.Error);
                json.WriteString("source", outcome.Source);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            foreach (var part in assessment.Parts)
            {
                part.WriteJson(json);
            }
            WriteFindings(json, assessment.Findings);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length) + "\n";
    }

    private static void WriteFindings(Utf8JsonWriter json, IReadOnlyList<Finding> findings)
    {
        json.WriteStartArray("findings");
        foreach (var finding in findings)
        {
            json.WriteStartObject();
            json.WriteString("id", finding.Id);
            // The same word as the alert's severity label.
            json.WriteString("severity", finding.Severity == FindingSeverity.Critical ? "critical" : "warning");
            json.WriteString("summary", finding.Summary);
            json.WriteStartArray("ports");
            foreach (var port in finding.Ports)
            {
                // Named as the alerts' labels, so a script can match a finding with its alert.
                json.WriteStartObject();
                json.WriteString("backend", port.Backend);
                json.WriteString("family", port.Family);
                json.WriteString("protocol", port.Protocol);
                json.WriteString("host_ip", port.HostIp);
                json.WriteNumber("port", port.Port);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            WriteStrings(json, "details", finding.Details);
            json.WriteStartArray("fixes");
            foreach (var fix in finding.Fixes)
            {
                json.WriteStartObject();
                json.WriteString("kind", fix.Kind switch
                {
                    FixKind.Step => "step",
                    FixKind.Prevention => "prevention",
                    _ => "alternative",
                });
                json.WriteString("description", fix.Description);
                WriteStrings(json, "commands", fix.Commands);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    /// <summary>One of four fixed values a script can switch on; <c>statusText</c> keeps the sentence for people.</summary>
    private static string StatusValue(NodeAssessment assessment) => assessment.Health switch
    {
        NodeHealth.Healthy => assessment.NothingToCheck ? "nothing_to_check" : "healthy",
        NodeHealth.FindingsPresent => "findings",
        _ => "unknown",
    };

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }
        json.WriteEndArray();
    }
}
