#!/usr/bin/env bash
# Side-by-side performance comparison for the footprint goals, in one run on this machine (root, network
# namespaces). Publishes the exporter as it ships (Native AOT), loads generated kube-proxy + portmap nat tables
# into a fresh namespace, runs the exporter and
# `prometheus-node-exporter --collector.disable-defaults --collector.conntrack` inside it, and prints a markdown
# report with the raw numbers:
#   1. resident memory vs node_exporter: idle after the first scrapes, peak during the whole A/B wrk load,
#   2. start-up: process start to the first HTTP 200 from /metrics, alternating with node_exporter,
#   3. a scrape that triggers a fresh collection vs the raw `iptables-legacy-save -c -t nat`, over a kept-alive
#      connection and from a new curl process per scrape, at every size of RULES_LIST (alternating rounds),
#   4. scrapes served from the snapshot (min-interval 1h) vs node_exporter: wrk throughput and p99,
#   5. the exporter's own CPU per fresh collection (save excluded) vs the save's CPU, and per hour at 15 s,
#   and, as before, how many save runs a 5s min-interval and 40 concurrent scrapes cause.
# Flatness (RSS over 10,000 collections, and with hostPort pods churning) is scripts/perf/flat.sh (~30 min),
# not run from here.
# Measures only; asserts nothing. Not part of the test suite. Everything it starts is stopped on exit.
#
# Environment (defaults): RULES (25000) the table of goals 1, 2, 4 and 5; RULES_LIST ("25000 200000") the tables
# of goal 3; DURATION seconds per wrk run (10); ROUNDS of A/B (3); FRESH_RUNS per series and round (20);
# STARTUP_RUNS per server (10); CPU_COLLECTIONS (200); CPU_IDLE_SECONDS (30); EXPORTER: an already published
# binary to measure instead of publishing one.
# Takes about 10 minutes with the defaults on 2 cores (the 200,000-rule series is a third of it).
set -euo pipefail
cd "$(dirname "$0")/../.."
here=$(pwd)/scripts/perf

rules=${RULES:-25000}
read -r -a rules_list <<<"${RULES_LIST:-25000 200000}"
duration=${DURATION:-10}
rounds=${ROUNDS:-3}
fresh_runs=${FRESH_RUNS:-20}
startup_runs=${STARTUP_RUNS:-10}
cpu_collections=${CPU_COLLECTIONS:-200}
cpu_idle=${CPU_IDLE_SECONDS:-30}
fresh_port=10066
coalesced_port=10067
refreshing_port=10068
startup_port=10069
node_port=9100
node_startup_port=9101

# shellcheck source=scripts/perf/lib.sh
. "$here/lib.sh"

build
# One table per size (the generator's default shape: 20 hostPort pods, one of them with a stale claim).
for size in $(printf '%s\n' "$rules" "${rules_list[@]}" | sort -nu); do
  log "generating a ${size}-rule nat table"
  generate "$work/nat-$size.dump" --rules "$size"
done
make_namespace
loaded=
# use_table SIZE: loads that table into the namespace unless it is the one there; sets the table's facts.
use_table() {
  if [[ $loaded != "$1" ]]; then
    log "loading the ${1}-rule table into namespace $ns"
    load_table "$work/nat-$1.dump"
    loaded=$1
  fi
  loaded_rules=$(in_ns "$save" -t nat | grep -c '^-A ' || true)
  dump_bytes=$(in_ns "$save" -c -t nat | wc -c)
}
use_table "$rules"
main_rules=$loaded_rules
main_bytes=$dump_bytes

node_exporter_args() { echo --collector.disable-defaults --collector.conntrack --web.listen-address="127.0.0.1:$1"; }

# wrk NAME URL SECONDS [HEADER]: prints "requests/s p99-ms non-2xx" for one run, with 2 threads and 8 connections.
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

# The collector's duration gauge is a double that differs from one collection to the next, so the number of
# distinct values in the bodies of N scrapes is the number of collections they saw; it verifies that scrapes
# meant to collect afresh did, without a wrapper around the save (whose sh would add to the save's CPU).
collector_line='^netfilter_scrape_collector_duration_seconds\{collector="iptables_legacy_ipv4"\}'
collections_in() { grep -E "$collector_line" "$1" | sort -u | wc -l; }

# curl_rate PERIOD_MS: a curl --rate value that starts transfers at most every PERIOD_MS (whole per-hour counts,
# so any period can be asked for).
curl_rate() { awk -v period="$1" 'BEGIN { printf "%d/h", 3600000 / period }'; }

