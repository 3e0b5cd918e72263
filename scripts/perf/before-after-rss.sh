#!/usr/bin/env bash
# A/B of resident memory and cached scrapes between two builds, alternating, with the same generated dump.
# Publish each first (the shipped Native AOT build) into /tmp/ab/old-out and /tmp/ab/new-out, e.g.
#   git worktree add /tmp/ab/old <rev>; (cd /tmp/ab/old && dotnet publish src/NetfilterExporter -c Release \
#     --use-current-runtime -o /tmp/ab/old-out)
# Measures only; stops every exporter it starts by PID. Needs wrk and curl.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
F=$repo/tests/Fixtures/conntrack/persistent-etc
dump=/tmp/ab/dump.txt
# Built, then run, so that build warnings never land in the dump.
dotnet build -c Release "$repo/bench/NetfilterExporter.Benchmarks" -o /tmp/ab/bench >/dev/null
# Through the muxer: the build output carries a libhostfxr.so beside the apphost, which then takes the folder for a
# self-contained install and finds no framework there.
dotnet /tmp/ab/bench/NetfilterExporter.Benchmarks.dll generate --rules 25000 --hostport-pods 20 --stale-pods 1 > $dump 2>/dev/null
rss() { awk '/^VmRSS/ { printf "%.1f", $2/1024 }' /proc/$1/status; }
for round in 1 2; do
  for v in old new; do
    port=$((19100 + RANDOM % 500))
    /tmp/ab/$v-out/netfilter-exporter --iptables.from-file=legacy,ipv4=$dump --collector.min-interval=1h \
      --path.procfs=$F/proc --path.sysfs=$F/sys --path.rootfs=$F/rootfs --web.listen-address=127.0.0.1:$port >/tmp/ab/$v.log 2>&1 &
    pid=$!
    for _ in $(seq 100); do curl -sf -o /dev/null localhost:$port/healthz && break; sleep 0.1; done
    for _ in 1 2 3; do curl -s -o /dev/null localhost:$port/metrics; done
    sleep 2; idle=$(rss $pid)
    peak=0
    wrk -t2 -c8 -d8s http://127.0.0.1:$port/metrics > /tmp/ab/wrk-$v.txt &
    wpid=$!
    while kill -0 $wpid 2>/dev/null; do r=$(rss $pid); awk -v a=$r -v b=$peak 'BEGIN{exit !(a>b)}' && peak=$r; sleep 0.2; done
    rps=$(awk '/Requests\/sec/ {print $2}' /tmp/ab/wrk-$v.txt)
    echo "round $round $v: idle ${idle} MB, peak ${peak} MB, ${rps} req/s"
    kill $pid; wait $pid 2>/dev/null || true
  done
done
