using System.Text.Json.Nodes;

namespace NetfilterExporter.Monitoring.Tests.Dashboards;

/// <summary>
/// A Grafana dashboard in the classic JSON model, read with JsonNode (no reflection). Keeps the raw
/// document for rules that look at keys the typed view does not model.
/// </summary>
public sealed class GrafanaDashboard
{
    private GrafanaDashboard(string fileName, JsonObject root)
    {
        FileName = fileName;
        Root = root;
        Panels = Flatten(root["panels"] as JsonArray).ToArray();
        Variables = ((root["templating"] as JsonObject)?["list"] as JsonArray ?? []).OfType<JsonObject>().Select(ReadVariable).ToArray();
        Links = (root["links"] as JsonArray ?? []).OfType<JsonObject>().Select(ReadLink).ToArray();
    }

    public string FileName { get; }

    public JsonObject Root { get; }

    public string Uid => Text(Root, "uid") ?? "";

    public string Title => Text(Root, "title") ?? "";

    public IReadOnlyList<DashboardPanel> Panels { get; }

    public IReadOnlyList<DashboardVariable> Variables { get; }

    public IReadOnlyList<DashboardLink> Links { get; }

    public static GrafanaDashboard Load(string path)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (System.Text.Json.JsonException exception)
        {
            throw new InvalidDataException($"{path}: not valid JSON (line {exception.LineNumber + 1}): {exception.Message}", exception);
        }
        return node is JsonObject root
            ? new GrafanaDashboard(Path.GetFileName(path), root)
            : throw new InvalidDataException($"{path}: the top level must be a JSON object");
    }

    public static GrafanaDashboard Parse(string fileName, string json) =>
        new(fileName, JsonNode.Parse(json) as JsonObject ?? throw new InvalidDataException($"{fileName}: the top level must be a JSON object"));

    private static IEnumerable<DashboardPanel> Flatten(JsonArray? panels)
    {
        foreach (var panel in (panels ?? []).OfType<JsonObject>())
        {
            yield return ReadPanel(panel);
            foreach (var nested in Flatten(panel["panels"] as JsonArray))
            {
                yield return nested;
            }
        }
    }

    private static DashboardPanel ReadPanel(JsonObject panel) => new(
        (int?)panel["id"] ?? 0,
        Text(panel, "type") ?? "",
        Text(panel, "title") ?? "",
        Text(panel, "description") ?? "",
        DatasourceUid(panel),
        Text(((panel["fieldConfig"] as JsonObject)?["defaults"] as JsonObject) ?? [], "unit"),
        (panel["targets"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(target => new DashboardTarget(Text(target, "refId") ?? "", Text(target, "expr") ?? "", DatasourceUid(target)))
            .ToArray(),
        (panel["links"] as JsonArray ?? []).OfType<JsonObject>().Select(ReadLink).ToArray());

    private static DashboardVariable ReadVariable(JsonObject variable) => new(
        Text(variable, "name") ?? "",
        Text(variable, "label") ?? "",
        Text(variable, "type") ?? "",
        variable["query"] is JsonObject query ? Text(query, "query") ?? "" : Text(variable, "query") ?? "",
        DatasourceUid(variable),
        (bool?)variable["multi"] ?? false,
        (bool?)variable["includeAll"] ?? false,
        Text(variable, "allValue"),
        (int?)variable["refresh"] ?? 0);

    private static DashboardLink ReadLink(JsonObject link) => new(Text(link, "title") ?? "", Text(link, "url") ?? "");

    private static string? DatasourceUid(JsonObject owner) => owner["datasource"] switch
    {
        JsonObject datasource => Text(datasource, "uid"),
        JsonValue name => name.ToString(),
        _ => null,
    };

    private static string? Text(JsonObject owner, string key) =>
        owner[key] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