# ---- 2. start-up: process start to the first 200 from /metrics -----------------------------------------------
# Alternating (exporter first in odd runs), one unreported start of each first, so that neither is measured
# reading its binary from disk. The exporter's first scrape includes a collection of the ${rules}-rule table
# (min-interval 5s, the default); node_exporter's reads conntrack's files. first-200.sh polls with ~1 ms naps in one
# bash process (no process per attempt) and times from just before the fork to the status line. Both start
# through env (which strips DOTNET_* for the exporter), so both pay the same extra exec.
log "start-up: $startup_runs alternating starts of each, to the first HTTP 200 from /metrics"
: >"$work/startup-exporter"
: >"$work/startup-node"
start_once() {
  local result
  if [[ $1 == exporter ]]; then
    # shellcheck disable=SC2046
    result=$(in_ns "$here/first-200.sh" "$startup_port" /metrics "$work/startup-exporter.log" -- \
      "${no_dotnet_env[@]}" "$exporter" $(exporter_flags "$startup_port" 5s "$save"))
  else
    # shellcheck disable=SC2046
    result=$(in_ns "$here/first-200.sh" "$node_startup_port" /metrics "$work/startup-node.log" -- \
      "${no_dotnet_env[@]}" prometheus-node-exporter $(node_exporter_args "$node_startup_port"))
  fi
  echo "$result"
}
start_once exporter >/dev/null
start_once node >/dev/null
for run in $(seq "$startup_runs"); do
  order=(exporter node)
  ((run % 2 == 0)) && order=(node exporter)
  for target in "${order[@]}"; do
    start_once "$target" >>"$work/startup-$target"
  done
done
startup_exporter=$(awk '{ print $1 }' "$work/startup-exporter" | median)
startup_node=$(awk '{ print $1 }' "$work/startup-node" | median)
startup_list() { awk '{ printf "%s%s", (NR > 1 ? ", " : ""), $1 }' "$1"; }
# Mean time per refused connection attempt over all runs: what a start can be late by, at most, because of polling.
poll_ms=$(cat "$work/startup-exporter" "$work/startup-node" | awk '$2 > 1 { ms += $3; n += $2 - 1 } END { if (n) printf "%.2f", ms / n; else print "n/a" }')
# Start to the first accepted connection: how much of the exporter's start-up is its first collection.
connect_exporter=$(awk '{ print $3 }' "$work/startup-exporter" | median)
connect_node=$(awk '{ print $3 }' "$work/startup-node" | median)
log "start-up medians: exporter $startup_exporter ms, node_exporter $startup_node ms"

# ---- 1 and 4. memory, and the exporter served from its snapshot vs node_exporter ------------------------------
# min-interval 1h: every scrape of the A/B runs is served from the coalesced snapshot; RSS of both is sampled
# every 100 ms through all of the A/B load.
log "exporter (snapshot, min-interval 1h) vs node_exporter (conntrack only): wrk, $rounds alternating rounds of ${duration}s"
counting_save coalesced
start_exporter coalesced "$coalesced_port" 1h "$work/save-coalesced" || exit 1
exporter_pid=$pid
# shellcheck disable=SC2046
ip netns exec "$ns" prometheus-node-exporter $(node_exporter_args "$node_port") >"$work/node_exporter.log" 2>&1 &
node_pid=$!
started+=("$node_pid")
wait_ready "http://127.0.0.1:$node_port/metrics" node_exporter "$node_pid" || exit 1
for _ in 1 2 3; do
  in_ns curl -sf -o /dev/null "http://127.0.0.1:$coalesced_port/metrics"
  in_ns curl -sf -o /dev/null "http://127.0.0.1:$node_port/metrics"
done
sleep 2
exporter_idle=$(rss_mb "$exporter_pid")
node_idle=$(rss_mb "$node_pid")
exporter_bytes=$(in_ns curl -sf "http://127.0.0.1:$coalesced_port/metrics" | wc -c)
node_bytes=$(in_ns curl -sf "http://127.0.0.1:$node_port/metrics" | wc -c)

# One unreported run each first: neither compiles anything at run time (AOT, Go), but both grow their heaps,
# thread pools and connection buffers to the load, and the first run would measure that.
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

