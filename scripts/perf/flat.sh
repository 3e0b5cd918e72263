#!/usr/bin/env bash
# Flatness of the exporter's resident memory, in one run on this machine (root, network namespaces); prints a
# markdown report with the raw series:
#   - RSS after FLAT_COLLECTIONS fresh collections of a RULES-rule table vs after 100, as fast as they go: an
#     exporter with --collector.min-interval=1ms scraped by curl over one kept-alive connection per batch,
#   - RSS with CHURN_PODS hostPort pods churning between collections: CHURN_TABLES tables that differ only in the
#     pods' sandbox (container) ids, restored into the namespace in turn before each collection, after 100 vs
#     after CHURN_COLLECTIONS of them.
# Collections are counted by a wrapper around the save command (one line per run). Not run by compare.sh: it
# takes about 30 minutes with the defaults (10,000 collections of ~110 ms, then 1,000 restores of ~0.4 s and
# their collections). Measures only; asserts nothing. Everything it starts is stopped on exit.
#
# Environment (defaults): RULES (25000); FLAT_COLLECTIONS (10000); FLAT_STEP (1000) collections between RSS
# samples; CHURN_COLLECTIONS (1000); CHURN_STEP (100); CHURN_PODS (500); CHURN_TABLES (2); EXPORTER: an already
# published binary to measure instead of publishing one.
set -euo pipefail
cd "$(dirname "$0")/../.."
here=$(pwd)/scripts/perf

rules=${RULES:-25000}
flat_collections=${FLAT_COLLECTIONS:-10000}
flat_step=${FLAT_STEP:-1000}
churn_collections=${CHURN_COLLECTIONS:-1000}
churn_step=${CHURN_STEP:-100}
churn_pods=${CHURN_PODS:-500}
churn_tables=${CHURN_TABLES:-2}
port=10070

# shellcheck source=scripts/perf/lib.sh
. "$here/lib.sh"

build
log "generating a ${rules}-rule table and $churn_tables with $churn_pods hostPort pods each (different sandbox ids)"
generate "$work/nat.dump" --rules "$rules"
for table in $(seq "$churn_tables"); do
  generate "$work/churn-$table.dump" --rules "$rules" --hostport-pods "$churn_pods" --stale-pods 0 --sandbox-seed "$table"
  # The first pod's container id in this table: a scrape after loading it must show it (the churn was seen).
  grep -m1 -o 'id: \\"[0-9a-f]*' "$work/churn-$table.dump" | sed 's/.*"//' >"$work/churn-$table.id"
done
make_namespace
load_table "$work/nat.dump"
loaded_rules=$(in_ns "$save" -t nat | grep -c '^-A ' || true)
dump_bytes=$(in_ns "$save" -c -t nat | wc -c)
churn_rules=$(grep -c '^\[[0-9]*:[0-9]*\] -A ' "$work/churn-1.dump")
churn_bytes=$(wc -c <"$work/churn-1.dump")

# checkpoints LAST STEP: 1, 100, then every STEP, and LAST: the collection counts at which RSS is sampled.
checkpoints() { { echo 1; echo 100; seq "$2" "$2" "$1"; echo "$1"; } | awk -v last="$1" '$1 <= last' | sort -nu; }
# sample NAME COLLECTIONS SCRAPES: one line of the series: collections, scrapes, seconds since the first scrape,
# VmRSS and RssAnon (the heap's part of it) in MB.
sample() {
  echo "$2 $3 $(calc %.0f "$EPOCHREALTIME - $series_started") $(rss_mb "$pid") $(rss_mb "$pid" RssAnon)" >>"$work/series-$1"
  log "$1: $2 collections, RSS $(rss_mb "$pid") MB"
}
# rss_at NAME COLLECTIONS: VmRSS at that checkpoint (the last one when COLLECTIONS is "last").
rss_at() { awk -v at="$2" '$1 == at || at == "last" { rss = $4 } END { print rss }' "$work/series-$1"; }
# table NAME: the series as markdown rows.
table() { awk '{ printf "| %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5 }' "$work/series-$1"; }

