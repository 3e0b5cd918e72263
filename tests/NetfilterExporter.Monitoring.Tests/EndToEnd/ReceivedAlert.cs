using System.Globalization;

namespace NetfilterExporter.Monitoring.Tests.EndToEnd;

/// <summary>
/// One alert out of a webhook notification, with where it was delivered: Path is the URL path Alertmanager posted
/// to (/pager, /ticket) and Receiver the receiver name in the payload. Sequence numbers notifications in arrival order.
/// PayloadVersion is the notification's "version" (4 since Alertmanager 0.x), NotificationReason its
/// "notification_reason" (Alertmanager 0.32 and later; null when the payload has none).
/// </summary>
public sealed record ReceivedAlert(
    int Sequence,
    string Path,
    string Receiver,
    string PayloadVersion,
    string? NotificationReason,
    string Status,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations)
{
    public string Name => Label("alertname");

    public string Label(string name) => Labels.TryGetValue(name, out var value) ? value : "";

    public string Annotation(string name) => Annotations.TryGetValue(name, out var value) ? value : "";

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"#{Sequence} {Path} ({Receiver}) {Status} {Name}{{{string.Join(',', Labels.Where(label => label.Key != "alertname").Select(label => $"{label.Key}={label.Value}"))}}}");
}
