#!/usr/bin/env bash
# The one command that regenerates every monitoring file from the mixin (mixin/config.libsonnet holds the
# settings: job selector, runbook URL base):
#   alerts/netfilter-exporter.rules.yml
#   dashboards/*.json
#   deploy/kubernetes/manifests/40-prometheusrule.yaml, 50-grafana-dashboards.yaml (via deploy/kubernetes/generate.sh)
#
# Usage: mixin/generate.sh [--config FILE] [--output DIR]
#   --config  a jsonnet or JSON file holding an object with the _config fields to change, e.g.
#             { netfilterExporterSelector: 'job="node-netfilter"', runbookURLBase: 'https://wiki.example/runbooks/' }
#             (default: none, the values in mixin/config.libsonnet)
#   --output  repository-shaped directory to write into (default: this repository)
#
# Everything is built in a temporary directory first: bad settings or a broken source leave the files as they
# were. Needs jsonnet (apt-get install jsonnet, 0.18 or later), jq and what deploy/kubernetes/generate.sh needs.
set -euo pipefail
export LC_ALL=C

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repository=$(cd "$script_dir/.." && pwd)
output=$repository
config=

fail() {
    echo "mixin/generate.sh: $*" >&2
    exit 1
}

while [[ $# -gt 0 ]]; do
    case $1 in
        --config) [[ $# -ge 2 ]] || fail "--config needs a file"; config=$2; shift 2 ;;
        --output) [[ $# -ge 2 ]] || fail "--output needs a directory"; output=$2; shift 2 ;;
        *) fail "unknown argument '$1' (usage: mixin/generate.sh [--config FILE] [--output DIR])" ;;
    esac
done
command -v jsonnet >/dev/null || fail "jsonnet is required (apt-get install jsonnet)"
command -v jq >/dev/null || fail "jq is required (apt-get install jq)"
[[ -d $output ]] || fail "output directory $output does not exist"
arguments=()
if [[ -n $config ]]; then
    [[ -f $config ]] || fail "--config $config: no such file"
    arguments=(--tla-code-file "config=$config" --tla-str "origin=$config")
fi

staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
mkdir -p "$staging/alerts" "$staging/dashboards" "$staging/manifests"
# jsonnet names the field and the file of a bad setting; its stack trace follows.
jsonnet --string --multi "$staging" "${arguments[@]}" "$script_dir/build.jsonnet" >/dev/null ||
    fail "jsonnet could not build the monitoring files (see its message above)"
# jq's layout: empty lists and objects on one line, as Grafana writes them.
for file in "$staging"/dashboards/*.json; do
    jq --indent 2 . "$file" >"$file.tmp" && mv "$file.tmp" "$file"
done
bash "$repository/deploy/kubernetes/generate.sh" --sources "$staging" --output "$staging/manifests"

mkdir -p "$output/alerts" "$output/dashboards" "$output/deploy/kubernetes/manifests"
# A dashboard the mixin no longer has must not stay behind in dashboards/ (or in its ConfigMaps).
for file in "$output"/dashboards/*.json; do
    [[ ! -f $file || -f $staging/dashboards/$(basename "$file") ]] || rm -- "$file"
done
cp "$staging/alerts/netfilter-exporter.rules.yml" "$output/alerts/"
cp "$staging"/dashboards/*.json "$output/dashboards/"
cp "$staging"/manifests/*.yaml "$output/deploy/kubernetes/manifests/"
