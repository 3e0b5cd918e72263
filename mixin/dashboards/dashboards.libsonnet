// The Grafana dashboards. The JSON files beside this one are the dashboards as Grafana stores them, with
// %(netfilterExporterSelector)s in every series selector and %(runbookURLBase)s in every runbook link
// (a literal percent sign is written %%); every string is formatted with _config.
local render(value, config) =
  if std.isString(value) then value % config
  else if std.isArray(value) then [render(item, config) for item in value]
  else if std.isObject(value) then { [key]: render(value[key], config) for key in std.objectFields(value) }
  else value;

{
  grafanaDashboards+:: {
    'netfilter-fleet.json': render(import 'netfilter-fleet.json', $._config),
    'netfilter-node.json': render(import 'netfilter-node.json', $._config),
  },
}
