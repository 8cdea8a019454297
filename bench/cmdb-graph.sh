#!/usr/bin/env bash
# CMDB benchmark: builds a graph of BENCH_CIS CIs and BENCH_RELATIONSHIPS relationships through the reconcile API
# (POST /api/cmdb/reconcile, batches of 10,000 CIs, then batches of 50,000 relationships by CI id) and reports the
# import rates, the rates of re-importing a batch that changes nothing and one that updates every CI, impact
# analysis depth 6 downstream from a hub (p50/p99), and a plain GET of one CI (p50/p99), directly on cmdb-service and
# through the gateway. Real load tool (hey) on 127.0.0.1 against the real local stack, every run bounded in time and count. The report (markdown) goes to
# stdout, progress to stderr.
#
# The graph: CIs of four classes (linux_server, virtual_machine, application, database), each with a serial number;
# DEPENDS_ON edges between random pairs (a fixed seed), and BENCH_HUB_DEPENDENTS more CIs depending on CI 0, the hub.
# Downstream of the hub (what its failure breaks) is what depends on it, transitively.
#
# The import adds that many CIs to the CMDB for good (CIs are retired, never deleted), and every service of the
# stack consumes their events. So the script starts its own stack on a data directory of its own under $TMPDIR
# (deleted after), and refuses to use a running stack unless BENCH_USE_RUNNING_STACK=1.
#
# usage: bench/cmdb-graph.sh [--quick] [--build] [--help]
#   --quick   smoke run: 2,000 CIs, 8,000 relationships, 2 s per load cell (checks the script and the stack; the
#             figures are not meaningful)
#   --build   build the suite first (./mvnw -B -q -DskipTests package)
#
# environment:
#   BENCH_CIS                CIs to import: 100000 (default)
#   BENCH_RELATIONSHIPS      random DEPENDS_ON relationships to import: 400000 (default)
#   BENCH_HUB_DEPENDENTS     CIs that depend directly on the hub: 200 (default)
#   BENCH_IMPACT_REQUESTS    impact analyses per cell (one client): 200 (default)
#   BENCH_DURATION           seconds of the GET cells: 10 (default), 10s or 1m
#   BENCH_WARMUP             seconds of warm-up before measuring: 10 (default)
#   BENCH_READY_TIMEOUT      seconds to wait for the stack to become ready: 180 (default)
#   BENCH_USE_RUNNING_STACK  1: use the stack that answers on the gateway port (and add the graph to it)
#   BENCH_DRAIN_TIMEOUT      seconds to wait for the other services to consume the import's events before the impact
#                            reads are measured again: 1800 (default)
#   ITSM_*                   as for ./itsm (ports, ITSM_JAVA_OPTS ...); a stack started here inherits them
#   BENCH_RESULTS_FILE       also append the figures to this file as key=value lines (bench/report.sh reads it)
# See bench/README.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/stack.sh
source "$ROOT/bench/lib/stack.sh"
GATEWAY="http://127.0.0.1:${ITSM_GATEWAY_PORT:-8080}"
DIRECT="http://127.0.0.1:${ITSM_CMDB_PORT:-8083}"
READY_TIMEOUT="${BENCH_READY_TIMEOUT:-180}"
CIS="${BENCH_CIS:-100000}"
RELATIONSHIPS="${BENCH_RELATIONSHIPS:-400000}"
HUB_DEPENDENTS="${BENCH_HUB_DEPENDENTS:-200}"
IMPACT_REQUESTS="${BENCH_IMPACT_REQUESTS:-200}"
CI_BATCH=10000
EDGE_BATCH=50000
IMPACT_DEPTH=6
TARGET_IMPORT_RATE=5000
TARGET_IMPACT_P99_MS=100

die() { echo "cmdb-graph.sh: $*" >&2; exit 1; }

parse_bench_options 10s 10 "$@"
if [[ "$QUICK" == true ]]; then
  CIS=2000
  RELATIONSHIPS=8000
  IMPACT_REQUESTS=20
fi
for v in CIS RELATIONSHIPS HUB_DEPENDENTS IMPACT_REQUESTS; do
  [[ "${!v}" =~ ^[0-9]+$ ]] || die "BENCH_$v must be a number, not '${!v}'"
done
(( CIS > HUB_DEPENDENTS + 1 )) || die "BENCH_CIS must exceed BENCH_HUB_DEPENDENTS + 1"
(( IMPACT_REQUESTS >= 1 )) || die "BENCH_IMPACT_REQUESTS must be at least 1"

