#!/usr/bin/env bash
# What basic_auth_users costs the exporter: a thousand authenticated scrapes must not cost a thousand bcrypt hashes
# (docs/security.md, "Basic auth"). Starts four shipped Native AOT exporters side by side on loopback, reading a
# saved dump and the conntrack fixture tree (no root, no iptables needed):
#   A  no --web.config.file
#   B  basic_auth_users with a cost-10 hash; SCRAPES scrapes with the right password
#   C  the same configuration; SCRAPES scrapes each with a different wrong password (each one a real bcrypt)
#   D  the same configuration; UNKNOWN scrapes each as a different user that is not configured (the dummy hash)
# and prints, per case, the exporter's own CPU seconds (utime+stime from /proc/PID/stat, before and after) and the
# wall time of the sequential requests (one curl process, one kept-alive connection). Plain HTTP, so TLS does not
# blur the bcrypt figure. Expected: B about A, C and D about SCRAPES (UNKNOWN) x one bcrypt at cost 10.
#
#   scripts/bench-basic-auth.sh            # SCRAPES=1000 UNKNOWN=100 EXPORTER=artifacts/aot/netfilter-exporter
#
# Uses artifacts/aot/netfilter-exporter (the test build publishes it) or publishes one into a scratch directory.
# Needs curl and htpasswd (apache2-utils). Measures only; stops every exporter it starts by PID on exit.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
SCRAPES=${SCRAPES:-1000}
UNKNOWN=${UNKNOWN:-100}
me=$(basename "$0")

for command in curl htpasswd; do
  command -v "$command" >/dev/null || { echo "$me: needs $command (apt-get install curl apache2-utils)" >&2; exit 2; }
done

work=$(mktemp -d /tmp/nfx-bench-auth.XXXXXX)
started=()
cleanup() {
  local pid
  for pid in "${started[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${started[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

exporter=${EXPORTER:-$repo/artifacts/aot/netfilter-exporter}
if [[ ! -x $exporter ]]; then
  echo "$me: $exporter not found, publishing the Native AOT binary" >&2
  dotnet publish "$repo/src/NetfilterExporter" -c Release --use-current-runtime -o "$work/publish" >/dev/null
  exporter=$work/publish/netfilter-exporter
fi

no_dotnet=()
for variable in $(compgen -e); do
  if [[ $variable == DOTNET_* ]]; then no_dotnet+=(-u "$variable"); fi
done
fixture=$repo/tests/NetfilterExporter.Tests/Fixtures/conntrack/persistent-etc
password=$(head -c 18 /dev/urandom | base64)
hash=$(htpasswd -nbBC 10 '' "$password" | tr -d ':\n')
printf 'basic_auth_users:\n  prometheus: %s\n' "$hash" > "$work/web-config.yml"

# start NAME PORT [FLAG…]: one exporter in the background, its PID in pid_NAME, ready once /healthz answers.
start() {
  local name=$1 port=$2
  shift 2
  # No DOTNET_* variable: the AOT binary carries its runtime settings, as it ships.
  env "${no_dotnet[@]}" "$exporter" --web.listen-address="127.0.0.1:$port" \
    --iptables.from-file="$repo/examples/after-stop-start.legacy-ipv4.txt" --cri.endpoint=none \
    --path.procfs="$fixture/proc" --path.sysfs="$fixture/sys" --path.rootfs="$fixture/rootfs" \
    --collector.min-interval=1h "$@" >"$work/$name.log" 2>&1 &
  started+=("$!")
  printf -v "pid_$name" %s "$!"
  for _ in $(seq 100); do
    curl -sf -o /dev/null "http://127.0.0.1:$port/healthz" && return 0
    sleep 0.1
  done
  echo "$me: exporter $name did not answer on port $port:" >&2
  cat "$work/$name.log" >&2
  exit 1
}

# cpu PID: utime+stime in clock ticks (fields 14 and 15, counted after the parenthesised command name).
cpu() { sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }

# run NAME CONFIG: the requests of one curl config file on one connection; prints "codes wall_s cpu_s".
run() {
  local name=$1 config=$2 pid before after t0 t1 codes
  pid=pid_$name
  pid=${!pid}
  before=$(cpu "$pid")
  t0=$(date +%s.%N)
  codes=$(curl -s -K "$config" | sort | uniq -c | awk '{ printf "%s%s x%s", (NR > 1 ? ", " : ""), $2, $1 }')
  t1=$(date +%s.%N)
  after=$(cpu "$pid")
  awk -v codes="$codes" -v t0="$t0" -v t1="$t1" -v b="$before" -v a="$after" -v hz="$(getconf CLK_TCK)" \
    'BEGIN { printf "%s|%.2f|%.2f\n", codes, t1 - t0, (a - b) / hz }'
}

# config FILE COUNT USER-AND-PASSWORD-PATTERN PORT: a curl config of COUNT scrapes; %d in the pattern is the index.
config() {
  local file=$1 count=$2 pattern=$3 port=$4 i
  : >"$file"
  for ((i = 1; i <= count; i++)); do
    {
      if ((i > 1)); then echo next; fi
      echo "url = \"http://127.0.0.1:$port/metrics\""
      echo 'output = "/dev/null"'
      echo 'write-out = "%{http_code}\n"'
      if [[ -n $pattern ]]; then printf 'user = "%s"\n' "${pattern//%d/$i}"; fi
    } >>"$file"
  done
}

base=$((20000 + RANDOM % 20000))
start A $base
start B $((base + 1)) --web.config.file="$work/web-config.yml"
start C $((base + 2)) --web.config.file="$work/web-config.yml"
start D $((base + 3)) --web.config.file="$work/web-config.yml"
config "$work/a.curl" "$SCRAPES" "" $base
config "$work/b.curl" "$SCRAPES" "prometheus:$password" $((base + 1))
config "$work/c.curl" "$SCRAPES" "prometheus:wrong-%d" $((base + 2))
config "$work/d.curl" "$UNKNOWN" "nobody-%d:wrong-%d" $((base + 3))

echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), bcrypt cost 10, $exporter"
echo
echo "| case | requests | answers | wall s | ms per request | exporter CPU s | CPU ms per request |"
echo "|---|---|---|---|---|---|---|"
for case in "A no web config:A:a:$SCRAPES" "B right password:B:b:$SCRAPES" "C wrong password each time:C:c:$SCRAPES" \
  "D unknown user each time:D:d:$UNKNOWN"; do
  IFS=: read -r label name file count <<<"$case"
  IFS='|' read -r codes wall cpu_s <<<"$(run "$name" "$work/$file.curl")"
  awk -v l="$label" -v n="$count" -v c="$codes" -v w="$wall" -v s="$cpu_s" \
    'BEGIN { printf "| %s | %d | %s | %.2f | %.2f | %.2f | %.2f |\n", l, n, c, w, 1000 * w / n, s, 1000 * s / n }'
done