# ---- min-interval 5s: load with refreshes, then 40 concurrent scrapes on an expired snapshot ---------------
log "exporter with min-interval 5s: ${duration}s of wrk after ${duration}s of warm-up, then 40 concurrent scrapes"
counting_save refreshing
start_exporter refreshing "$refreshing_port" 5s "$work/save-refreshing" || exit 1
refreshing_pid=$pid
run_wrk refreshing-warmup "http://127.0.0.1:$refreshing_port/metrics" "$duration" >/dev/null
refresh_runs_before=$(runs refreshing)
read -r refreshing_rps refreshing_p99 _ < <(run_wrk refreshing "http://127.0.0.1:$refreshing_port/metrics" "$duration")
refresh_runs=$(($(runs refreshing) - refresh_runs_before))
sleep 6
runs_before=$(runs refreshing)
scrapers=()
for i in $(seq 40); do
  ip netns exec "$ns" curl -s -o /dev/null -w '%{http_code}\n' "http://127.0.0.1:$refreshing_port/metrics" >"$work/concurrent-$i" &
  scrapers+=($!)
done
wait "${scrapers[@]}" || true
concurrent_runs=$(($(runs refreshing) - runs_before))
concurrent_ok=$(cat "$work"/concurrent-* | grep -c '^200$' || true)
stop "$refreshing_pid"

# ---- 5. CPU per fresh collection: the exporter's own vs the save's ----------------------------------------
# /proc/PID/stat before and after CPU_COLLECTIONS scrapes over one kept-alive connection (min-interval 1ms):
# utime+stime is the exporter's own CPU (all threads: HTTP, parse, analysis, rendering), cutime+cstime that of
# the children it waited for, which are only the save commands. The raw save is the command, so nothing else
# is in cutime. Scrapes start at most every (a warm-up scrape's time + 50 ms), so each finds the snapshot older
# than 1 ms and collects afresh; the bodies' collector durations count the collections that actually happened.
# Clock ticks are 1/CLK_TCK s, so the totals are exact to that over the whole series, not per collection.
log "CPU: $cpu_collections fresh collections at $rules rules, and ${cpu_idle}s idle"
use_table "$rules"
start_exporter cpu "$fresh_port" 1ms "$save" || exit 1
cpu_pid=$pid
cpu_url="http://127.0.0.1:$fresh_port/metrics"
warm_args=()
for _ in 1 2 3 4 5; do warm_args+=(-o /dev/null "$cpu_url"); done
warm_ms=$(in_ns curl -sf -w '%{time_total}\n' "${warm_args[@]}" | awk '{ print $1 * 1000 }' | median)
sleep 2
read -r idle_own_before _ < <(cpu_ticks "$cpu_pid")
sleep "$cpu_idle"
read -r idle_own_after _ < <(cpu_ticks "$cpu_pid")
cpu_args=()
for _ in $(seq "$cpu_collections"); do cpu_args+=("$cpu_url"); done
read -r own_before children_before user_before system_before < <(cpu_ticks "$cpu_pid")
cpu_started=$EPOCHREALTIME
in_ns curl -sf --rate "$(curl_rate "$(calc %.0f "$warm_ms + 50")")" "${cpu_args[@]}" >"$work/cpu-bodies"
cpu_seconds=$(calc %.1f "$EPOCHREALTIME - $cpu_started")
read -r own_after children_after user_after system_after < <(cpu_ticks "$cpu_pid")
cpu_seen=$(collections_in "$work/cpu-bodies")
cpu_rss=$(rss_mb "$cpu_pid")
stop "$cpu_pid"
own_ms=$(calc %.2f "($own_after - $own_before) * 1000 / $clock_ticks / $cpu_seen")
own_user_ms=$(calc %.2f "($user_after - $user_before) * 1000 / $clock_ticks / $cpu_seen")
own_system_ms=$(calc %.2f "($system_after - $system_before) * 1000 / $clock_ticks / $cpu_seen")
save_cpu_ms=$(calc %.2f "($children_after - $children_before) * 1000 / $clock_ticks / $cpu_seen")
idle_own_ms_per_s=$(calc %.3f "($idle_own_after - $idle_own_before) * 1000 / $clock_ticks / $cpu_idle")
# The same save run by hyperfine as a new process (its user + system): a cross-check of the cutime figure.
in_ns hyperfine -N --warmup 2 --runs 20 --export-json "$work/save-cpu.json" "$save -c -t nat" >/dev/null
hyperfine_save_cpu_ms=$(jq -r '.results[0] | (.user + .system) * 1000' "$work/save-cpu.json" | xargs printf '%.2f')
per_hour() { calc %.1f "$1 * 240 / 1000"; } # 3600 s / 15 s = 240 collections an hour, ms → s