# ---- fresh collections as fast as they go --------------------------------------------------------------------
# One curl per batch, every URL of it over the same kept-alive connection. With min-interval 1ms nearly every
# scrape collects afresh; one that arrives within 1 ms of the last collection's end is served from it, so the
# wrapper's count, not the number of scrapes, decides when a checkpoint is reached (a short batch tops it up).
log "fresh collections: $flat_collections at $rules rules, RSS every $flat_step"
counting_save flat
start_exporter flat "$port" 1ms "$work/save-flat" || exit 1
flat_pid=$pid
url="http://127.0.0.1:$port/metrics"
scrapes=0
series_started=$EPOCHREALTIME
: >"$work/series-flat"
for target in $(checkpoints "$flat_collections" "$flat_step"); do
  while (($(runs flat) < target)); do
    need=$((target - $(runs flat)))
    urls=()
    for _ in $(seq "$need"); do urls+=("$url"); done
    in_ns curl -sf "${urls[@]}" >/dev/null
    scrapes=$((scrapes + need))
  done
  sample flat "$(runs flat)" "$scrapes"
done
flat_seconds=$(calc %.0f "$EPOCHREALTIME - $series_started")
# Against the sample at 100 collections (after the first, when fewer were asked for).
flat_base=$((flat_collections >= 100 ? 100 : 1))
flat_at_100=$(rss_at flat "$flat_base")
flat_at_last=$(rss_at flat last)
stop "$flat_pid"

# ---- hostPort pods churning between collections ----------------------------------------------------------------
# Before each collection the next table is restored (iptables-legacy-restore -c replaces the whole nat table),
# so every collection sees all CHURN_PODS pods under sandbox ids the previous one did not have: new label values
# for every claim series, the old ones gone. A new curl process per scrape, since a restore comes between.
log "churn: $churn_collections collections, $churn_pods hostPort pods replaced before each, RSS every $churn_step"
load_table "$work/churn-1.dump"
counting_save churn
start_exporter churn "$port" 1ms "$work/save-churn" || exit 1
churn_pid=$pid
seen=0
collection=0
series_started=$EPOCHREALTIME
: >"$work/series-churn"
for target in $(checkpoints "$churn_collections" "$churn_step"); do
  while ((collection < target)); do
    collection=$((collection + 1))
    table=$(((collection - 1) % churn_tables + 1))
    load_table "$work/churn-$table.dump"
    in_ns curl -sf "$url" >"$work/churn-body"
    grep -qF "container_id=\"$(cat "$work/churn-$table.id")\"" "$work/churn-body" && seen=$((seen + 1))
  done
  sample churn "$(runs churn)" "$collection"
done
churn_seconds=$(calc %.0f "$EPOCHREALTIME - $series_started")
churn_base=$((churn_collections >= 100 ? 100 : 1))
churn_at_100=$(rss_at churn "$churn_base")
churn_at_last=$(rss_at churn last)
stop "$churn_pid"

# ---- report ---------------------------------------------------------------------------------------------
cat <<EOF

## Flatness run of $started_at

$(machine_report)

### RSS over fresh collections

${rules}-rule table ($loaded_rules rules loaded, $dump_bytes bytes of \`iptables-legacy-save -c -t nat\`; generator defaults: 20 hostPort pods, 1 stale), \`--collector.min-interval=1ms\`, scraped as fast as the exporter answers over one kept-alive curl connection per batch; collections counted by a wrapper around the save. $(runs flat) collections from $scrapes scrapes in $flat_seconds s.

RSS after $flat_base collections: **$flat_at_100 MB**; after $(runs flat): **$flat_at_last MB** ($(calc %+.1f "$flat_at_last - $flat_at_100") MB).

| collections | scrapes | s since the first scrape | VmRSS MB | RssAnon MB |
|---|---|---|---|---|
$(table flat)

### RSS with $churn_pods hostPort pods churning between collections

$churn_tables tables of $churn_rules rules ($churn_bytes bytes each) with $churn_pods hostPort pods each, no stale claim, identical but for the pods' sandbox ids (generator \`--sandbox-seed 1..$churn_tables\`), restored into the namespace in turn (\`iptables-legacy-restore -c\`) before each collection; one new curl process per scrape. $(runs churn) collections (by the wrapper) in $churn_seconds s, restores included; $seen of $collection scrapes showed the table just restored.

RSS after $churn_base churned collections: **$churn_at_100 MB**; after $collection: **$churn_at_last MB** ($(calc %+.1f "$churn_at_last - $churn_at_100") MB).

| collections (wrapper) | scrapes | s since the first scrape | VmRSS MB | RssAnon MB |
|---|---|---|---|---|
$(table churn)
EOF
