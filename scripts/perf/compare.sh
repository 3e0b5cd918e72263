#!/usr/bin/env bash
# Side-by-side performance comparison for issue 5, in one run on this machine (root, network namespaces):
# loads a generated kube-proxy + portmap nat table into a fresh namespace and prints a markdown table of
#   - raw `iptables-legacy-save -c -t nat` vs a scrape that triggers a fresh collection (hyperfine),
#   - exporter (coalesced snapshot) vs node_exporter (conntrack collector only): wrk throughput and p99,
#     alternating A/B runs, RSS idle and under load,
#   - save-command runs under 40 concurrent scrapes (counted by a wrapper around iptables-legacy-save),
#   - what runtime settings buy (one short wrk run per setting).
# Measures only; asserts nothing. Not part of the test suite. Everything it starts is stopped on exit.
#
# Environment: RULES (25000), DURATION seconds per wrk run (10), ROUNDS of A/B (3), VARIANT_DURATION (5).
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)

rules=${RULES:-25000}
duration=${DURATION:-10}
rounds=${ROUNDS:-3}
variant_duration=${VARIANT_DURATION:-5}
fresh_port=10066
coalesced_port=10067
variant_port=10068
node_port=9100

if [[ $(id -u) != 0 ]]; then
  echo "compare.sh: needs root (network namespaces, iptables)" >&2
  exit 2
fi
missing=()
for package in wrk hyperfine prometheus-node-exporter iptables iproute2 curl; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]} > 0)); then
  echo "compare.sh: installing ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

