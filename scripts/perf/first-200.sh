#!/usr/bin/env bash
# first-200.sh PORT PATH LOG -- COMMAND…: starts COMMAND (output to LOG) and prints how long it took from just
# before the fork to the first "HTTP/1.1 200" status line from http://127.0.0.1:PORT/PATH, in ms, then the
# number of connection attempts, then stops COMMAND (by its PID) and waits for it. Run it in the namespace of
# the server (compare.sh: ip netns exec NS first-200.sh …). Measures only.
# Prints "MS ATTEMPTS CONNECT_MS": CONNECT_MS is when a connection was first accepted, so
# CONNECT_MS / (ATTEMPTS - 1) is the time per refused attempt, the polling granularity.
#
# Why bash and /dev/tcp rather than curl in a loop: an attempt is a connect() in this shell, with no process
# started per attempt, and the nap between attempts is a read with a 1 ms timeout on a pipe nobody writes to
# (no sleep process either), so the polling granularity is about 1 ms plus a refused connect (a few µs). A
# connection that is accepted waits for the whole response, so a server that accepts before it can answer
# (the exporter collects on the first scrape) is timed to its answer, not polled.
set -euo pipefail
port=$1 path=$2 log=$3
[[ $4 == -- ]] || { echo "usage: first-200.sh PORT PATH LOG -- COMMAND…" >&2; exit 2; }
shift 4

child=
trap '[[ -z $child ]] || { kill "$child" 2>/dev/null || true; wait "$child" 2>/dev/null || true; }' EXIT
exec {nap}<> <(:)

start=$EPOCHREALTIME
"$@" >"$log" 2>&1 &
child=$!
attempts=0
status=
connected=
until [[ $status == 200 ]]; do
  attempts=$((attempts + 1))
  if { exec {connection}<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
    connected=${connected:-$EPOCHREALTIME}
    printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nConnection: close\r\n\r\n' "$path" "$port" >&"$connection"
    read -r -t 60 -u "$connection" _ status _ || status=
    end=$EPOCHREALTIME
    exec {connection}>&-
  fi
  if [[ $status != 200 ]]; then
    kill -0 "$child" 2>/dev/null || { echo "first-200.sh: $1 exited before answering 200; its log:" >&2; cat "$log" >&2; exit 1; }
    ((attempts < 60000)) || { echo "first-200.sh: no 200 from port $port after $attempts attempts" >&2; exit 1; }
    read -r -t 0.001 -u "$nap" || true
  fi
done
awk -v start="$start" -v end="$end" -v connected="$connected" -v attempts="$attempts" \
  'BEGIN { printf "%.1f %d %.1f\n", (end - start) * 1000, attempts, (connected - start) * 1000 }'
