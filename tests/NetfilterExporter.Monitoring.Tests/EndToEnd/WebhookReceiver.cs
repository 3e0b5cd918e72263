using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NetfilterExporter.Monitoring.Tests.EndToEnd;

/// <summary>
/// The pager and ticket systems of the end-to-end test: an HTTP endpoint on the namespace's loopback that
/// records every Alertmanager webhook notification. Connections are served one at a time and closed after the
/// answer, so nothing is left running when it is disposed.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private static readonly TimeSpan ConnectionTimeout = TimeSpan.FromSeconds(10);
    private readonly Socket listener;
    private readonly CancellationTokenSource stopping = new();
    private readonly List<ReceivedAlert> alerts = [];
    private readonly List<string> problems = [];
    private readonly Task serving;
    private int notificationCount;

    private WebhookReceiver(Socket listener)
    {
        this.listener = listener;
        BaseAddress = new UriBuilder("http", "127.0.0.1", ((IPEndPoint)listener.LocalEndPoint!).Port).Uri;
        serving = ServeAsync(stopping.Token);
    }

    public Uri BaseAddress { get; }

    /// <summary>How many notifications arrived so far; the next one gets this number as its Sequence.</summary>
    public int NotificationCount
    {
        get
        {
            lock (alerts)
            {
                return notificationCount;
            }
        }
    }

    public IReadOnlyList<ReceivedAlert> Alerts
    {
        get
        {
            lock (alerts)
            {
                return alerts.ToArray();
            }
        }
    }

    /// <summary>Requests that could not be read or parsed; a test reports them when it fails.</summary>
    public IReadOnlyList<string> Problems
    {
        get
        {
            lock (alerts)
            {
                return problems.ToArray();
            }
        }
    }

    /// <summary>Listens on an ephemeral port of <paramref name="inside"/>'s loopback.</summary>
    public static WebhookReceiver Start(NetworkNamespace inside)
    {
        var listener = inside.CreateSocketInside(AddressFamily.InterNetwork);
        try
        {
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen();
        }
        catch
        {
            listener.Dispose();
            throw;
        }
        return new WebhookReceiver(listener);
    }

    public string Describe()
    {
        var text = new StringBuilder("received alerts:\n");
        foreach (var alert in Alerts)
        {
            text.Append("  ").Append(alert).Append('\n');
        }
        foreach (var problem in Problems)
        {
            text.Append("  problem: ").Append(problem).Append('\n');
        }
        if (serving.IsFaulted)
        {
            text.Append("  the receiver stopped: ").Append(serving.Exception).Append('\n');
        }
        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        try
        {
            await serving;
        }
        catch (OperationCanceledException)
        {
            // Stopped while waiting for a connection.
        }
        listener.Dispose();
        stopping.Dispose();
    }

    private async Task ServeAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            using var connection = await listener.AcceptAsync(cancellationToken);
            await using var stream = new NetworkStream(connection, ownsSocket: false);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ConnectionTimeout);
            try
            {
                var request = await HttpRequestReader.ReadAsync(stream, timeout.Token);
                Record(request);
                await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), timeout.Token);
            }
            catch (Exception exception) when (exception is InvalidDataException or JsonException or IOException
                || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                lock (alerts)
                {
                    problems.Add(exception.Message);
                }
            }
        }
    }

    private void Record(ReceivedHttpRequest request)
    {
        if (request.Method != "POST")
        {
            throw new InvalidDataException($"{request.Method} {request.Path}: webhooks must be POSTed");
        }
        var payload = JsonNode.Parse(request.Body) as JsonObject
            ?? throw new InvalidDataException($"POST {request.Path}: the body is not a JSON object: {request.Body}");
        var receiver = (string?)payload["receiver"] ?? throw new InvalidDataException($"POST {request.Path}: no 'receiver' in {request.Body}");
        var posted = payload["alerts"] as JsonArray ?? throw new InvalidDataException($"POST {request.Path}: no 'alerts' array in {request.Body}");
        lock (alerts)
        {
            var sequence = notificationCount++;
            foreach (var alert in posted.OfType<JsonObject>())
            {
                alerts.Add(new ReceivedAlert(
                    sequence,
                    request.Path,
                    receiver,
                    (string?)alert["status"] ?? "",
                    Strings(alert["labels"]),
                    Strings(alert["annotations"])));
            }
        }
    }

    private static Dictionary<string, string> Strings(JsonNode? node) =>
        (node as JsonObject ?? []).ToDictionary(pair => pair.Key, pair => (string?)pair.Value ?? "", StringComparer.Ordinal);
}
