// netfilter-exporter monitoring mixin: prometheusAlerts, grafanaDashboards and the _config they share
// (config.libsonnet). mixin/generate.sh writes alerts/, dashboards/ and the Kubernetes bundle from it.
local check = import 'lib/config-check.libsonnet';

(import 'config.libsonnet')
+ (import 'alerts/alerts.libsonnet')
+ (import 'dashboards/dashboards.libsonnet')
+ {
  // Runs whenever a field is read, so a vendored mixin with a bad _config fails as loudly as generate.sh.
  assert check(self._config, 'mixin _config'),
}
