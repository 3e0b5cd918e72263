// The one place that configures the alerts, the dashboards and the Kubernetes bundle generated from them.
// Change a value here and run mixin/generate.sh; or pass your own values with
// `mixin/generate.sh --config my-config.jsonnet` (an object with some of these fields); or, when vendoring
// the mixin, override them: (import 'mixin.libsonnet') + { _config+:: { ... } }.
{
  _config+:: {
    // Label matchers (what goes between the braces of a series selector) that pick the exporter's series.
    // Every alert expression and every dashboard query uses it, e.g. 'job="node-netfilter",cluster="prod"'.
    netfilterExporterSelector: 'job="netfilter-exporter"',

    // Every runbook link is this base + "<AlertName>.md" (the dashboards also link base + "README.md").
    // Point it at your own copy of docs/runbooks/ if you keep one; it must end with '/'.
    runbookURLBase: 'https://github.com/netfilter-exporter/netfilter-exporter/blob/main/docs/runbooks/',
  },
}
