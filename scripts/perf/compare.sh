#!/usr/bin/env bash
# Side-by-side performance comparison for issue 5, in one run on this machine (root, network namespaces):
# loads a generated kube-proxy + portmap nat table into a fresh namespace and prints a markdown table of
#   - raw `iptables-legacy-save -c -t nat` vs a scrape that triggers a fresh collection (alternating rounds),
#   - exporter (coalesced snapshot) vs node_exporter (conntrack collector only): wrk throughput and p99,
#     alternating A/B runs, RSS idle and under load,
#   - save-command runs under 40 concurrent scrapes (counted by a wrapper around iptables-legacy-save),
#   - what runtime settings buy (one short wrk run per setting).
# Measures only; asserts nothing. Not part of the test suite. Everything it starts is stopped on exit.
#
# Environment: RULES (25000), DURATION seconds per wrk run (10), ROUNDS of A/B (3), FRESH_RUNS per round (20),
# VARIANT_DURATION (5), VARIANTS (1: also measure runtime settings; 0: skip them).
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)

rules=${RULES:-25000}
duration=${DURATION:-10}
rounds=${ROUNDS:-3}
fresh_runs=${FRESH_RUNS:-20}
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
for package in wrk hyperfine prometheus-node-exporter iptables iproute2 curl jq; do
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
# stop PID…: TERM, then KILL whatever still runs after 5 seconds. Only processes this script started.
stop() {
  kill "$@" 2>/dev/null || true
  for _ in $(seq 50); do
    local alive=0
    for pid in "$@"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    ((alive)) || break
    sleep 0.1
  done
  kill -9 "$@" 2>/dev/null || true
  wait "$@" 2>/dev/null || true
  # Forget them, so that cleanup never signals a reused PID.
  local remaining=() pid stopped
  for pid in "${started[@]}"; do
    for stopped in "$@"; do [[ $pid == "$stopped" ]] && continue 2; done
    remaining+=("$pid")
  done
  started=("${remaining[@]}")
}
cleanup() {
  ((${#started[@]} == 0)) || stop "${started[@]}"
  ip netns delete "$ns" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "compare.sh: $*" >&2; }
# Runs a command in the namespace. Background processes are started with "ip netns exec" directly instead,
# so that $! is the process itself (ip and env exec into it), not a subshell.
in_ns() { ip netns exec "$ns" "$@"; }

load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
log "building (Release)"
# What the image ships (the Dockerfile's publish flags: self-contained, trimmed, ReadyToRun) with the image's
# DOTNET_* environment (its ENV lines) is what every measurement below uses unless a variant says otherwise.
dotnet publish src/NetfilterExporter -c Release --use-current-runtime -p:SelfContained=true -p:PublishTrimmed=true \
  -p:PublishReadyToRun=true -p:DebugType=none -o "$work/exporter" >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
dotnet build bench/NetfilterExporter.Benchmarks -c Release -o "$work/bench" >>"$work/build.log" 2>&1 \
  || { cat "$work/build.log" >&2; exit 1; }
if ((${VARIANTS:-1})); then
  # The framework-dependent build, plain and ReadyToRun, for the runtime settings table.
  dotnet publish src/NetfilterExporter -c Release -p:DebugType=none -o "$work/exporter-fd" >>"$work/build.log" 2>&1 \
    || { cat "$work/build.log" >&2; exit 1; }
  dotnet publish src/NetfilterExporter -c Release --use-current-runtime --self-contained false -p:PublishReadyToRun=true \
    -p:DebugType=none -o "$work/exporter-fd-r2r" >>"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
fi
exporter=$work/exporter/netfilter-exporter
read -r -a shipped_env < <(awk '$1 == "ENV" && $2 ~ /^DOTNET_/ { printf "%s ", $2 } END { print "" }' Dockerfile)
run_env=("${shipped_env[@]}")
save=$(command -v iptables-legacy-save)

log "generating and loading a ${rules}-rule nat table into namespace $ns"
"$work/bench/NetfilterExporter.Benchmarks" generate --rules "$rules" >"$work/nat.dump" 2>"$work/generate.log"
ip netns add "$ns"
in_ns ip link set lo up
in_ns iptables-legacy-restore -c <"$work/nat.dump"
loaded_rules=$(in_ns "$save" -t nat | grep -c '^-A ' || true)
dump_bytes=$(in_ns "$save" -c -t nat | wc -c)

# counting_save NAME: a wrapper around the save command that adds a line to $work/runs-NAME per run.
counting_save() {
  cat >"$work/save-$1" <<EOF
#!/bin/sh
echo run >>"$work/runs-$1"
exec "$save" "\$@"
EOF
  chmod +x "$work/save-$1"
  : >"$work/runs-$1"
}
runs() { wc -l <"$work/runs-$1"; }

# start_exporter NAME PORT MIN_INTERVAL SAVE_COMMAND: starts the exporter in the namespace with the variables
# in run_env (DOTNET_* settings; the image's unless a variant sets others), sets $pid.
# $binary, when set, replaces the default build.
start_exporter() {
  local name=$1 port=$2 interval=$3 command=$4
  ip netns exec "$ns" env -u DOTNET_GCgen0size "${run_env[@]}" "${binary:-$exporter}" --web.listen-address="127.0.0.1:$port" --iptables.backends=legacy --iptables.families=ipv4 \
    --iptables.save-command.legacy-ipv4="$command" --collector.min-interval="$interval" --log.level=warn \
    >"$work/$name.log" 2>&1 &
  pid=$!
  started+=("$pid")
  wait_ready "http://127.0.0.1:$port/healthz" "$name" "$pid"
}

# wait_ready URL NAME PID: fails, showing the log, when the process exits or is not serving within 10 seconds.
wait_ready() {
  for _ in $(seq 100); do
    in_ns curl -sf -o /dev/null "$1" && return 0
    kill -0 "$3" 2>/dev/null || break
    sleep 0.1
  done
  log "$2 did not become ready; its log:"
  cat "$work/$2.log" >&2 || true
  return 1
}

rss_mb() { awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo "?"; }

# Samples VmRSS of a process every 100 ms into a file until killed.
sample_rss() {
  while kill -0 "$1" 2>/dev/null; do
    awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" >>"$2" 2>/dev/null || true
    sleep 0.1
  done
}

peak_mb() { sort -n "$1" | tail -1 | awk '{ printf "%.1f", $1 / 1024 }'; }

# wrk NAME URL SECONDS [HEADER]: prints "requests/s p99-ms" for one run, with 2 threads and 8 connections.
# wrk sends no Accept header, so scrapes get text 0.0.4 unless HEADER asks for OpenMetrics.
run_wrk() {
  in_ns wrk -t2 -c8 -d"$3s" --latency ${4:+-H "$4"} "$2" >"$work/wrk-$1.txt"
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
# Alternating rounds (save first in odd rounds, scrapes first in even ones) of
#   A: hyperfine -N, FRESH_RUNS runs of the raw save (its output to /dev/null),
#   B: FRESH_RUNS scrapes over one kept-alive connection (as Prometheus scrapes), timed by curl per request.
# Scrapes are spaced 250 ms apart so that each one finds the 1ms min-interval expired and collects afresh.
# A third series, one curl process per scrape (hyperfine), shows what a new client process adds on top.
log "raw save vs fresh scrape: $rounds alternating rounds of $fresh_runs each"
start_exporter fresh "$fresh_port" 1ms "$save" || exit 1
fresh_pid=$pid
fresh_url="http://127.0.0.1:$fresh_port/metrics"
in_ns curl -sf "$fresh_url" >"$work/fresh-metrics.txt"
scrape_args=()
for _ in $(seq "$fresh_runs"); do scrape_args+=(-o /dev/null "$fresh_url"); done
# Both sides get the same pacing: 150 ms idle before each save (hyperfine --prepare, not timed), about the gap
# curl leaves between scrapes; a process that has just been busy runs faster than one woken from idle.
measure_saves() {
  in_ns hyperfine -N --warmup 2 --runs "$fresh_runs" --prepare "sleep 0.15" --export-json "$work/saves.json" "$save -c -t nat" >/dev/null
  jq -r '.results[0].times[] * 1000' "$work/saves.json" >>"$work/fresh-save-ms"
}
measure_scrapes() {
  in_ns curl -sf --rate 4/s -w '%{time_total}\n' "${scrape_args[@]}" | awk '{ print $1 * 1000 }' >>"$work/fresh-scrape-ms"
}
for round in $(seq "$rounds"); do
  if ((round % 2)); then measure_saves; measure_scrapes; else measure_scrapes; measure_saves; fi
done
in_ns hyperfine -N --warmup 2 --runs "$fresh_runs" --prepare "sleep 0.15" --export-json "$work/curl-process.json" "curl -sf -o /dev/null $fresh_url" >/dev/null
jq -r '.results[0].times[] * 1000' "$work/curl-process.json" >"$work/fresh-curl-process-ms"
collector_ms=$(in_ns curl -sf "$fresh_url" \
  | awk -F' ' '/^netfilter_scrape_collector_duration_seconds\{collector="iptables_legacy_ipv4"\}/ { printf "%.1f", $2 * 1000 }')
exported_rules=$(awk '/^netfilter_nat_rules\{/ { print $2 }' "$work/fresh-metrics.txt")
stop "$fresh_pid"
# "median (min–max) ms, N runs" of a file of milliseconds.
spread() { sort -n "$1" | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "median %.1f ms (min %.1f, max %.1f; %d runs)", m, v[1], v[NR], NR }'; }
median_of() { median <"$1"; }

# ---- 2. exporter served from its snapshot vs node_exporter ----------------------------------------------
# min-interval 1h: every scrape of the A/B runs is served from the coalesced snapshot (goal 3); the
# 5s instance afterwards shows what the refreshes of a real min-interval add.
log "exporter (snapshot, min-interval 1h) vs node_exporter (conntrack only): wrk, $rounds alternating rounds of ${duration}s"
counting_save coalesced
start_exporter coalesced "$coalesced_port" 1h "$work/save-coalesced" || exit 1
exporter_pid=$pid
ip netns exec "$ns" prometheus-node-exporter --collector.disable-defaults --collector.conntrack \
  --web.listen-address="127.0.0.1:$node_port" >"$work/node_exporter.log" 2>&1 &
node_pid=$!
started+=("$node_pid")
wait_ready "http://127.0.0.1:$node_port/metrics" node_exporter "$node_pid" || exit 1
node_version=$(prometheus-node-exporter --version 2>&1 | awk 'NR == 1 { print $3 }')
in_ns curl -sf -o /dev/null "http://127.0.0.1:$coalesced_port/metrics"
in_ns curl -sf -o /dev/null "http://127.0.0.1:$node_port/metrics"
sleep 2
exporter_idle=$(rss_mb "$exporter_pid")
node_idle=$(rss_mb "$node_pid")
exporter_bytes=$(in_ns curl -sf "http://127.0.0.1:$coalesced_port/metrics" | wc -c)
node_bytes=$(in_ns curl -sf "http://127.0.0.1:$node_port/metrics" | wc -c)

# One unreported run each first, so that neither is measured while its code is still being compiled.
run_wrk exporter-warmup "http://127.0.0.1:$coalesced_port/metrics" "$duration" >/dev/null
run_wrk node-warmup "http://127.0.0.1:$node_port/metrics" "$duration" >/dev/null
sample_rss "$exporter_pid" "$work/rss-exporter" &
started+=($!)
sample_rss "$node_pid" "$work/rss-node" &
started+=($!)
runs_before_load=$(runs coalesced)
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
runs_during_load=$(($(runs coalesced) - runs_before_load))
# What a real Prometheus gets: it asks for OpenMetrics first.
read -r openmetrics_rps openmetrics_p99 _ < <(run_wrk exporter-openmetrics "http://127.0.0.1:$coalesced_port/metrics" "$duration" \
  "Accept: application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5")
# The same server's trivial endpoint: the ceiling of Kestrel on this machine in its current state.
read -r healthz_rps healthz_p99 _ < <(run_wrk healthz "http://127.0.0.1:$coalesced_port/healthz" "$duration")
exporter_peak=$(peak_mb "$work/rss-exporter")
node_peak=$(peak_mb "$work/rss-node")
exporter_rps=$(awk '{ print $1 }' "$work/results-exporter" | median)
exporter_p99=$(awk '{ print $2 }' "$work/results-exporter" | median)
exporter_errors=$(awk '{ s += $3 } END { print s + 0 }' "$work/results-exporter")
node_rps=$(awk '{ print $1 }' "$work/results-node" | median)
node_p99=$(awk '{ print $2 }' "$work/results-node" | median)
exporter_runs=$(awk '{ printf "%s%s/%s", (NR > 1 ? ", " : ""), $1, $2 }' "$work/results-exporter")
node_runs=$(awk '{ printf "%s%s/%s", (NR > 1 ? ", " : ""), $1, $2 }' "$work/results-node")

stop "$exporter_pid" "$node_pid"

# ---- 3. min-interval 5s: load with refreshes, then 40 concurrent scrapes on an expired snapshot ---------
log "exporter with min-interval 5s: ${duration}s of wrk after ${duration}s of warm-up, then 40 concurrent scrapes"
counting_save refreshing
start_exporter refreshing "$variant_port" 5s "$work/save-refreshing" || exit 1
refreshing_pid=$pid
run_wrk refreshing-warmup "http://127.0.0.1:$variant_port/metrics" "$duration" >/dev/null
refresh_runs_before=$(runs refreshing)
read -r refreshing_rps refreshing_p99 _ < <(run_wrk refreshing "http://127.0.0.1:$variant_port/metrics" "$duration")
refresh_runs=$(($(runs refreshing) - refresh_runs_before))
sleep 6
runs_before=$(runs refreshing)
scrapers=()
for i in $(seq 40); do
  ip netns exec "$ns" curl -s -o /dev/null -w '%{http_code}\n' "http://127.0.0.1:$variant_port/metrics" >"$work/concurrent-$i" &
  scrapers+=($!)
done
wait "${scrapers[@]}" || true
concurrent_runs=$(($(runs refreshing) - runs_before))
concurrent_ok=$(cat "$work"/concurrent-* | grep -c '^200$' || true)
stop "$refreshing_pid"

# ---- 4. runtime settings ------------------------------------------------------------------------------
log "runtime settings: one ${variant_duration}s wrk run each, after as long a warm-up"
# label|build|environment (replaces the image's DOTNET_* settings; "shipped" stands for them)
variants=(
  "as shipped: image build (self-contained, trimmed, ReadyToRun) + image ENV|exporter|shipped"
  "image build, default gen0 budget (no DOTNET_GCgen0size)|exporter|"
  "image build + DOTNET_GCgen0size=0x400000 (4 MB)|exporter|DOTNET_GCgen0size=0x400000"
  "image build + DOTNET_GCHeapHardLimit=0x4000000 (64 MB), default gen0|exporter|DOTNET_GCHeapHardLimit=0x4000000"
  "image build + image ENV + DOTNET_TieredPGO=1 (the csproj turns it off)|exporter|shipped DOTNET_TieredPGO=1"
  "image build + image ENV + DOTNET_TieredCompilation=0|exporter|shipped DOTNET_TieredCompilation=0"
  "image build + image ENV + DOTNET_EnableWriteXorExecute=0|exporter|shipped DOTNET_EnableWriteXorExecute=0"
  "image build + image ENV + DOTNET_gcServer=1|exporter|shipped DOTNET_gcServer=1"
  "image build + image ENV + DOTNET_gcConcurrent=1|exporter|shipped DOTNET_gcConcurrent=1"
  "framework-dependent build + image ENV|exporter-fd|shipped"
  "framework-dependent, default gen0 budget|exporter-fd|"
  "framework-dependent ReadyToRun + image ENV|exporter-fd-r2r|shipped"
)
variant_rows=""
((${VARIANTS:-1})) || variants=()
for variant in "${variants[@]}"; do
  IFS='|' read -r label build setting <<<"$variant"
  binary=$work/$build/netfilter-exporter
  read -r -a run_env <<<"${setting//shipped/${shipped_env[*]}}"
  if ! start_exporter variant "$variant_port" 1h "$save"; then
    stop "$pid"
    variant_rows+="| $label | did not start: $(tail -1 "$work/variant.log" | tr '|' '/') | | | |"$'\n'
    continue
  fi
  variant_pid=$pid
  in_ns curl -sf -o /dev/null "http://127.0.0.1:$variant_port/metrics"
  sleep 2
  idle=$(rss_mb "$variant_pid")
  : >"$work/rss-variant"
  sample_rss "$variant_pid" "$work/rss-variant" &
  sampler=$!
  run_wrk variant-warmup "http://127.0.0.1:$variant_port/metrics" "$variant_duration" >/dev/null
  read -r rps p99 _ < <(run_wrk variant "http://127.0.0.1:$variant_port/metrics" "$variant_duration")
  peak=$(peak_mb "$work/rss-variant")
  stop "$variant_pid" "$sampler"
  binary=
  run_env=("${shipped_env[@]}")
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
Exporter: built as the image builds it (self-contained, trimmed, ReadyToRun), run with the image's ${shipped_env[*]}, except in the runtime settings table.
Load average (1/5/15 min) at start: $load_at_start, at end: $(cut -d' ' -f1-3 /proc/loadavg); other work on the machine shows up as noise.
Table: $loaded_rules rules loaded ($(awk '{ print $2, $3 }' "$work/generate.log")), $dump_bytes bytes of \`iptables-legacy-save -c -t nat\`; the exporter counted $exported_rules.

| measure | exporter | reference | ratio / verdict |
|---|---|---|---|
| fresh scrape over a kept-alive connection (min-interval 1ms) vs raw \`iptables-legacy-save -c -t nat\` ($rounds alternating rounds) | $(spread "$work/fresh-scrape-ms") | $(spread "$work/fresh-save-ms") | median $(ratio "$(median_of "$work/fresh-scrape-ms")" "$(median_of "$work/fresh-save-ms")") × |
| same scrape from a new curl process each time (hyperfine; adds curl's start-up) | $(spread "$work/fresh-curl-process-ms") | | median $(ratio "$(median_of "$work/fresh-curl-process-ms")" "$(median_of "$work/fresh-save-ms")") × |
| exporter's own collector duration (save + parse + analysis, from its metric) | $collector_ms ms | | |
| scrapes/s served from the snapshot, median of $rounds × ${duration}s (runs: req/s / p99 ms) | $exporter_rps ($exporter_runs) | node_exporter $node_rps ($node_runs) | $(ratio "$exporter_rps" "$node_rps") × |
| the same in OpenMetrics (Accept as Prometheus sends it), one run | $openmetrics_rps req/s, p99 $openmetrics_p99 ms | | $(ratio "$openmetrics_rps" "$node_rps") × node_exporter |
| ceiling: wrk on the same exporter's /healthz (fixed text), one run | $healthz_rps req/s, p99 $healthz_p99 ms | | metrics at $(ratio "$exporter_rps" "$healthz_rps") × of it |
| p99 latency, median of runs | $exporter_p99 ms | $node_p99 ms | $(ratio "$exporter_p99" "$node_p99") × |
| response size | $exporter_bytes B | $node_bytes B | |
| non-2xx responses under load | $exporter_errors | | |
| RSS idle (after first scrape) | $exporter_idle MB | $node_idle MB | |
| RSS peak under load | $exporter_peak MB | $node_peak MB | |
| save runs during the A/B load (min-interval 1h) | $runs_during_load | | 0 expected |
| min-interval 5s: scrapes/s and p99 over ${duration}s of wrk, refreshes included | $refreshing_rps req/s, p99 $refreshing_p99 ms, $refresh_runs save runs | | at most $((duration / 5 + 1)) save runs expected |
| save runs under 40 concurrent scrapes (expired snapshot, min-interval 5s) | $concurrent_runs ($concurrent_ok of 40 got 200) | | 1 expected |

Runtime settings (exporter alone, served from its snapshot (min-interval 1h), one ${variant_duration}s wrk run each after a ${variant_duration}s warm-up; one run each, so differences under ~20% are noise):

| setting | req/s | p99 ms | RSS idle MB | RSS peak MB |
|---|---|---|---|---|
$variant_rows
EOF
