using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NetfilterExporter.Monitoring.Tests.EndToEnd;

/// <summary>
/// The pager and ticket systems of the end-to-end test: an <see cref="HttpReceiver"/> on the namespace's loopback
/// whose requests are read as Alertmanager webhook notifications.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly HttpReceiver receiver;

    private WebhookReceiver(HttpReceiver receiver) => this.receiver = receiver;

    public Uri BaseAddress => receiver.BaseAddress;

    /// <summary>How many notifications arrived so far; the next one gets this number as its Sequence.</summary>
    public int NotificationCount => Read().Notifications;

    public IReadOnlyList<ReceivedAlert> Alerts => Read().Alerts;

    /// <summary>Requests that could not be read as a notification; a test reports them when it fails.</summary>
    public IReadOnlyList<string> Problems => Read().Problems;

    /// <summary>Listens on an ephemeral port of <paramref name="inside"/>'s loopback.</summary>
    public static async Task<WebhookReceiver> StartAsync(NetworkNamespace inside, CancellationToken cancellationToken) =>
        new(await HttpReceiver.StartAsync(inside: inside, cancellationToken: cancellationToken));

    public string Describe()
    {
        var (_, alerts, problems) = Read();
        var text = new StringBuilder("received alerts:\n");
        foreach (var alert in alerts)
        {
            text.Append("  ").Append(alert).Append('\n');
        }
        foreach (var problem in problems)
        {
            text.Append("  problem: ").Append(problem).Append('\n');
        }
        return text.ToString();
    }

    public ValueTask DisposeAsync() => receiver.DisposeAsync();

    /// <summary>Every request so far read as a notification; only those that are one count in the sequence.</summary>
    private (int Notifications, IReadOnlyList<ReceivedAlert> Alerts, IReadOnlyList<string> Problems) Read()
    {
        var alerts = new List<ReceivedAlert>();
        var problems = new List<string>();
        var sequence = 0;
        foreach (var request in receiver.Requests)
        {
            try
            {
                alerts.AddRange(Notification(sequence, request));
                sequence++;
            }
            catch (Exception exception) when (exception is InvalidDataException or JsonException)
            {
                problems.Add(exception.Message);
            }
        }
        return (sequence, alerts, problems);
    }

    private static List<ReceivedAlert> Notification(int sequence, ReceivedHttpRequest request)
    {
        if (request.Method != "POST")
        {
            throw new InvalidDataException($"{request.Method} {request.Path}: webhooks must be POSTed");
        }
        var payload = JsonNode.Parse(request.Body) as JsonObject
            ?? throw new InvalidDataException($"POST {request.Path}: the body is not a JSON object: {request.Body}");
        var receiver = (string?)payload["receiver"] ?? throw new InvalidDataException($"POST {request.Path}: no 'receiver' in {request.Body}");
        var posted = payload["alerts"] as JsonArray ?? throw new InvalidDataException($"POST {request.Path}: no 'alerts' array in {request.Body}");
        var version = (string?)payload["version"] ?? throw new InvalidDataException($"POST {request.Path}: no 'version' in {request.Body}");
        var reason = (string?)payload["notification_reason"];
        return [.. posted.OfType<JsonObject>().Select(alert => new ReceivedAlert(
            sequence,
            request.Path,
            receiver,
            version,
            reason,
            (string?)alert["status"] ?? "",
            Strings(alert["labels"]),
            Strings(alert["annotations"])))];
    }

    private static Dictionary<string, string> Strings(JsonNode? node) =>
        (node as JsonObject ?? []).ToDictionary(pair => pair.Key, pair => (string?)pair.Value ?? "", StringComparer.Ordinal);
}
