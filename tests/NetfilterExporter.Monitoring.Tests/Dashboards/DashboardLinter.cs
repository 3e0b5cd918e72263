using System.Collections.Frozen;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NetfilterExporter.Monitoring.Tests.PromQl;

namespace NetfilterExporter.Monitoring.Tests.Dashboards;

/// <summary>
/// The rules of grafana/dashboard-linter (ecosystem.md §6; the linter binary cannot be fetched here),
/// plus the provisioning rules of issue 3: datasource variable instead of __inputs, stable uid, runbook links.
/// Query syntax is left to promtool (DashboardQueryRuleFile).
/// </summary>
public static partial class DashboardLinter
{
    private static readonly FrozenSet<string> TemplatedDatasource = FrozenSet.Create(StringComparer.Ordinal, "$datasource", "${datasource}");

    private static readonly FrozenSet<string> GrafanaGlobals = FrozenSet.Create(StringComparer.Ordinal, "__rate_interval", "__interval", "__range");

    private static readonly FrozenSet<string> PanelsWithoutQueries = FrozenSet.Create(StringComparer.Ordinal, "row", "text", "dashlist", "news");

    public static IReadOnlyList<LintProblem> Lint(GrafanaDashboard dashboard)
    {
        var problems = new List<LintProblem>();
        LintDashboard(dashboard, problems);
        LintVariables(dashboard, problems);
        foreach (var panel in dashboard.Panels.Where(panel => !PanelsWithoutQueries.Contains(panel.Type)))
        {
            LintPanel(dashboard, panel, problems);
            foreach (var target in panel.Targets)
            {
                LintTarget(dashboard, panel, target, problems);
            }
        }
        return problems;
    }

    private static void LintDashboard(GrafanaDashboard dashboard, List<LintProblem> problems)
    {
        var where = dashboard.FileName;
        void Report(string rule, string message) => problems.Add(new LintProblem(rule, where, message));

        if (dashboard.Root["editable"] is not JsonValue editable || !editable.TryGetValue<bool>(out var isEditable) || isEditable)
        {
            Report("uneditable-dashboard", "set \"editable\": false");
        }
        if (!UidPattern().IsMatch(dashboard.Uid))
        {
            Report("stable-uid", $"uid '{dashboard.Uid}' must be 8-40 characters of [a-zA-Z0-9_-]");
        }
        if (dashboard.Root.ContainsKey("__inputs") || dashboard.Root.ToJsonString().Contains("${DS_", StringComparison.Ordinal))
        {
            Report("provisioning-datasource", "export-for-sharing format (__inputs / ${DS_...}) breaks file provisioning; use the datasource variable");
        }
        if ((int?)dashboard.Root["schemaVersion"] is not (>= 39 and <= 41))
        {
            Report("schema-version", "schemaVersion must be 39-41");
        }
        if (dashboard.Title.Length == 0 || dashboard.Root["tags"] is not JsonArray { Count: > 0 })
        {
            Report("dashboard-metadata", "needs a title and tags");
        }
        if (!dashboard.Links.Any(link => link.Title.StartsWith("Runbook", StringComparison.Ordinal) && link.Url.Length > 0))
        {
            Report("runbook-links", "needs a dashboard link to the runbooks");
        }
        foreach (var duplicate in dashboard.Panels.GroupBy(panel => panel.Id).Where(group => group.Count() > 1))
        {
            Report("unique-panel-ids", $"panel id {duplicate.Key} is used {duplicate.Count()} times");
        }
    }

    private static void LintVariables(GrafanaDashboard dashboard, List<LintProblem> problems)
    {
        void Report(string rule, string message) => problems.Add(new LintProblem(rule, dashboard.FileName, message));

        var datasources = dashboard.Variables.Where(variable => variable.Type == "datasource").ToArray();
        if (datasources is not [{ Name: "datasource", Label: "Data source", Query: "prometheus" }])
        {
            Report("template-datasource-rule", "needs exactly one datasource variable named 'datasource', labelled 'Data source', with query 'prometheus'");
        }
        foreach (var (name, label) in new[] { ("job", "Job"), ("instance", "Instance") })
        {
            var variable = dashboard.Variables.FirstOrDefault(variable => variable.Name == name);
            var rule = $"template-{name}-rule";
            if (variable is null)
            {
                Report(rule, $"is missing the {name} variable");
                continue;
            }
            if (variable.Type != "query" || !TemplatedDatasource.Contains(variable.DatasourceUid ?? ""))
            {
                Report(rule, $"{name} must be a query variable on the datasource variable");
            }
            if (variable.Label != label || !variable.Multi || !variable.IncludeAll || variable.AllValue != ".+")
            {
                Report(rule, $"{name} must be labelled '{label}', multi-select, include All, with allValue '.+'");
            }
        }
        if (dashboard.Variables.FirstOrDefault(variable => variable.Name == "instance") is { } instance
            && !instance.Query.Contains("job=~\"$job\"", StringComparison.Ordinal))
        {
            Report("template-instance-rule", "the instance variable must be filtered by job=~\"$job\"");
        }
        foreach (var variable in dashboard.Variables.Where(variable => variable.Type == "query"))
        {
            if (variable.Refresh != 2)
            {
                Report("template-on-time-change-reload", $"variable {variable.Name} must refresh on time range change (2)");
            }
            if (LabelValuesSelector(variable.Query) is null && !OtherVariableFunctionPattern().IsMatch(variable.Query))
            {
                Report("template-label-promql-rule", $"variable {variable.Name}: '{variable.Query}' is not label_values(selector, label), label_names(), metrics() or query_result()");
            }
        }
    }