command -v curl >/dev/null 2>&1 || die "curl is missing (apt-get install -y curl)"
command -v python3 >/dev/null 2>&1 || die "python3 is missing (apt-get install -y python3)"
apt_install hey hey
apt_install postgresql-client psql

WORK="$(mktemp -d "${TMPDIR:-/tmp}/itsm-cmdb-bench.XXXXXX")"
STARTED=false
STACK_PID=""
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_started_stack
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if ready "$GATEWAY"; then
  [[ "${BENCH_USE_RUNNING_STACK:-0}" == 1 ]] \
    || die "a stack answers on $GATEWAY: importing ${CIS} CIs would add them to it for good. Stop it (./itsm stop), or set BENCH_USE_RUNNING_STACK=1"
else
  export ITSM_DATA_DIR="$WORK/itsm-data" # a stack of its own, deleted at exit
fi
use_or_start_stack "$GATEWAY"
ready "$DIRECT" || die "cmdb-service does not answer on $DIRECT/q/health/ready (ITSM_CMDB_PORT?)"

ADMIN_TOKEN="$("$ROOT/itsm" token --user bench --roles itsm-cmdb-admin --ttl 3h)" || die "./itsm token failed"
READER_TOKEN="$("$ROOT/itsm" token --user bench --roles itsm-reader --ttl 3h)" || die "./itsm token failed"

# ---------------------------------------------------------------------------------------------------------------
# The data: batch files written by python3 (deterministic: a fixed seed and a run tag in the names and serials)
# ---------------------------------------------------------------------------------------------------------------
TAG="$(date -u +%Y%m%d%H%M%S)"
python3 - "$WORK" "$CIS" "$CI_BATCH" "$TAG" <<'PY'
import json, sys
work, cis, batch, tag = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
classes = ["linux_server", "virtual_machine", "application", "database"]
for b, start in enumerate(range(0, cis, batch)):
    items = []
    for i in range(start, min(cis, start + batch)):
        cls = classes[i % len(classes)]
        attributes = {"serialNumber": f"BENCH-{tag}-{i}"}
        if cls in ("linux_server", "virtual_machine"):
            attributes.update({"cpu": 2 + i % 31, "os": "Debian 12"})
        elif cls == "database":
            attributes.update({"engine": "postgresql", "port": 5432})
        items.append({"ref": f"c{i}", "ciClass": cls, "name": f"bench-{tag}-{i}", "environment": "PRODUCTION",
                      "criticality": 1 + i % 4, "attributes": attributes})
    with open(f"{work}/cis-{b:04d}.json", "w") as f:
        json.dump({"source": "discovery", "items": items}, f)
PY

# post FILE URL-PATH TOKEN : POSTs the file, keeps the answer in FILE.out, prints the seconds it took
post() {
  local out
  out="$(curl -sS -m 600 -o "$1.out" -w '%{http_code} %{time_total}' -X POST "$DIRECT$2" -H "Authorization: Bearer $3" \
    -H 'Content-Type: application/json' --data-binary "@$1")" || die "POST $2 failed"
  [[ "${out%% *}" == 200 ]] || die "POST $2 answered ${out%% *}: $(head -c 500 "$1.out")"
  echo "${out#* }"
}

# The read models the import's events feed in the other services (PostgreSQL, the stack's development credentials):
# incident-service's CIs, change-service's CIs and dependencies. Counted before the import, awaited after it.
psql_count() { PGPASSWORD=postgres psql -X -q -At -h 127.0.0.1 -p "${ITSM_POSTGRES_PORT:-15432}" -U postgres -d "$1" -c "select count(*) from $2"; }
read_models() { echo "$(psql_count incident ci_read_model) $(psql_count change ci_read_model) $(psql_count change ci_dependency)"; }
read -r BASE_INCIDENT_CIS BASE_CHANGE_CIS BASE_CHANGE_EDGES <<<"$(read_models)" || die "cannot count the read models (psql)"

say "Importing ${CIS} CIs in batches of ${CI_BATCH} through POST $DIRECT/api/cmdb/reconcile ..."
ci_seconds=0
for f in "$WORK"/cis-*.json; do
  t="$(post "$f" /api/cmdb/reconcile "$ADMIN_TOKEN")"
  ci_seconds="$(python3 -c "print(round($ci_seconds + $t, 1))")"
  say "  $(basename "$f"): ${t} s"
done
python3 - "$WORK" <<'PY' > "$WORK/ids"
import glob, json, sys
for f in sorted(glob.glob(f"{sys.argv[1]}/cis-*.json.out")):
    for item in json.load(open(f))["items"]:
        if item["outcome"] != "CREATED":
            sys.exit(f"item {item['index']} of {f}: {item['outcome']} {item.get('reasons')}")
        print(item["ciId"])
