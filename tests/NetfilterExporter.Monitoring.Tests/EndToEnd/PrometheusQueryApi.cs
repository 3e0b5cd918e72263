using System.Net;
using System.Text.Json.Nodes;

namespace NetfilterExporter.Monitoring.Tests.EndToEnd;

/// <summary>Prometheus' HTTP query API (/api/v1/query), the way Grafana asks it for an instant value.</summary>
public sealed class PrometheusQueryApi(HttpClient client, Uri baseAddress)
{
    /// <summary>The result list of an instant query at the current time; empty when nothing matched.</summary>
    public async Task<JsonArray> QueryAsync(string promQl, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(new Uri(baseAddress, "api/v1/query?query=" + Uri.EscapeDataString(promQl)), cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"Prometheus answered {(int)response.StatusCode} to {promQl}: {body}");
        }
        return JsonNode.Parse(body)?["data"]?["result"] as JsonArray
            ?? throw new InvalidDataException($"Prometheus' answer to {promQl} has no data.result list: {body}");
    }
}
