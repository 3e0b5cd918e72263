using System.Net;
using System.Text.Json.Nodes;

namespace NetfilterExporter.Monitoring.Tests.EndToEnd;

/// <summary>Alertmanager's HTTP API (/api/v2/alerts): what it holds, including alerts it mutes and why.</summary>
public sealed class AlertmanagerApi(HttpClient client, Uri baseAddress)
{
    /// <summary>
    /// The alerts matching every <paramref name="matchers"/> (e.g. alertname="X"), active, silenced and inhibited
    /// alike; each has status.state ("active", "suppressed") and status.inhibitedBy.
    /// </summary>
    public async Task<JsonArray> AlertsAsync(IEnumerable<string> matchers, CancellationToken cancellationToken)
    {
        var query = string.Join('&', matchers.Select(matcher => "filter=" + Uri.EscapeDataString(matcher)));
        using var response = await client.GetAsync(new Uri(baseAddress, "api/v2/alerts?" + query), cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"Alertmanager answered {(int)response.StatusCode} to the alerts of {query}: {body}");
        }
        return JsonNode.Parse(body) as JsonArray ?? throw new InvalidDataException($"Alertmanager's alerts of {query} are not a JSON list: {body}");
    }
}