PY
created="$(wc -l < "$WORK/ids")"
(( created == CIS )) || die "created ${created} CIs, expected ${CIS}"
HUB="$(head -n 1 "$WORK/ids")"

say "Re-importing the first batch (nothing changes) ..."
rerun_seconds="$(python3 -c "print(round($(post "$WORK/cis-0000.json" /api/cmdb/reconcile "$ADMIN_TOKEN"), 1))")"
rerun_items="$(python3 -c "import json; r=json.load(open('$WORK/cis-0000.json.out')); c=r['counts']; assert c['unchanged']==len(r['items']), c; print(len(r['items']))")" \
  || die "the re-import changed something: $(head -c 300 "$WORK/cis-0000.json.out")"

say "Re-importing the first batch with one more attribute (every CI updated) ..."
python3 -c "import json,sys; b=json.load(open(sys.argv[1])); [i['attributes'].update(patchLevel='bench') for i in b['items']]; json.dump(b, open(sys.argv[2], 'w'))" \
  "$WORK/cis-0000.json" "$WORK/update-0000.json"
update_seconds="$(python3 -c "print(round($(post "$WORK/update-0000.json" /api/cmdb/reconcile "$ADMIN_TOKEN"), 1))")"
update_items="$(python3 -c "import json; r=json.load(open('$WORK/update-0000.json.out')); c=r['counts']; assert c['updated']==len(r['items']), c; print(len(r['items']))")" \
  || die "the update did not update every CI: $(head -c 300 "$WORK/update-0000.json.out")"

python3 - "$WORK" "$RELATIONSHIPS" "$HUB_DEPENDENTS" "$EDGE_BATCH" <<'PY'
import json, random, sys
work, relationships, hub_dependents, batch = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
ids = open(f"{work}/ids").read().split()
rnd = random.Random(20261202)
edges = [(ids[1 + i], ids[0]) for i in range(hub_dependents)]  # the hub's direct dependents
while len(edges) < relationships + hub_dependents:
    a, b = rnd.randrange(len(ids)), rnd.randrange(len(ids))
    if a != b:
        edges.append((ids[a], ids[b]))
for n, start in enumerate(range(0, len(edges), batch)):
    with open(f"{work}/edges-{n:04d}.json", "w") as f:
        json.dump({"source": "discovery", "relationships": [{"source": s, "type": "DEPENDS_ON", "target": t}
                                                            for s, t in edges[start:start + batch]]}, f)
PY

say "Importing $(( RELATIONSHIPS + HUB_DEPENDENTS )) relationships in batches of ${EDGE_BATCH} ..."
edge_seconds=0
for f in "$WORK"/edges-*.json; do
  t="$(post "$f" /api/cmdb/reconcile "$ADMIN_TOKEN")"
  edge_seconds="$(python3 -c "print(round($edge_seconds + $t, 1))")"
  say "  $(basename "$f"): ${t} s"
done
edges_created="$(python3 - "$WORK" <<'PY'
import glob, json, sys
created = invalid = 0
for f in glob.glob(f"{sys.argv[1]}/edges-*.json.out"):
    c = json.load(open(f))["relationshipCounts"]
    created += c["created"]; invalid += c["invalid"]
if invalid:
    sys.exit(f"{invalid} relationships were invalid")
print(created)
PY
)" || die "the relationship import failed"

# ---------------------------------------------------------------------------------------------------------------
# Reads: impact from the hub (one client, a fixed count), GET of one CI (8 clients, a fixed time), both ways, and the
# relationship lists of the hub and of an ordinary CI (direct, 8 clients, a fixed time)
# ---------------------------------------------------------------------------------------------------------------
IMPACT_PATH="/api/cmdb/cis/$HUB/impact?direction=downstream&depth=$IMPACT_DEPTH"
GET_PATH="/api/cmdb/cis/$HUB"
# the hub's relationships (its dependents and its own edges, one page of 500) and those of the CI created last, which
# only the random edges touch (about twice BENCH_RELATIONSHIPS / BENCH_CIS of them)
HUB_RELATIONSHIPS_PATH="/api/cmdb/cis/$HUB/relationships?limit=500"
CI_RELATIONSHIPS_PATH="/api/cmdb/cis/$(tail -n 1 "$WORK/ids")/relationships"
curl -fsS -m 60 -o "$WORK/impact.json" -H "Authorization: Bearer $READER_TOKEN" "$DIRECT$IMPACT_PATH" || die "impact analysis failed"
impact_size="$(python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(len(r['affected']), 'truncated' if r['truncated'] else 'complete')" "$WORK/impact.json")"