work=$(mktemp -d /tmp/nfperf.XXXXXX)
ns=nfperf-$$
started=()
cleanup() {
  for pid in "${started[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${started[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  ip netns delete "$ns" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "compare.sh: $*" >&2; }
in_ns() { ip netns exec "$ns" "$@"; }

log "building (Release)"
dotnet publish src/NetfilterExporter -c Release -o "$work/exporter" -p:DebugType=none >"$work/build.log" 2>&1 \
  || { cat "$work/build.log" >&2; exit 1; }
dotnet build bench/NetfilterExporter.Benchmarks -c Release -o "$work/bench" >>"$work/build.log" 2>&1 \
  || { cat "$work/build.log" >&2; exit 1; }
exporter=$work/exporter/netfilter-exporter
save=$(command -v iptables-legacy-save)

log "generating and loading a ${rules}-rule nat table into namespace $ns"
"$work/bench/NetfilterExporter.Benchmarks" generate --rules "$rules" >"$work/nat.dump" 2>"$work/generate.log"
ip netns add "$ns"
in_ns ip link set lo up
in_ns iptables-legacy-restore -c <"$work/nat.dump"
loaded_rules=$(in_ns "$save" -t nat | grep -c '^-A ')
dump_bytes=$(in_ns "$save" -c -t nat | wc -c)

# Every run of the save command leaves a line here; the coalesced exporter runs it through this wrapper.
cat >"$work/counting-save" <<EOF
#!/bin/sh
echo run >>"$work/save-runs"
exec "$save" "\$@"
EOF
chmod +x "$work/counting-save"
: >"$work/save-runs"

# start NAME PORT MIN_INTERVAL [SAVE_COMMAND [ENV…]]: starts the exporter in the namespace, sets $pid.
start_exporter() {
  local name=$1 port=$2 interval=$3 command=${4:-$save}
  shift 4 || shift $#
  in_ns env "$@" "$exporter" --web.listen-address="127.0.0.1:$port" --iptables.backends=legacy --iptables.families=ipv4 \
    --iptables.save-command.legacy-ipv4="$command" --collector.min-interval="$interval" --log.level=warn \
    >"$work/$name.log" 2>&1 &
  pid=$!
  started+=("$pid")
  wait_ready "http://127.0.0.1:$port/healthz" "$name"
}

wait_ready() {
  for _ in $(seq 100); do
    in_ns curl -sf -o /dev/null "$1" && return 0
    sleep 0.1
  done
  log "$2 did not become ready; its log:"
  cat "$work/$2.log" >&2 || true
  exit 1
}

rss_mb() { awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

# Samples VmRSS of a process every 100 ms into a file until killed.
sample_rss() {
  while kill -0 "$1" 2>/dev/null; do
    awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" >>"$2" 2>/dev/null || true
    sleep 0.1
  done
}

peak_mb() { sort -n "$1" | tail -1 | awk '{ printf "%.1f", $1 / 1024 }'; }

# wrk NAME URL SECONDS: prints "requests/s p99-ms" for one run, with 2 threads and 8 connections.
run_wrk() {
  in_ns wrk -t2 -c8 -d"$3s" --latency "$2" >"$work/wrk-$1.txt"
  awk '
    function ms(text) {
      if (text ~ /us$/) return substr(text, 1, length(text) - 2) / 1000
      if (text ~ /ms$/) return substr(text, 1, length(text) - 2) + 0
      if (text ~ /m$/) return substr(text, 1, length(text) - 1) * 60000
      if (text ~ /s$/) return substr(text, 1, length(text) - 1) * 1000
      return text
    }
    /^Requests\/sec:/ { rps = $2 }
    $1 == "99%" { p99 = ms($2) }
    /Non-2xx/ { errors = $NF }
    END { printf "%.0f %.2f %s\n", rps, p99, errors + 0 }
  ' "$work/wrk-$1.txt"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# ---- 1. raw save vs a scrape that triggers a fresh collection --------------------------------------
log "raw save vs fresh scrape (hyperfine)"
start_exporter fresh "$fresh_port" 1ms "$save"
fresh_pid=$pid
in_ns curl -sf "http://127.0.0.1:$fresh_port/metrics" >"$work/fresh-metrics.txt"
in_ns hyperfine -N --warmup 3 --runs 40 --export-json "$work/hyperfine.json" \
  -n save "$save -c -t nat" \
  -n scrape "curl -sf -o /dev/null http://127.0.0.1:$fresh_port/metrics" \
  -n healthz "curl -sf -o /dev/null http://127.0.0.1:$fresh_port/healthz" >"$work/hyperfine.txt"
read -r save_ms save_sd scrape_ms scrape_sd healthz_ms < <(jq -r '
  [.results[] | {(.command): .}] | add as $r
  | [$r.save.mean, $r.save.stddev, $r.scrape.mean, $r.scrape.stddev, $r.healthz.mean] | map(. * 1000) | @tsv' "$work/hyperfine.json")
collector_ms=$(in_ns curl -sf "http://127.0.0.1:$fresh_port/metrics" \
  | awk -F' ' '/^netfilter_scrape_collector_duration_seconds\{collector="iptables_legacy_ipv4"\}/ { printf "%.1f", $2 * 1000 }')
exported_rules=$(awk '/^netfilter_nat_rules\{/ { print $2 }' "$work/fresh-metrics.txt")
kill "$fresh_pid"
wait "$fresh_pid" 2>/dev/null || true

# ---- 2. coalesced exporter vs node_exporter -----------------------------------------------------------
log "exporter (coalesced, min-interval 5s) vs node_exporter (conntrack only): wrk, $rounds alternating rounds of ${duration}s"
start_exporter coalesced "$coalesced_port" 5s "$work/counting-save"
exporter_pid=$pid
in_ns prometheus-node-exporter --collector.disable-defaults --collector.conntrack \
  --web.listen-address="127.0.0.1:$node_port" >"$work/node_exporter.log" 2>&1 &
node_pid=$!
started+=("$node_pid")
wait_ready "http://127.0.0.1:$node_port/metrics" node_exporter
node_version=$(prometheus-node-exporter --version 2>&1 | awk 'NR == 1 { print $3 }')
in_ns curl -sf -o /dev/null "http://127.0.0.1:$coalesced_port/metrics"
in_ns curl -sf -o /dev/null "http://127.0.0.1:$node_port/metrics"
sleep 2
exporter_idle=$(rss_mb "$exporter_pid")
node_idle=$(rss_mb "$node_pid")
exporter_bytes=$(in_ns curl -sf "http://127.0.0.1:$coalesced_port/metrics" | wc -c)
node_bytes=$(in_ns curl -sf "http://127.0.0.1:$node_port/metrics" | wc -c)

sample_rss "$exporter_pid" "$work/rss-exporter" &
started+=($!)
sample_rss "$node_pid" "$work/rss-node" &
started+=($!)
runs_before_load=$(wc -l <"$work/save-runs")
load_started=$(date +%s.%N)
for round in $(seq "$rounds"); do
  order=(exporter node)
  ((round % 2 == 0)) && order=(node exporter)
  for target in "${order[@]}"; do
    if [[ $target == exporter ]]; then url="http://127.0.0.1:$coalesced_port/metrics"; else url="http://127.0.0.1:$node_port/metrics"; fi
    result=$(run_wrk "$target-$round" "$url" "$duration")
    echo "$result" >>"$work/results-$target"
    log "round $round $target: $result (req/s, p99 ms, non-2xx)"
  done
done
load_seconds=$(awk -v s="$load_started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.0f", e - s }')
runs_during_load=$(($(wc -l <"$work/save-runs") - runs_before_load))
exporter_peak=$(peak_mb "$work/rss-exporter")
node_peak=$(peak_mb "$work/rss-node")
exporter_rps=$(awk '{ print $1 }' "$work/results-exporter" | median)
exporter_p99=$(awk '{ print $2 }' "$work/results-exporter" | median)
exporter_errors=$(awk '{ s += $3 } END { print s + 0 }' "$work/results-exporter")
node_rps=$(awk '{ print $1 }' "$work/results-node" | median)
node_p99=$(awk '{ print $2 }' "$work/results-node" | median)
exporter_runs=$(awk '{ printf "%s%s/%s", (NR > 1 ? ", " : ""), $1, $2 }' "$work/results-exporter")
node_runs=$(awk '{ printf "%s%s/%s", (NR > 1 ? ", " : ""), $1, $2 }' "$work/results-node")

# ---- 3. save-command runs under 40 concurrent scrapes --------------------------------------------------
log "40 concurrent scrapes after the snapshot expired"
sleep 6
runs_before=$(wc -l <"$work/save-runs")
scrapers=()
for i in $(seq 40); do
  in_ns curl -s -o /dev/null -w '%{http_code}\n' "http://127.0.0.1:$coalesced_port/metrics" >"$work/concurrent-$i" &
  scrapers+=($!)
done
wait "${scrapers[@]}" || true
concurrent_runs=$(($(wc -l <"$work/save-runs") - runs_before))
concurrent_ok=$(cat "$work"/concurrent-* | grep -c '^200$' || true)
kill "$exporter_pid" "$node_pid"
wait "$exporter_pid" "$node_pid" 2>/dev/null || true

# ---- 4. runtime settings ------------------------------------------------------------------------------
log "runtime settings: one ${variant_duration}s wrk run each"
variants=(
  "as shipped (workstation, non-concurrent GC)|"
  "DOTNET_GCgen0size=0x400000 (4 MB gen0 budget)|DOTNET_GCgen0size=0x400000"
  "DOTNET_GCHeapHardLimit=0x2000000 (32 MB)|DOTNET_GCHeapHardLimit=0x2000000"
  "DOTNET_TieredPGO=0|DOTNET_TieredPGO=0"
  "DOTNET_TieredCompilation=0|DOTNET_TieredCompilation=0"
  "DOTNET_gcConcurrent=1 (background GC)|DOTNET_gcConcurrent=1"
  "DOTNET_gcServer=1 (server GC)|DOTNET_gcServer=1"
)
variant_rows=""
for variant in "${variants[@]}"; do
  label=${variant%%|*}
  setting=${variant#*|}
  start_exporter variant "$variant_port" 5s "$save" ${setting:+"$setting"}
  variant_pid=$pid
  in_ns curl -sf -o /dev/null "http://127.0.0.1:$variant_port/metrics"
  sleep 2
  idle=$(rss_mb "$variant_pid")
  : >"$work/rss-variant"
  sample_rss "$variant_pid" "$work/rss-variant" &
  sampler=$!
  read -r rps p99 _ < <(run_wrk variant "http://127.0.0.1:$variant_port/metrics" "$variant_duration")
  peak=$(peak_mb "$work/rss-variant")
  kill "$variant_pid"
  wait "$variant_pid" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
  variant_rows+="| $label | $rps | $p99 | $idle | $peak |"$'\n'
done

# ---- report ---------------------------------------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
memory=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
cat <<EOF

## Run of $(date -u '+%Y-%m-%d %H:%M UTC')

Machine: $(nproc) cores ($cpu), $memory RAM, kernel $(uname -r), $(. /etc/os-release && echo "$PRETTY_NAME").
.NET $("$work/exporter/netfilter-exporter" --version | sed 's/.*\.NET \(.*\))/\1/'), $(iptables-legacy --version), node_exporter $node_version, wrk -t2 -c8.
Table: $loaded_rules rules loaded ($(awk '{ print $2, $3 }' "$work/generate.log")), $dump_bytes bytes of \`iptables-legacy-save -c -t nat\`; the exporter counted $exported_rules.

| measure | exporter | reference | ratio / verdict |
|---|---|---|---|
| fresh scrape (curl, min-interval 1ms) vs raw \`iptables-legacy-save -c -t nat\`, mean ± sd of 40 | $(printf '%.1f ± %.1f ms' "$scrape_ms" "$scrape_sd") | $(printf '%.1f ± %.1f ms' "$save_ms" "$save_sd") | $(ratio "$scrape_ms" "$save_ms") × |
| same, minus a curl of /healthz ($(printf '%.1f' "$healthz_ms") ms: process start + HTTP round trip) | $(awk -v a="$scrape_ms" -v b="$healthz_ms" 'BEGIN { printf "%.1f ms", a - b }') | $(printf '%.1f ms' "$save_ms") | $(awk -v a="$scrape_ms" -v b="$healthz_ms" -v c="$save_ms" 'BEGIN { printf "%.2f", (a - b) / c }') × |
| exporter's own collector duration (save + parse + analysis, from its metric) | $collector_ms ms | | |
| scrapes/s, median of $rounds × ${duration}s (runs: req/s / p99 ms) | $exporter_rps ($exporter_runs) | node_exporter $node_rps ($node_runs) | $(ratio "$exporter_rps" "$node_rps") × |
| p99 latency, median of runs | $exporter_p99 ms | $node_p99 ms | $(ratio "$exporter_p99" "$node_p99") × |
| response size | $exporter_bytes B | $node_bytes B | |
| non-2xx responses under load | $exporter_errors | | |
| RSS idle (after first scrape) | $exporter_idle MB | $node_idle MB | |
| RSS peak under load | $exporter_peak MB | $node_peak MB | |
| save runs during ${load_seconds}s of load (min-interval 5s) | $runs_during_load | | $(awk -v s="$load_seconds" 'BEGIN { printf "at most %d expected", int(s / 5) + 1 }') |
| save runs under 40 concurrent scrapes (expired snapshot) | $concurrent_runs ($concurrent_ok of 40 got 200) | | 1 expected |

Runtime settings (exporter alone, one ${variant_duration}s wrk run each, min-interval 5s):

| setting | req/s | p99 ms | RSS idle MB | RSS peak MB |
|---|---|---|---|---|
$variant_rows
EOF
