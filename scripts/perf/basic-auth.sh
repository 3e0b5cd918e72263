#!/usr/bin/env bash
# What basic_auth_users costs the exporter: a thousand authenticated scrapes must not cost a thousand bcrypt hashes
# (docs/security.md, "Basic auth"). Starts four shipped Native AOT exporters side by side in one network namespace
# (lib.sh: root), reading a saved dump and the conntrack fixture tree:
#   A  no --web.config.file
#   B  basic_auth_users with a cost-10 hash; SCRAPES scrapes with the right password
#   C  the same configuration; SCRAPES scrapes each with a different wrong password (each one a real bcrypt)
#   D  the same configuration; UNKNOWN scrapes each as a different user that is not configured (the dummy hash)
# and prints, per case, the exporter's own CPU seconds (utime+stime from /proc/PID/stat, before and after) and the
# wall time of the sequential requests (one curl process, one kept-alive connection). Plain HTTP, so TLS does not
# blur the bcrypt figure. Expected: B about A, C and D about SCRAPES (UNKNOWN) x one bcrypt at cost 10.
#
#   scripts/perf/basic-auth.sh            # SCRAPES=1000 UNKNOWN=100 EXPORTER=artifacts/aot/netfilter-exporter
#
# Uses artifacts/aot/netfilter-exporter (the test build publishes it) or publishes one into the scratch directory.
# Needs htpasswd (apache2-utils, installed when missing). Measures only; lib.sh stops every exporter by PID on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
SCRAPES=${SCRAPES:-1000}
UNKNOWN=${UNKNOWN:-100}

# shellcheck source=scripts/perf/lib.sh
. "$repo/scripts/perf/lib.sh"

if ! command -v htpasswd >/dev/null; then
  log "installing apache2-utils (htpasswd)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends apache2-utils >/dev/null
fi
exporter=${EXPORTER:-$repo/artifacts/aot/netfilter-exporter}
if [[ ! -x $exporter ]]; then
  log "$exporter not found, publishing the Native AOT binary"
  dotnet publish src/NetfilterExporter -c Release --use-current-runtime -o "$work/exporter" >"$work/build.log" 2>&1 \
    || { cat "$work/build.log" >&2; exit 1; }
  exporter=$work/exporter/netfilter-exporter
fi
make_namespace

fixture=$repo/tests/Fixtures/conntrack/persistent-etc
password=$(head -c 18 /dev/urandom | base64)
hash=$(htpasswd -nbBC 10 '' "$password" | tr -d ':\n')
printf 'basic_auth_users:\n  prometheus: %s\n' "$hash" > "$work/web-config.yml"

# start NAME PORT [FLAG…]: one exporter in the namespace, its PID in pid_NAME, ready once /healthz answers.
start() {
  local name=$1 port=$2
  shift 2
  ip netns exec "$ns" "${no_dotnet_env[@]}" "$exporter" --web.listen-address="127.0.0.1:$port" \
    --iptables.from-file="$repo/examples/after-stop-start.legacy-ipv4.txt" --cri.endpoint=none \
    --path.procfs="$fixture/proc" --path.sysfs="$fixture/sys" --path.rootfs="$fixture/rootfs" \
    --collector.min-interval=1h "$@" >"$work/$name.log" 2>&1 &
  started+=("$!")
  printf -v "pid_$name" %s "$!"
  wait_ready "http://127.0.0.1:$port/healthz" "$name" "$!"
}

# run NAME CONFIG: the requests of one curl config file on one connection; prints "codes|wall_s|cpu_s".
run() {
  local name=$1 config=$2 pid before after t0 t1 codes
  pid=pid_$name
  pid=${!pid}
  read -r before _ < <(cpu_ticks "$pid")
  t0=$(date +%s.%N)
  codes=$(in_ns curl -s -K "$config" | sort | uniq -c | awk '{ printf "%s%s x%s", (NR > 1 ? ", " : ""), $2, $1 }')
  t1=$(date +%s.%N)
  read -r after _ < <(cpu_ticks "$pid")
  awk -v codes="$codes" -v t0="$t0" -v t1="$t1" -v b="$before" -v a="$after" -v hz="$clock_ticks" \
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

base=10080
start A $base
start B $((base + 1)) --web.config.file="$work/web-config.yml"
start C $((base + 2)) --web.config.file="$work/web-config.yml"
start D $((base + 3)) --web.config.file="$work/web-config.yml"
config "$work/a.curl" "$SCRAPES" "" $base
config "$work/b.curl" "$SCRAPES" "prometheus:$password" $((base + 1))
config "$work/c.curl" "$SCRAPES" "prometheus:wrong-%d" $((base + 2))
config "$work/d.curl" "$UNKNOWN" "nobody-%d:wrong-%d" $((base + 3))

table=$(
echo "| case | requests | answers | wall s | ms per request | exporter CPU s | CPU ms per request |"
echo "|---|---|---|---|---|---|---|"
for case in "A no web config:A:a:$SCRAPES" "B right password:B:b:$SCRAPES" "C wrong password each time:C:c:$SCRAPES" \
  "D unknown user each time:D:d:$UNKNOWN"; do
  IFS=: read -r label name file count <<<"$case"
  IFS='|' read -r codes wall cpu_s <<<"$(run "$name" "$work/$file.curl")"
  awk -v l="$label" -v n="$count" -v c="$codes" -v w="$wall" -v s="$cpu_s" \
    'BEGIN { printf "| %s | %d | %s | %.2f | %.2f | %.2f | %.2f |\n", l, n, c, w, 1000 * w / n, s, 1000 * s / n }'
done
)
# The report after the runs, so that it states when they finished and the load at the end.
machine_report
echo
echo "bcrypt cost 10; $SCRAPES scrapes per case (D: $UNKNOWN)."
echo
echo "$table"
