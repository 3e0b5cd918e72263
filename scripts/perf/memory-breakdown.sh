#!/usr/bin/env bash
# Where the exporter's resident memory goes: starts the shipped (Native AOT) exporter and node_exporter on
# loopback, scrapes each a few times, and prints their VmRSS split by mapping from /proc/PID/smaps:
#   file-backed pages of the executable (code, read-only data), of shared libraries, and anonymous memory
#   (the executable's writable data, the heaps, thread stacks).
# And, for the exporter, its code by assembly from the AOT compiler's map file (IlcGenerateMapFile), because
# code pages are resident in proportion to how much code there is (the kernel maps 64 KB around each fault).
# Measures only. Stops what it starts by PID.
#
# Environment: DUMP (a saved nat table to serve; default: examples/after-stop-start.legacy-ipv4.txt).
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
work=$(mktemp -d /tmp/nfmem.XXXXXX)
started=()
cleanup() {
  for pid in "${started[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${started[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
dump=${DUMP:-$repo/examples/after-stop-start.legacy-ipv4.txt}
fixture=$repo/tests/Fixtures/conntrack/persistent-etc

echo "memory-breakdown.sh: publishing (Native AOT, with the compiler's map file)" >&2
# Intermediates in the scratch directory, so that the map is always this compile's (an up-to-date publish into
# obj/ would skip the compiler and leave whatever map an earlier one wrote).
dotnet publish src/NetfilterExporter -c Release --use-current-runtime -p:IlcGenerateMapFile=true \
  -p:IntermediateOutputPath="$work/obj/" -o "$work/exporter" >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
map=$work/obj/native/netfilter-exporter.map.xml

"$work/exporter/netfilter-exporter" --iptables.from-file="legacy,ipv4=$dump" --path.procfs="$fixture/proc" \
  --path.sysfs="$fixture/sys" --path.rootfs="$fixture/rootfs" --web.listen-address=127.0.0.1:19466 >"$work/exporter.log" 2>&1 &
exporter=$!
started+=("$exporter")
prometheus-node-exporter --collector.disable-defaults --collector.conntrack --web.listen-address=127.0.0.1:19467 >"$work/node.log" 2>&1 &
node=$!
started+=("$node")
for url in http://127.0.0.1:19466/metrics http://127.0.0.1:19467/metrics; do
  for _ in $(seq 100); do curl -sf -o /dev/null "$url" && break; sleep 0.05; done
  for _ in 1 2 3; do curl -sf -o /dev/null "$url"; done
done
sleep 2

# breakdown PID NAME: kB resident per kind of mapping.
breakdown() {
  local exe
  exe=$(readlink "/proc/$1/exe")
  awk -v exe="$exe" -v name="$2" '
    /^[0-9a-f]+-[0-9a-f]+ / {
      perms = $2; path = $6
      if (path == exe) kind = (perms ~ /x/ ? "executable: code" : (perms ~ /w/ ? "executable: writable data" : "executable: read-only data"))
      else if (path ~ /^\//) kind = "shared libraries and other files"
      else if (path == "[stack]") kind = "anonymous: main stack"
      else if (path == "[heap]") kind = "anonymous: malloc heap (brk)"
      else kind = "anonymous: runtime heaps, thread stacks, mmap"
      next
    }
    /^Rss:/ { kb[kind] += $2; total += $2 }
    END {
      printf "| %s | kB |\n|---|---|\n", name
      for (kind in kb) printf "| %s | %d |\n", kind, kb[kind] | "sort"
      close("sort")
      printf "| **total (VmRSS)** | **%d** |\n\n", total
    }' "/proc/$1/smaps"
}

echo "## Resident memory by mapping, $(date -u '+%Y-%m-%d %H:%M UTC'), idle after 3 scrapes"
echo
breakdown "$exporter" "netfilter-exporter $("$work/exporter/netfilter-exporter" --version | cut -d' ' -f2)"
breakdown "$node" "node_exporter $(prometheus-node-exporter --version 2>&1 | awk 'NR == 1 { print $3 }')"
echo "Executable sizes: netfilter-exporter $(stat -c %s "$work/exporter/netfilter-exporter") B, node_exporter $(stat -c %s "$(readlink -f "$(command -v prometheus-node-exporter)")") B."
echo
echo "## netfilter-exporter's compiled code by assembly (AOT map file), top 25"
echo
python3 - "$map" <<'PY'
import collections, re, sys
kinds = collections.Counter(); code = collections.Counter()
for match in re.finditer(r'<(\w+) Name="([^"]*)" Length="(\d+)"', open(sys.argv[1], encoding="utf-8").read()):
    kind, name, length = match.group(1), match.group(2), int(match.group(3))
    kinds[kind] += length
    if kind == "MethodCode":
        # Symbols start with the assembly's mangled name (S_P_CoreLib_…, Microsoft_AspNetCore_Server_…).
        code["_".join(name.split("_")[:3])] += length
print("| assembly (symbol prefix) | code bytes |\n|---|---|")
for owner, length in code.most_common(25):
    print(f"| {owner} | {length:,} |")
print()
print("| section of the image | bytes |\n|---|---|")
for kind, length in kinds.most_common(8):
    print(f"| {kind} | {length:,} |")
PY
