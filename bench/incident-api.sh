#!/usr/bin/env bash
# Incident API benchmark: throughput (req/s) and p50/p99 latency of create, get and list incidents at concurrency
# 1, 8 and 32 through the gateway, create and get directly on incident-service at 32 (gateway/direct ratio), and
# create at a fixed rate of half the best create throughput (p99 at half load). Real load tool (hey) on 127.0.0.1
# against the real local stack; every run is bounded in time. The report (markdown) goes to stdout, progress to
# stderr.
#
# usage: bench/incident-api.sh [--quick] [--build] [--help]
#   --quick   smoke run: 2 s per cell and a 5 s warm-up, whatever BENCH_DURATION and BENCH_WARMUP say (checks the
#             script and the stack; the figures are not meaningful)
#   --build   when the script has to start the stack: build the suite first (./mvnw -B -q -DskipTests package)
#
# environment:
#   BENCH_DURATION       seconds per cell: 10 (default), 10s or 1m
#   BENCH_WARMUP         seconds of load before measuring: 240 (default)
#   BENCH_READY_TIMEOUT  seconds to wait for a stack to become ready: 180 (default)
#   BENCH_TOKEN          bearer token; unset: one of the local development issuer; set but empty: no auth header
#   ITSM_*               as for ./itsm (ITSM_GATEWAY_PORT, ITSM_INCIDENT_PORT, ITSM_DATA_DIR, ...); a stack started
#                        by this script inherits them
#   BENCH_RESULTS_FILE   also append every cell's figures to this file as key=value lines (bench/report.sh reads it)
# See bench/README.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/stack.sh
source "$ROOT/bench/lib/stack.sh"
GATEWAY_PORT="${ITSM_GATEWAY_PORT:-8080}"
INCIDENT_PORT="${ITSM_INCIDENT_PORT:-8081}"
GATEWAY="http://127.0.0.1:$GATEWAY_PORT"
DIRECT="http://127.0.0.1:$INCIDENT_PORT"
BODY='{"shortDescription":"bench","impact":2,"urgency":2}'
READY_TIMEOUT="${BENCH_READY_TIMEOUT:-180}"
TARGET_CREATE_RPS=1500
TARGET_HALF_LOAD_P99_MS=25
HALF_LOAD_WORKERS=8

die() { echo "incident-api.sh: $*" >&2; exit 1; }

parse_bench_options 10s 240 "$@"
CELLS=16 # create x3, create direct x2, create gateway again, create at half load, get x3, get direct x2, get gateway again, list x3
LOAD_SECONDS=$(( WARMUP + CELLS * DURATION ))