# hey_cell NAME URL [hey options]: the run's summary in $WORK/NAME.hey
hey_cell() {
  local name=$1 url=$2
  shift 2
  timeout -k 5 900 hey -t 60 "$@" -H "Authorization: Bearer $READER_TOKEN" "$url" >"$WORK/$name.hey" 2>&1 || true
}
# field NAME WHAT: "rps", "p50", "p99" (ms; n/a when hey printed none: it needs enough responses) or "errors"
# (responses that were not 200) of a hey summary
field() {
  awk -v what="$2" '
    /Requests\/sec:/ { rps = $2 }
    /50% in/ { p50 = $3 * 1000; has50 = 1 }
    /99% in/ { p99 = $3 * 1000; has99 = 1 }
    /\[[0-9]+\]/ { code = $1; gsub(/[\[\]]/, "", code); if (code != 200) errors += $2 }
    END {
      if (what == "rps") printf "%.0f", rps
      else if (what == "p50") { if (has50) printf "%.1f", p50; else printf "n/a" }
      else if (what == "p99") { if (has99) printf "%.1f", p99; else printf "n/a" }
      else printf "%d", errors
    }' "$WORK/$1.hey"
}

say "Warming up for ${WARMUP} s ..."
hey_cell warm-impact "$DIRECT$IMPACT_PATH" -z "$(( (WARMUP + 1) / 2 ))s" -c 1
hey_cell warm-get "$DIRECT$GET_PATH" -z "$(( (WARMUP + 1) / 2 ))s" -c 8
say "Measuring ..."
hey_cell impact-direct "$DIRECT$IMPACT_PATH" -n "$IMPACT_REQUESTS" -c 1
hey_cell impact-gateway "$GATEWAY$IMPACT_PATH" -n "$IMPACT_REQUESTS" -c 1
hey_cell get-direct "$DIRECT$GET_PATH" -z "${DURATION}s" -c 8
hey_cell get-gateway "$GATEWAY$GET_PATH" -z "${DURATION}s" -c 8
hey_cell relationships-hub "$DIRECT$HUB_RELATIONSHIPS_PATH" -z "${DURATION}s" -c 8
hey_cell relationships-ci "$DIRECT$CI_RELATIONSHIPS_PATH" -z "${DURATION}s" -c 8

# The impact reads again once incident-service and change-service have consumed the import's events: above, they ran
# while those consumers still took most of the cores.
DRAIN_TIMEOUT="${BENCH_DRAIN_TIMEOUT:-1800}"
say "Waiting up to ${DRAIN_TIMEOUT} s for the other services to consume the import's events ..."
drain_start=$SECONDS
drained=""
while (( SECONDS - drain_start < DRAIN_TIMEOUT )); do
  read -r incident_cis change_cis change_edges <<<"$(read_models)"
  if (( incident_cis >= BASE_INCIDENT_CIS + CIS && change_cis >= BASE_CHANGE_CIS + CIS \
        && change_edges >= BASE_CHANGE_EDGES + edges_created )); then
    drained=$(( SECONDS - drain_start ))
    break
  fi
  sleep 5
done
if [[ -n "$drained" ]]; then
  say "Consumed ${drained} s after the reads above; measuring impact again ..."
  hey_cell impact-direct-drained "$DIRECT$IMPACT_PATH" -n "$IMPACT_REQUESTS" -c 1
  hey_cell impact-gateway-drained "$GATEWAY$IMPACT_PATH" -n "$IMPACT_REQUESTS" -c 1
else
  say "The read models were not complete after ${DRAIN_TIMEOUT} s (BENCH_DRAIN_TIMEOUT): no second impact measurement."
fi

ci_rate="$(python3 -c "print(round($CIS / $ci_seconds))")"
edge_rate="$(python3 -c "print(round($edges_created / $edge_seconds))")"
rerun_rate="$(python3 -c "print(round($rerun_items / $rerun_seconds))")"
update_rate="$(python3 -c "print(round($update_items / $update_seconds))")"
verdict() { [[ "$1" == *n/a* ]] && { echo "n/a"; return; }; python3 -c "print('PASS' if $1 else 'MISS')"; }

