# Shared by compare.sh and flat.sh (sourced, not run): root and package checks, the scratch directory and
# namespace with their cleanup, the builds, tables, starting the exporter, and the numbers read from /proc.
# Everything a script starts goes into $started and is stopped by PID on exit; the namespace is deleted.
# shellcheck shell=bash

me=$(basename "$0")
log() { echo "$me: $*" >&2; }

if [[ $(id -u) != 0 ]]; then
  log "needs root (network namespaces, iptables)"
  exit 2
fi
missing=()
for package in wrk hyperfine prometheus-node-exporter iptables iproute2 curl jq; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]} > 0)); then
  log "installing ${missing[*]}"
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

# Runs a command in the namespace. Background processes are started with "ip netns exec" directly instead,
# so that $! is the process itself (ip and env exec into it), not a subshell.
in_ns() { ip netns exec "$ns" "$@"; }

# What ships is the Native AOT binary, which carries its runtime settings (GC gen0 budget, workstation GC)
# inside it; it is measured with no DOTNET_* variable at all, so that nothing from this
# shell (the SDK's telemetry opt-out and the like) changes what it does. "${no_dotnet_env[@]}" COMMAND… runs it so.
no_dotnet_env=(env)
while read -r variable; do no_dotnet_env+=(-u "$variable"); done < <(compgen -e | grep '^DOTNET_' || true)

# build: publishes the exporter as it ships (PublishAot and the rest are in the csproj) unless EXPORTER names an
# already published binary, and builds the table generator. Sets $exporter and $generator.
build() {
  if [[ -n ${EXPORTER:-} ]]; then
    exporter=$(realpath "$EXPORTER")
    log "using the exporter at $exporter (EXPORTER)"
  else
    log "publishing the exporter (Native AOT, Release)"
    dotnet publish src/NetfilterExporter -c Release --use-current-runtime -o "$work/exporter" \
      >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
    exporter=$work/exporter/netfilter-exporter
  fi
  log "building the table generator"
  dotnet build bench/NetfilterExporter.Benchmarks -c Release -o "$work/bench" >>"$work/build.log" 2>&1 \
    || { cat "$work/build.log" >&2; exit 1; }
  generator=$work/bench/NetfilterExporter.Benchmarks
}

# generate FILE ARGS…: writes a generated nat table (the generator's "generate" arguments) to FILE.
generate() {
  local file=$1
  shift
  "$generator" generate "$@" >"$file" 2>"$file.log" || { cat "$file.log" >&2; exit 1; }
}

# make_namespace: the namespace every process below runs in, with its loopback up.
make_namespace() {
  ip netns add "$ns"
  in_ns ip link set lo up
}

# load_table FILE: replaces the namespace's nat table with FILE (iptables-legacy-restore -c flushes it first).
load_table() { in_ns iptables-legacy-restore -c <"$1"; }

save=$(command -v iptables-legacy-save)

# counting_save NAME: a wrapper around the save command that adds a line to $work/runs-NAME per run. It execs
# the save, so the save is still the exporter's child (its CPU lands in the exporter's cutime/cstime).
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

# start_exporter NAME PORT MIN_INTERVAL SAVE_COMMAND: starts the exporter in the namespace, reading only the
# table the raw save reads (legacy, ipv4), and waits until it serves /healthz; sets $pid.
exporter_flags() {
  echo --web.listen-address="127.0.0.1:$1" --iptables.backends=legacy --iptables.families=ipv4 \
    --iptables.save-command.legacy-ipv4="$3" --collector.min-interval="$2" --log.level=warn
}
start_exporter() {
  local name=$1 port=$2 interval=$3 command=$4
  # shellcheck disable=SC2046 # exporter_flags prints words without spaces in them
  ip netns exec "$ns" "${no_dotnet_env[@]}" "$exporter" $(exporter_flags "$port" "$interval" "$command") \
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

# rss_mb PID [FIELD]: VmRSS (or another /proc/PID/status field in kB, e.g. RssAnon) in MB.
rss_mb() { awk -v field="${2:-VmRSS}:" '$1 == field { printf "%.1f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo "?"; }

# Samples VmRSS of a process every 100 ms into a file until killed.
sample_rss() {
  while kill -0 "$1" 2>/dev/null; do
    awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" >>"$2" 2>/dev/null || true
    sleep 0.1
  done
}
peak_mb() { sort -n "$1" | tail -1 | awk '{ printf "%.1f", $1 / 1024 }'; }

# cpu_ticks PID: "own children user system" CPU in clock ticks from /proc/PID/stat: utime+stime (the process
# itself, all its threads), cutime+cstime (its children that it has waited for, here the save commands), then
# utime and stime alone. The fields are counted after the ")" that ends the command name, so a name with spaces
# cannot shift them.
cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13, $14 + $15, $12, $13 }'; }
clock_ticks=$(getconf CLK_TCK)

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
median_of() { median <"$1"; }
# "median X ms (min, max; N runs)" of a file of milliseconds.
spread() { sort -n "$1" | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "median %.1f ms (min %.1f, max %.1f; %d runs)", m, v[1], v[NR], NR }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.2f", a / b }'; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }

load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
started_at=$(date -u '+%Y-%m-%d %H:%M UTC')
# machine_report: the lines every report starts with (when, where, what versions, how busy the machine was).
machine_report() {
  local cpu memory
  cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
  memory=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
  echo "Started $started_at, finished $(date -u '+%Y-%m-%d %H:%M UTC') (\`$me\`, commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src || echo ', with uncommitted changes under src/'))."
  echo
  echo "Machine: $(nproc) cores ($cpu), $memory RAM, kernel $(uname -r), $(. /etc/os-release && echo "$PRETTY_NAME")."
  echo "Load average (1/5/15 min) at start: $load_at_start, at end: $(cut -d' ' -f1-3 /proc/loadavg); other work on the machine shows up as noise."
  echo "Versions: $("$exporter" --version), $(stat -c %s "$exporter") bytes; $(iptables-legacy --version);" \
    "node_exporter $(prometheus-node-exporter --version 2>&1 | awk 'NR == 1 { print $3 }'); $(wrk -v 2>&1 | awk 'NR == 1 { print $1, $2 }');" \
    "$(hyperfine --version); $(curl --version | awk 'NR == 1 { print $1, $2 }')."
  echo "The exporter ran as published (Native AOT) with no DOTNET_* variable in its environment."
}
