namespace NetfilterExporter.Monitoring.Tests.Dashboards;

/// <summary>A PromQL query of a dashboard: a panel target or the selector of a label_values() variable. Source names it for messages.</summary>
public sealed record DashboardQuery(string DashboardFile, string Source, string Expression)
{
    /// <summary>A recording-rule name that says where the query comes from, e.g. dashboard:netfilter_node:panel_2:A.</summary>
    public string RecordName =>
        "dashboard:" + Sanitize(Path.GetFileNameWithoutExtension(DashboardFile)) + ":" + Sanitize(Source);

    public static IReadOnlyList<DashboardQuery> All(GrafanaDashboard dashboard)
    {
        var panelQueries = dashboard.Panels.SelectMany(panel => panel.Targets.Select(target =>
            new DashboardQuery(dashboard.FileName, $"panel_{panel.Id}_{target.RefId}", target.Expression)));
        var variableQueries = dashboard.Variables
            .Where(variable => variable.Type == "query")
            .Select(variable => (variable.Name, Selector: DashboardLinter.LabelValuesSelector(variable.Query)))
            .Where(variable => !string.IsNullOrEmpty(variable.Selector))
            .Select(variable => new DashboardQuery(dashboard.FileName, $"variable_{variable.Name}", variable.Selector!));
        return panelQueries.Concat(variableQueries).ToArray();
    }

    private static string Sanitize(string text) =>
        string.Concat(text.Select(character => char.IsAsciiLetterOrDigit(character) || character == '_' ? character : '_'));
}