# ---- 3. raw save vs a scrape that triggers a fresh collection, per table size --------------------------------
# For each size, ROUNDS rounds of three series, their order rotated each round (each series goes first once in
# three rounds), FRESH_RUNS each:
#   save:    hyperfine -N, the raw save as a new process (its output to /dev/null),
#   kept:    scrapes over one kept-alive connection (as Prometheus scrapes), timed by curl per request,
#   process: one new curl process per scrape (hyperfine -N), which adds curl's start-up.
# Every run of every series gets about 150 ms of idle before it (hyperfine --prepare "sleep 0.15", and for the
# kept-alive scrapes a curl --rate of one scrape per warm-up scrape time + 150 ms): a process that has just been
# busy runs faster than one woken from idle. min-interval 1ms, so each scrape collects afresh (verified from the
# bodies of the kept-alive series).
# The three series of one round; they use the current size's $fresh_url, $rate and $scrape_urls.
series_save() {
  in_ns hyperfine -N --warmup 2 --runs "$fresh_runs" --prepare "sleep 0.15" --export-json "$work/saves.json" "$save -c -t nat" >/dev/null
  jq -r '.results[0].times[] * 1000' "$work/saves.json" >>"$work/fresh-save-ms"
}
series_kept() {
  # Bodies to stdout (to count the collections), each transfer's time to stderr.
  in_ns curl -sf --rate "$rate" -w '%{stderr}%{time_total}\n' "${scrape_urls[@]}" 2>"$work/kept-times" >>"$work/fresh-bodies"
  awk '{ print $1 * 1000 }' "$work/kept-times" >>"$work/fresh-kept-ms"
}
series_process() {
  in_ns hyperfine -N --warmup 2 --runs "$fresh_runs" --prepare "sleep 0.15" --export-json "$work/process.json" "curl -sf -o /dev/null $fresh_url" >/dev/null
  jq -r '.results[0].times[] * 1000' "$work/process.json" >>"$work/fresh-process-ms"
}
fresh_rows=""
for size in "${rules_list[@]}"; do
  use_table "$size"
  log "raw save vs fresh scrape at $size rules: $rounds rounds of 3 × $fresh_runs"
  start_exporter fresh "$fresh_port" 1ms "$save" || exit 1
  fresh_pid=$pid
  fresh_url="http://127.0.0.1:$fresh_port/metrics"
  in_ns curl -sf "$fresh_url" >"$work/fresh-metrics.txt"
  exported_rules=$(awk '/^netfilter_nat_rules\{/ { print $2 }' "$work/fresh-metrics.txt")
  warm_args=()
  for _ in 1 2 3; do warm_args+=(-o /dev/null "$fresh_url"); done
  warm_ms=$(in_ns curl -sf -w '%{time_total}\n' "${warm_args[@]}" | awk '{ print $1 * 1000 }' | median)
  rate=$(curl_rate "$(calc %.0f "$warm_ms + 150")")
  scrape_urls=()
  for _ in $(seq "$fresh_runs"); do scrape_urls+=("$fresh_url"); done
  : >"$work/fresh-save-ms"; : >"$work/fresh-kept-ms"; : >"$work/fresh-process-ms"; : >"$work/fresh-bodies"
  series=(save kept process)
  for round in $(seq "$rounds"); do
    for i in 0 1 2; do "series_${series[$(((i + round - 1) % 3))]}"; done
  done
  fresh_seen=$(collections_in "$work/fresh-bodies")
  fresh_total=$(wc -l <"$work/fresh-kept-ms")
  collector_ms=$(grep -E "$collector_line" "$work/fresh-bodies" | awk '{ print $2 * 1000 }' | median)
  stop "$fresh_pid"
  save_median=$(median_of "$work/fresh-save-ms")
  fresh_rows+="| $size ($loaded_rules loaded, $dump_bytes B, the exporter counted $exported_rules) | kept-alive connection | $(spread "$work/fresh-kept-ms") | $(spread "$work/fresh-save-ms") | $(ratio "$(median_of "$work/fresh-kept-ms")" "$save_median") × | $fresh_seen of $fresh_total kept-alive scrapes collected afresh; collector duration (its metric) median $(calc %.1f "$collector_ms") ms |"$'\n'
  fresh_rows+="| $size | new curl process per scrape | $(spread "$work/fresh-process-ms") | (same) | $(ratio "$(median_of "$work/fresh-process-ms")" "$save_median") × | |"$'\n'
done

# ---- report ---------------------------------------------------------------------------------------------
cat <<EOF