if [[ -n "${BENCH_RESULTS_FILE:-}" ]]; then
  {
    echo "cmdb.cis=$CIS"
    echo "cmdb.relationships=$edges_created"
    echo "cmdb.import.rate=$ci_rate"
    echo "cmdb.import.seconds=$ci_seconds"
    echo "cmdb.reimport.rate=$rerun_rate"
    echo "cmdb.update.rate=$update_rate"
    echo "cmdb.relationship-import.rate=$edge_rate"
    echo "cmdb.impact.affected=${impact_size% *}"
    for cell in impact-direct impact-gateway get-direct get-gateway relationships-hub relationships-ci; do
      for what in rps p50 p99 errors; do echo "cmdb.$cell.$what=$(field "$cell" "$what")"; done
    done
    if [[ -n "$drained" ]]; then
      echo "cmdb.drained-after=$drained"
      for cell in impact-direct-drained impact-gateway-drained; do
        for what in rps p50 p99 errors; do echo "cmdb.$cell.$what=$(field "$cell" "$what")"; done
      done
    fi
  } >>"$BENCH_RESULTS_FILE"
fi

echo "## CMDB graph benchmark ($(date -u '+%Y-%m-%d %H:%M UTC'))"
echo
echo "| Measure | Figure | Target | |"
echo "|---|---|---|---|"
echo "| import CIs (reconcile, batches of ${CI_BATCH}, all created) | **${ci_rate} CIs/s** (${CIS} in ${ci_seconds} s) | ≥ ${TARGET_IMPORT_RATE} | $(verdict "$ci_rate >= $TARGET_IMPORT_RATE") |"
echo "| re-import a batch (all unchanged, no events) | ${rerun_rate} CIs/s (${rerun_items} in ${rerun_seconds} s) | | |"
echo "| re-import it with one more attribute (all updated: an event and a revision each) | ${update_rate} CIs/s (${update_items} in ${update_seconds} s) | | |"
echo "| import relationships (batches of ${EDGE_BATCH}, by CI id) | ${edge_rate} relationships/s (${edges_created} created in ${edge_seconds} s) | | |"
for way in direct gateway; do
  p99="$(field "impact-$way" p99)"
  echo "| impact depth ${IMPACT_DEPTH} downstream from the hub, ${way}, 1 client, ${IMPACT_REQUESTS} requests | p50 $(field "impact-$way" p50) ms, **p99 ${p99} ms**, $(field "impact-$way" rps) req/s, $(field "impact-$way" errors) errors | p99 ≤ ${TARGET_IMPACT_P99_MS} ms | $(verdict "$p99 <= $TARGET_IMPACT_P99_MS") |"
done
if [[ -n "$drained" ]]; then
  for way in direct gateway; do
    p99="$(field "impact-$way-drained" p99)"
    echo "| the same, ${way}, once the other services had consumed the import's events (${drained} s later) | p50 $(field "impact-$way-drained" p50) ms, **p99 ${p99} ms**, $(field "impact-$way-drained" rps) req/s, $(field "impact-$way-drained" errors) errors | p99 ≤ ${TARGET_IMPACT_P99_MS} ms | $(verdict "$p99 <= $TARGET_IMPACT_P99_MS") |"
  done
else
  echo "| impact once the other services had consumed the import's events | not measured: not consumed within ${DRAIN_TIMEOUT} s | | |"
fi
for way in direct gateway; do
  echo "| GET /api/cmdb/cis/{id}, ${way}, 8 clients, ${DURATION} s | p50 $(field "get-$way" p50) ms, p99 $(field "get-$way" p99) ms, $(field "get-$way" rps) req/s, $(field "get-$way" errors) errors | | |"
done
for cell in hub ci; do
  [[ "$cell" == hub ]] && what="the hub's relationships (one page of 500)" || what="an ordinary CI's relationships"
  echo "| GET ${what}, direct, 8 clients, ${DURATION} s | p50 $(field "relationships-$cell" p50) ms, p99 $(field "relationships-$cell" p99) ms, $(field "relationships-$cell" rps) req/s, $(field "relationships-$cell" errors) errors | | |"
done
echo
echo "- graph: ${CIS} CIs, ${edges_created} DEPENDS_ON relationships (${RELATIONSHIPS} between random pairs, ${HUB_DEPENDENTS} onto the hub); the hub's impact answer: ${impact_size% *} CIs (${impact_size#* }) — the API's default limit of 1,000 affected CIs applies"
echo "- stack: ${STACK_DESC}; MongoDB-wire store (mongo-java-server, H2 backend), Kafka, PostgreSQL and four services on one machine ($(nproc) cores); the other services consume the import's events meanwhile"
echo "- load tool: hey $(dpkg-query -W -f='${Version}' hey 2>/dev/null || echo '(version unknown)') on 127.0.0.1; auth: bearer tokens of the local development issuer"
echo "- whole run: ${SECONDS} s"