# ---------------------------------------------------------------------------------------------------------------
# Tools
# ---------------------------------------------------------------------------------------------------------------
command -v curl >/dev/null 2>&1 || die "curl is missing (apt-get install -y curl)"
apt_install hey hey # the HTTP load generator
HEY_NOTE=""
(( ${#INSTALLED[@]} > 0 )) && HEY_NOTE=" (installed by this run: apt-get install -y hey)"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/itsm-bench.XXXXXX")"
STARTED=false
STACK_PID=""

# Stops what this script started, and only that: ./itsm stop (the launcher stops its children); if the launcher
# had not yet written its pid file, SIGTERM to the launcher's own pid, which this script started.
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

# ---------------------------------------------------------------------------------------------------------------
# The stack: a running one, or one started here with ./itsm start (and stopped at exit)
# ---------------------------------------------------------------------------------------------------------------
use_or_start_stack "$GATEWAY"
ready "$DIRECT" || die "incident-service does not answer on $DIRECT/q/health/ready (ITSM_INCIDENT_PORT=$INCIDENT_PORT?)"

# ---------------------------------------------------------------------------------------------------------------
# Authentication: the one place that decides the auth header of every request (curl probes and hey runs).
#   BENCH_TOKEN set and non-empty -> "Authorization: Bearer $BENCH_TOKEN"
#   BENCH_TOKEN unset             -> a token of the local development issuer (./itsm token, role itsm-agent),
#                                    because the incident API requires a bearer JWT; none if that fails
#   BENCH_TOKEN set but empty     -> no Authorization header
# ---------------------------------------------------------------------------------------------------------------
AUTH_HEADERS=()
AUTH_DESC="none (no Authorization header)"
if [[ -n "${BENCH_TOKEN:-}" ]]; then
  AUTH_HEADERS=(-H "Authorization: Bearer $BENCH_TOKEN")
  AUTH_DESC="bearer token from BENCH_TOKEN"
elif [[ -z "${BENCH_TOKEN+set}" ]]; then
  if dev_token="$("$ROOT/itsm" token --user bench --roles itsm-agent --ttl "$(( LOAD_SECONDS / 60 + 60 ))m" 2>/dev/null)" \
      && [[ -n "$dev_token" ]]; then
    AUTH_HEADERS=(-H "Authorization: Bearer $dev_token")
    AUTH_DESC="bearer token of the local development issuer (./itsm token --user bench --roles itsm-agent)"
  else
    say "Could not get a token with ./itsm token: sending no Authorization header (set BENCH_TOKEN to send one)."
  fi
fi

# ---------------------------------------------------------------------------------------------------------------
# Probes: one incident to read back, and each request once, with the status it must answer
# ---------------------------------------------------------------------------------------------------------------
probe() { # expected-status method url [body] -> prints the body; fails with a message on another status
  local expected="$1" method="$2" url="$3" code args=()
  [[ $# -ge 4 ]] && args=(-H 'Content-Type: application/json' --data-binary "$4")
  code="$(curl -sS -m 30 -o "$WORK/probe.body" -w '%{http_code}' -X "$method" "${AUTH_HEADERS[@]}" "${args[@]}" "$url")" \
    || die "$method $url failed (curl)"
  if [[ "$code" != "$expected" ]]; then
    say "$method $url answered $code, expected $expected:"; head -c 600 "$WORK/probe.body" >&2; say ""
    [[ "$code" == 401 || "$code" == 403 ]] && say "(authentication: $AUTH_DESC; set BENCH_TOKEN to a token with role itsm-agent)"
    exit 1
  fi
  cat "$WORK/probe.body"
}
ID="$(probe 201 POST "$GATEWAY/api/incidents" "$BODY" | sed -n 's/.*"id" *: *"\([0-9a-fA-F-]\{36\}\)".*/\1/p')"
[[ -n "$ID" ]] || die "the create response has no \"id\": $(head -c 300 "$WORK/probe.body")"
probe 200 GET "$GATEWAY/api/incidents/$ID" >/dev/null
probe 200 GET "$GATEWAY/api/incidents?limit=50" >/dev/null
probe 201 POST "$DIRECT/api/incidents" "$BODY" >/dev/null
probe 200 GET "$DIRECT/api/incidents/$ID" >/dev/null

# ---------------------------------------------------------------------------------------------------------------
# Load: hey, bounded by -z and, should it hang, by timeout; its report parsed with awk
# ---------------------------------------------------------------------------------------------------------------
# hey_run NAME SECONDS CONCURRENCY EXTRA-ARGS... -- URL : raw report in $WORK/NAME.hey
hey_run() {
  local name="$1" secs="$2" conc="$3"; shift 3
  local extra=()
  while [[ "$1" != "--" ]]; do extra+=("$1"); shift; done
  shift
  timeout -k 5 $(( secs + 30 )) hey -z "${secs}s" -c "$conc" -t 20 "${extra[@]}" "${AUTH_HEADERS[@]}" "$1" \
    >"$WORK/$name.hey" 2>&1 || true
}
CREATE_ARGS=(-m POST -T application/json -d "$BODY")

# Fields of parse's output and of ROWS are separated by the ASCII unit separator (a tab would let read merge
# empty fields).
FS=$'\037'
# parse NAME EXPECTED-STATUS -> rps p50 p99 errors detail first-error-message, FS-separated
# errors = responses with another status than expected + transport errors (hey's "Error distribution").
parse() {
  awk -v expected="$2" -v OFS="$FS" '
    function field(line, n,   parts) { split(line, parts, /[ \t]+/); return parts[n] }
    /Requests\/sec:/                { split($0, a, /:[ \t]*/); rps = a[2] + 0; seen = 1 }
    /^[ \t]*50% in [0-9.]+ secs/    { p50 = sprintf("%.1f", field($0, 4) * 1000) }
    /^[ \t]*99% in [0-9.]+ secs/    { p99 = sprintf("%.1f", field($0, 4) * 1000) }
    /^Status code distribution:/    { section = "status"; next }
    /^Error distribution:/          { section = "errors"; next }
    /^[^ \t]/                       { section = "" }
    section == "status" && /\[[0-9]+\][ \t]+[0-9]+ responses/ {
      match($0, /\[[0-9]+\]/); code = substr($0, RSTART + 1, RLENGTH - 2)
      n = field(substr($0, RSTART + RLENGTH), 2) + 0
      if (code != expected) { errors += n; detail = detail sep code "x" n; sep = ", " }
    }
    section == "errors" && /^[ \t]*\[[0-9]+\]/ {
      match($0, /\[[0-9]+\]/); n = substr($0, RSTART + 1, RLENGTH - 2) + 0; transport += n
      if (first == "") { first = substr($0, RSTART + RLENGTH); sub(/^[ \t]+/, "", first) }
    }
    END {
      if (transport > 0) { errors += transport; detail = detail sep "transport x" transport }
      if (!seen) { print "n/a", "n/a", "n/a", -1, "no result from hey", ""; exit }
      print sprintf("%.0f", rps), (p50 == "" ? "n/a" : p50), (p99 == "" ? "n/a" : p99), errors + 0, detail, first
    }' "$WORK/$1.hey"
}

ROWS=()       # table rows: op path concurrency rps p50 p99 errors detail first-error, FS-separated
declare -A R  # results by cell name: R[name.rps], R[name.p50], R[name.p99], R[name.errors]

cell() { # NAME OP PATH CONCURRENCY-LABEL EXPECTED-STATUS CONCURRENCY EXTRA-ARGS... -- URL
  local name="$1" op="$2" path="$3" label="$4" expected="$5" conc="$6" rps p50 p99 errors detail first
  shift 6
  hey_run "$name" "$DURATION" "$conc" "$@"
  IFS="$FS" read -r rps p50 p99 errors detail first < <(parse "$name" "$expected")
  R[$name.rps]="$rps"; R[$name.p50]="$p50"; R[$name.p99]="$p99"; R[$name.errors]="$errors"
  ROWS+=("$op$FS$path$FS$label$FS$rps$FS$p50$FS$p99$FS$errors$FS$detail$FS$first")
  say "$(printf '  %-7s %-15s c=%-12s %7s req/s  p50 %6s ms  p99 %6s ms  errors %s%s' \
    "$op" "$path" "$label" "$rps" "$p50" "$p99" "$errors" "${detail:+ ($detail)}")"
}

say "Load: ${WARMUP} s warm-up, then ${CELLS} cells of ${DURATION} s: about ${LOAD_SECONDS} s in all."
LOADAVG_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"

# Warm-up: the JVMs compile the hot paths under load, and on 2 shared cores that takes minutes, not seconds: on the
# 2-core development machine, create through the gateway at concurrency 8 went from ~100 req/s in the first 5 s of
# load to ~600 after 60 s and ~1,100 after 160 s. Get and list first, then create in slices of at most 20 s whose
# rates show the ramp (still climbing at the end: raise BENCH_WARMUP).
ramp=""
if (( WARMUP > 0 )); then
  say "Warming up for ${WARMUP} s (get, list, then create, at concurrency 32) ..."
  warm_read=$(( WARMUP / 5 > 1 ? WARMUP / 5 : 1 ))
  hey_run warm-get "$warm_read" 32 -- "$GATEWAY/api/incidents/$ID"
  hey_run warm-list "$warm_read" 32 -- "$GATEWAY/api/incidents?limit=50"
  left=$(( WARMUP - 2 * warm_read > 1 ? WARMUP - 2 * warm_read : 1 ))
  while (( left > 0 )); do
    slice=$(( left > 20 ? 20 : left ))
    hey_run warm-create "$slice" 32 "${CREATE_ARGS[@]}" -- "$GATEWAY/api/incidents"
    ramp="$ramp${ramp:+ -> }$(parse warm-create 201 | cut -d "$FS" -f1)"
    left=$(( left - slice ))
  done
  say "  create req/s during warm-up: $ramp"
fi

# cpu_cell NAME ARGS-OF-cell...: a cell, with the CPU each process of the stack spent per request during it
# (CPU_COST[NAME]: "process ms" lines; see cpu_ticks in lib/stack.sh).
declare -A CPU_COST
DATA_DIR="$(stack_data_dir)"
cpu_cell() {
  local name="$1"
  cpu_ticks "$DATA_DIR" >"$WORK/$name.cpu-before"
  cell "$@"
  cpu_ticks "$DATA_DIR" >"$WORK/$name.cpu-after"
  [[ "${R[$name.rps]}" == n/a ]] \
    || CPU_COST[$name]="$(cpu_per_request "$WORK/$name.cpu-before" "$WORK/$name.cpu-after" $(( R[$name.rps] * DURATION )))"
}

say "Measuring, ${DURATION} s per cell ..."
for c in 1 8; do
  cell "create-gw-$c" create "gateway :$GATEWAY_PORT" "$c" 201 "$c" "${CREATE_ARGS[@]}" -- "$GATEWAY/api/incidents"
done
# Gateway against direct at concurrency 32 in the order gateway, direct, direct, gateway: the JITs are still
# compiling after the warm-up and the machine's speed drifts, so whichever path went second would gain; with both
# paths first once and second once, a steady drift cancels out. The ratio is over both pairs.
cpu_cell create-gw-32 create "gateway :$GATEWAY_PORT" 32 201 32 "${CREATE_ARGS[@]}" -- "$GATEWAY/api/incidents"
cpu_cell create-direct-32 create "direct :$INCIDENT_PORT" 32 201 32 "${CREATE_ARGS[@]}" -- "$DIRECT/api/incidents"
cell create-direct-32b create "direct :$INCIDENT_PORT" "32 (again)" 201 32 "${CREATE_ARGS[@]}" -- "$DIRECT/api/incidents"
cell create-gw-32b create "gateway :$GATEWAY_PORT" "32 (again)" 201 32 "${CREATE_ARGS[@]}" -- "$GATEWAY/api/incidents"

# Half load: a fixed rate of half the best gateway create throughput, over HALF_LOAD_WORKERS workers (hey -q is
# queries per second per worker).
best_create_c=""
best_create=0
for c in 1 8 32; do
  rps="${R[create-gw-$c.rps]}"
  if [[ "$rps" != n/a ]] && (( rps > best_create )); then best_create=$rps; best_create_c=$c; fi
done
half_rate=$(( best_create / 2 ))
if (( half_rate >= 1 )); then
  per_worker="$(awk -v r="$half_rate" -v w="$HALF_LOAD_WORKERS" 'BEGIN { printf "%.2f", r / w }')"
  cell create-half create "gateway :$GATEWAY_PORT" "$HALF_LOAD_WORKERS @ ${half_rate}/s" 201 "$HALF_LOAD_WORKERS" \
    -q "$per_worker" "${CREATE_ARGS[@]}" -- "$GATEWAY/api/incidents"
else
  say "  no create throughput measured: no half-load run"
fi

for c in 1 8 32; do
  cell "get-gw-$c" get "gateway :$GATEWAY_PORT" "$c" 200 "$c" -- "$GATEWAY/api/incidents/$ID"
done
cell get-direct-32 get "direct :$INCIDENT_PORT" 32 200 32 -- "$DIRECT/api/incidents/$ID"
cell get-direct-32b get "direct :$INCIDENT_PORT" "32 (again)" 200 32 -- "$DIRECT/api/incidents/$ID"
cell get-gw-32b get "gateway :$GATEWAY_PORT" "32 (again)" 200 32 -- "$GATEWAY/api/incidents/$ID"
for c in 1 8 32; do
  cell "list-gw-$c" list "gateway :$GATEWAY_PORT" "$c" 200 "$c" -- "$GATEWAY/api/incidents?limit=50"
done

# ---------------------------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------------------------
stack_java() { # the JVM incident-service runs on (its pid file), else the java this shell would use
  local data pid exe
  data="$(stack_data_dir)"
  pid="$(tr -dc '0-9' <"$data/run/incident-service.pid" 2>/dev/null || true)"
  if [[ -n "$pid" ]] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q incident-service \
      && exe="$(readlink -f "/proc/$pid/exe" 2>/dev/null)" && [[ -x "$exe" ]]; then
    echo "$("$exe" -version 2>&1 | head -n 1) (incident-service's JVM)"
  elif [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    echo "$("$JAVA_HOME/bin/java" -version 2>&1 | head -n 1) (JAVA_HOME)"
  elif command -v java >/dev/null 2>&1; then
    echo "$(java -version 2>&1 | head -n 1) (java on PATH)"
  else
    echo "unknown"
  fi
}
commit="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
[[ "$commit" != unknown && -n "$(git -C "$ROOT" status --porcelain 2>/dev/null | head -n 1)" ]] && commit="$commit (with local changes)"

echo "## Incident API benchmark$([[ "$QUICK" == true ]] && echo " (--quick smoke run: figures not meaningful)")"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(awk '/MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo) RAM; load average before the run: $LOADAVG_BEFORE"
echo "- java: $(stack_java)"
echo "- load tool: hey $(dpkg-query -W -f='${Version}' hey 2>/dev/null || echo '(version unknown)')$HEY_NOTE on 127.0.0.1, on the same cores as the stack"
echo "- stack: $STACK_DESC; commit $commit; auth: $AUTH_DESC"
echo "- ${DURATION} s per cell after ${WARMUP} s of warm-up${ramp:+ (create req/s during warm-up: $ramp)}; the whole run took ${SECONDS} s"
echo "- create = \`POST /api/incidents\` $BODY (201); get = \`GET /api/incidents/{id}\` of one incident (200); list = \`GET /api/incidents?limit=50\` (200)"
echo
echo "| operation | path | concurrency | req/s | p50 ms | p99 ms | errors |"
echo "|---|---|---|--:|--:|--:|---|"
flagged=0
for row in "${ROWS[@]}"; do
  IFS="$FS" read -r op path label rps p50 p99 errors detail first <<<"$row"
  if [[ "$errors" == 0 ]]; then
    err="0"
  else
    flagged=$(( flagged + 1 ))
    if [[ "$errors" == -1 ]]; then err="**no result** ⚠"; else err="**$errors** ⚠ ($detail)"; fi
  fi
  echo "| $op | $path | $label | $rps | $p50 | $p99 | $err |"
done
echo
if (( flagged > 0 )); then
  echo "⚠ $flagged cell(s) with errors (another status than expected, or transport errors): their req/s and latencies include failed requests."
  for row in "${ROWS[@]}"; do
    IFS="$FS" read -r op path label rps p50 p99 errors detail first <<<"$row"
    if [[ "$errors" != 0 ]]; then echo "  - $op, $path, concurrency $label: ${detail}${first:+; first transport error: $first}"; fi
  done
  echo
fi

if [[ -n "${CPU_COST[create-gw-32]:-}${CPU_COST[create-direct-32]:-}" ]]; then
  echo "Where a create's CPU goes, at concurrency 32: milliseconds of CPU per request, by process (user + system time"
  echo "from /proc over the cell; postgres = the server and all its backends; other = the load tool, the kernel and"
  echo "anything else busy on the machine). The machine has $(nproc) cores, so N ms per create caps the rate at $(nproc)000 / N per s."
  echo
  echo "| process | through the gateway | direct |"
  echo "|---|--:|--:|"
  { echo "${CPU_COST[create-gw-32]:-}"; echo "${CPU_COST[create-direct-32]:-}"; } | awk 'NF == 2 && !seen[$1]++ { print $1 }' \
    | while read -r process; do
        gw="$(awk -v p="$process" '$1 == p { print $2 }' <<<"${CPU_COST[create-gw-32]:-}")"
        direct="$(awk -v p="$process" '$1 == p { print $2 }' <<<"${CPU_COST[create-direct-32]:-}")"
        echo "| $process | ${gw:-n/a} | ${direct:-n/a} |"
      done
  echo
fi

# pair_ratio OP: (gateway + gateway again) / (direct + direct again) at concurrency 32, or n/a
pair_ratio() {
  awk -v a="${R[$1-gw-32.rps]}" -v b="${R[$1-gw-32b.rps]}" -v c="${R[$1-direct-32.rps]}" -v d="${R[$1-direct-32b.rps]}" \
    'BEGIN { if (a == "n/a" || b == "n/a" || c == "n/a" || d == "n/a" || c + d == 0) print "n/a"; else printf "%.2f", (a + b) / (c + d) }'
}
R[create-ratio]="$(pair_ratio create)"
R[get-ratio]="$(pair_ratio get)"
echo "Gateway / direct at concurrency 32, over both pairs (gateway, direct, direct, gateway):"
echo "- create: ${R[create-ratio]} of the direct throughput (${R[create-gw-32.rps]} + ${R[create-gw-32b.rps]} vs ${R[create-direct-32.rps]} + ${R[create-direct-32b.rps]} req/s; p50 ${R[create-gw-32.p50]} vs ${R[create-direct-32.p50]} ms)"
echo "- get: ${R[get-ratio]} of the direct throughput (${R[get-gw-32.rps]} + ${R[get-gw-32b.rps]} vs ${R[get-direct-32.rps]} + ${R[get-direct-32b.rps]} req/s; p50 ${R[get-gw-32.p50]} vs ${R[get-direct-32.p50]} ms)"
echo

if [[ -n "${BENCH_RESULTS_FILE:-}" ]]; then
  for key in "${!R[@]}"; do echo "incident.$key=${R[$key]}"; done | sort >>"$BENCH_RESULTS_FILE"
  echo "incident.best-create.rps=$best_create" >>"$BENCH_RESULTS_FILE"
  echo "incident.best-create.concurrency=${best_create_c:-}" >>"$BENCH_RESULTS_FILE"
fi

echo "Targets:"
best_errors="${R[create-gw-${best_create_c:-1}.errors]}"
verdict="FALLS SHORT"
(( best_create >= TARGET_CREATE_RPS )) && [[ "$best_errors" == 0 ]] && verdict=PASS
note=""
[[ -n "$best_create_c" && "$best_errors" != 0 ]] && note=" (that cell had errors)"
echo "- create >= ${TARGET_CREATE_RPS}/s through the gateway: best ${best_create}/s${best_create_c:+ at concurrency $best_create_c}$note -> **$verdict**"
if [[ -n "${R[create-half.p99]:-}" ]]; then
  half_rps="${R[create-half.rps]}"
  half_p99="${R[create-half.p99]}"
  half_errors="${R[create-half.errors]}"
  verdict="FALLS SHORT"
  if [[ "$half_p99" != n/a && "$half_errors" == 0 ]] \
      && awk -v p="$half_p99" -v t="$TARGET_HALF_LOAD_P99_MS" 'BEGIN { exit !(p <= t) }'; then
    verdict=PASS
  fi
  note=""
  [[ "$half_errors" != 0 ]] && note="$note; the run had errors"
  [[ "$half_rps" == n/a ]] || (( half_rps * 10 >= half_rate * 9 )) || note="$note; the stack did not keep up with the fixed rate"
  (( half_rate * 2 >= TARGET_CREATE_RPS )) \
    || note="$note; below the target's half load of $(( TARGET_CREATE_RPS / 2 ))/s, as the best create rate is below target"
  echo "- p99 <= ${TARGET_HALF_LOAD_P99_MS} ms at half load: ${half_p99} ms at a fixed ${half_rate}/s (achieved ${half_rps}/s$note) -> **$verdict**"
else
  echo "- p99 <= ${TARGET_HALF_LOAD_P99_MS} ms at half load: not measured (no create throughput) -> **FALLS SHORT**"
fi