    private static void LintPanel(GrafanaDashboard dashboard, DashboardPanel panel, List<LintProblem> problems)
    {
        var where = $"{dashboard.FileName} {panel.Name}";
        void Report(string rule, string message) => problems.Add(new LintProblem(rule, where, message));

        if (!TemplatedDatasource.Contains(panel.DatasourceUid ?? "")
            || panel.Targets.Any(target => target.DatasourceUid is not null && !TemplatedDatasource.Contains(target.DatasourceUid)))
        {
            Report("panel-datasource-rule", "panel and targets must use the datasource variable (${datasource})");
        }
        if (panel.Title.Length == 0 || panel.Description.Length == 0)
        {
            Report("panel-title-description-rule", "needs a title and a description");
        }
        if (panel.Unit is null || !GrafanaUnits.Accepted.Contains(panel.Unit))
        {
            Report("panel-units-rule", $"unit '{panel.Unit}' is missing or not an accepted Grafana unit");
        }
        if (panel.Targets.Count == 0)
        {
            Report("panel-no-targets-rule", "has no targets");
        }
    }

    private static void LintTarget(GrafanaDashboard dashboard, DashboardPanel panel, DashboardTarget target, List<LintProblem> problems)
    {
        var where = $"{dashboard.FileName} {panel.Name} target {target.RefId}";
        void Report(string rule, string message) => problems.Add(new LintProblem(rule, where, message));

        var known = dashboard.Variables.Select(variable => variable.Name).Concat(GrafanaGlobals).ToHashSet(StringComparer.Ordinal);
        foreach (var unknown in GrafanaVariables.NamesUsedIn(target.Expression).Where(name => !known.Contains(name)))
        {
            Report("target-promql-rule", $"uses undefined variable ${unknown}");
        }
        IReadOnlyList<PromQlSelector> selectors;
        try
        {
            selectors = PromQlSelectorScanner.Scan(target.Expression);
        }
        catch (FormatException exception)
        {
            Report("target-promql-rule", exception.Message);
            return;
        }
        if (selectors.Count == 0)
        {
            Report("target-promql-rule", $"'{target.Expression}' selects no series");
        }
        foreach (var selector in selectors)
        {
            if (!selector.HasMatcher("job", "=~", "$job"))
            {
                Report("target-job-rule", $"{selector} lacks job=~\"$job\"");
            }
            if (!selector.HasMatcher("instance", "=~", "$instance"))
            {
                Report("target-instance-rule", $"{selector} lacks instance=~\"$instance\"");
            }
            if (selector.Range is not null && selector.EnclosingFunction is "rate" or "irate" && selector.Range != "$__rate_interval")
            {
                Report("target-rate-interval-rule", $"{selector.EnclosingFunction}() over [{selector.Range}] must use [$__rate_interval]");
            }
            if (selector.Range is not null && !selector.Range.StartsWith('$'))
            {
                Report("target-rate-interval-rule", $"range [{selector.Range}] is hard-coded; use $__rate_interval or $__range");
            }
            if ((selector.MetricName ?? "").EndsWith("_total", StringComparison.Ordinal)
                && (selector.Range is null || selector.EnclosingFunction is not ("rate" or "irate" or "increase")))
            {
                Report("target-counter-agg-rule", $"counter {selector.MetricName} must be used inside rate, irate or increase");
            }
        }
    }

    /// <summary>The selector argument of label_values(selector, label), or "" for label_values(label); null if the query is not label_values.</summary>
    public static string? LabelValuesSelector(string query)
    {
        var match = LabelValuesPattern().Match(query.Trim());
        return match.Success ? match.Groups["selector"].Value.Trim() : null;
    }

    [GeneratedRegex("^[a-zA-Z0-9_-]{8,40}$")]
    private static partial Regex UidPattern();

    [GeneratedRegex(@"^label_values\(\s*(?:(?<selector>.+),\s*)?[a-zA-Z_][a-zA-Z0-9_]*\s*\)$")]
    private static partial Regex LabelValuesPattern();

    [GeneratedRegex(@"^(label_names|metrics|query_result)\(.*\)$")]
    private static partial Regex OtherVariableFunctionPattern();
}