## Run of $started_at

$(machine_report)
Goals 1, 2, 4, 5 on the ${rules}-rule table: $main_rules rules loaded, $main_bytes bytes of \`iptables-legacy-save -c -t nat\` (generator defaults: 20 hostPort pods, 1 stale). node_exporter: \`--collector.disable-defaults --collector.conntrack\`, in the same namespace. wrk -t2 -c8.

| # | measure | exporter | node_exporter / reference | ratio |
|---|---|---|---|---|
| 1 | RSS idle (after 3 scrapes each, 2 s later) | $exporter_idle MB | $node_idle MB | $(ratio "$exporter_idle" "$node_idle") × |
| 1 | RSS peak, sampled every 100 ms during all $rounds × 2 A/B wrk runs | $exporter_peak MB | $node_peak MB | $(ratio "$exporter_peak" "$node_peak") × |
| 2 | start-up: process start to first HTTP 200 from /metrics, median of $startup_runs alternating starts (exporter's first scrape collects the table) | $startup_exporter ms ($(startup_list "$work/startup-exporter")) | $startup_node ms ($(startup_list "$work/startup-node")) | $(ratio "$startup_exporter" "$startup_node") × |
| 2 | of which: process start to the first accepted connection, median | $connect_exporter ms | $connect_node ms | |
| 4 | scrapes/s served from the snapshot (min-interval 1h), median of $rounds × ${duration}s (runs: req/s / p99 ms) | $exporter_rps ($exporter_runs) | $node_rps ($node_runs) | $(ratio "$exporter_rps" "$node_rps") × |
| 4 | p99 latency, median of those runs | $exporter_p99 ms | $node_p99 ms | $(ratio "$exporter_p99" "$node_p99") × |
| 4 | the same in OpenMetrics (Accept as Prometheus sends it), one run | $openmetrics_rps req/s, p99 $openmetrics_p99 ms | | $(ratio "$openmetrics_rps" "$node_rps") × |
| 4 | ceiling: wrk on the same exporter's /healthz, one run | $healthz_rps req/s, p99 $healthz_p99 ms | | metrics at $(ratio "$exporter_rps" "$healthz_rps") × of it |
| 4 | response size; non-2xx under load | $exporter_bytes B; $exporter_errors | $node_bytes B | |
| 5 | CPU per fresh collection: the exporter's own (utime+stime) vs the save's (its cutime+cstime), $cpu_seen collections (by their bodies) from $cpu_collections scrapes in ${cpu_seconds}s | $own_ms ms (user $own_user_ms, system $own_system_ms) | $save_cpu_ms ms (hyperfine, same save as a new process: $hyperfine_save_cpu_ms ms) | $(ratio "$own_ms" "$save_cpu_ms") × |
| 5 | CPU per hour, one fresh collection every 15 s (240 an hour) | own $(per_hour "$own_ms") s; own + save $(per_hour "$(calc %.3f "$own_ms + $save_cpu_ms")") s | | |
| 5 | CPU while idle (no scrapes for ${cpu_idle}s), own | $idle_own_ms_per_s ms/s ($(calc %.1f "$idle_own_ms_per_s * 3.6") s an hour) | | |
| | save runs during the A/B load (min-interval 1h) | $runs_during_load | | 0 expected |
| | min-interval 5s: scrapes/s and p99 over ${duration}s of wrk, refreshes included | $refreshing_rps req/s, p99 $refreshing_p99 ms, $refresh_runs save runs | | at most $((duration / 5 + 1)) save runs expected |
| | save runs under 40 concurrent scrapes (expired snapshot, min-interval 5s) | $concurrent_runs ($concurrent_ok of 40 got 200) | | 1 expected |

Start-up polling: one bash process connecting to the port, with 1 ms naps between refused attempts (no process started per attempt): $poll_ms ms per refused attempt on average over all starts, the polling granularity; an accepted connection waits for the response. Timed from just before the fork (\`ip netns exec\` already done) to the status line. CPU: clock ticks of 1/$clock_ticks s, summed over the whole series; RSS of that exporter after it: $cpu_rss MB.

Goal 3, a scrape that triggers a fresh collection (min-interval 1ms) vs the raw \`iptables-legacy-save -c -t nat\` (hyperfine -N, output to /dev/null), $rounds rounds of three series of $fresh_runs, order rotated, every run after ~150 ms idle:

| rules | scrape | fresh scrape | raw save | median ratio | notes |
|---|---|---|---|---|---|
$fresh_rows
EOF
