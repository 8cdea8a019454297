#!/usr/bin/env bash
# Throughput and latency of the incident API (create, get, list) at concurrency 1, 8 and 32, through the gateway
# and directly, with a real HTTP load tool (hey) on 127.0.0.1 against the real local stack. Prints one table.
# Usage: bench/incident-api.sh [--quick] [--build]   (see bench/README.md)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION="${BENCH_DURATION:-10s}"
WARMUP="${BENCH_WARMUP:-60}"
BUILD=false
for arg in "$@"; do
  case "$arg" in
    --quick) DURATION=2s; WARMUP=10 ;;
    --build) BUILD=true ;;
    -h|--help) sed -n '2,4p' "$0"; exit 0 ;;
    *) echo "unknown option $arg" >&2; exit 2 ;;
  esac
done
GATEWAY="http://127.0.0.1:${ITSM_GATEWAY_PORT:-8080}"
DIRECT="http://127.0.0.1:${ITSM_INCIDENT_PORT:-8081}"
BODY='{"shortDescription":"bench: printer jam","caller":"bench","impact":2,"urgency":2}'
STARTED=false
LOG="$(mktemp -t itsm-bench.XXXXXX)"

if ! command -v hey >/dev/null 2>&1; then
  echo "hey is missing: installing it (apt-get install -y hey)"
  apt-get install -y -qq hey >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq hey >/dev/null; }
fi

stop_started_stack() {
  if [[ "$STARTED" == true ]]; then
    echo "Stopping the stack this script started ..."
    "$ROOT/itsm" stop >/dev/null 2>&1 || true
  fi
  rm -f "$LOG"
}
trap stop_started_stack EXIT

if ! curl -fsS -o /dev/null "$GATEWAY/q/health/ready" 2>/dev/null; then
  if [[ "$BUILD" == true ]]; then
    (cd "$ROOT" && ./mvnw -B -q -DskipTests package)
  elif ! ls "$ROOT"/incident-service/target/quarkus-app/quarkus-run.jar >/dev/null 2>&1; then
    echo "The suite is not built: run ./mvnw -B -q -DskipTests package first, or pass --build" >&2
    exit 1
  fi
  echo "Starting the local stack (./itsm start) ..."
  "$ROOT/itsm" start >"$LOG" 2>&1 &
  STARTED=true
  for _ in $(seq 1 180); do
    curl -fsS -o /dev/null "$GATEWAY/q/health/ready" 2>/dev/null && break
    sleep 1
  done
  curl -fsS -o /dev/null "$GATEWAY/q/health/ready" || { echo "the stack did not become ready; see $LOG" >&2; cat "$LOG" >&2; exit 1; }
fi

# The one place that authenticates the load: a token of the local development issuer, or BENCH_TOKEN.
TOKEN="${BENCH_TOKEN:-$("$ROOT/itsm" token --user bench --roles itsm-agent --ttl 2h)}"
AUTH=(-H "Authorization: Bearer $TOKEN")

ID="$(curl -fsS -X POST "$GATEWAY/api/incidents" "${AUTH[@]}" -H 'Content-Type: application/json' -d "$BODY" \
  | sed 's/.*"id":"\([^"]*\)".*/\1/')"

# hey … → "rps p50ms p99ms errors"
measure() {
  local out
  out="$(hey "$@" 2>&1)"
  awk '
    /Requests\/sec:/ { rps = $2 }
    /  50% in / { p50 = $3 * 1000 }
    /  99% in / { p99 = $3 * 1000 }
    /responses$/ && /\[[0-9][0-9][0-9]\]/ { code = substr($1, 2, 3); if (code !~ /^2/) errors += $2 }
    /Error distribution/ { in_errors = 1; next }
    in_errors && /^[ \t]*\[[0-9]+\]/ { errors += substr($1, 2, length($1) - 2) }
    END { printf "%.0f %.1f %.1f %d\n", rps, p50, p99, errors + 0 }' <<<"$out"
}

create() { measure -z "$1" -c "$2" "${@:4}" -m POST -T application/json "${AUTH[@]}" -d "$BODY" "$3/api/incidents"; }
get()    { measure -z "$1" -c "$2" "${AUTH[@]}" "$3/api/incidents/$ID"; }
list()   { measure -z "$1" -c "$2" "${AUTH[@]}" "$3/api/incidents?limit=50"; }

echo "Warming up for ${WARMUP} s (the JIT needs it: the first minute of load runs several times slower) ..."
third=$(( WARMUP / 3 > 1 ? WARMUP / 3 : 1 ))
create "${third}s" 32 "$GATEWAY" >/dev/null
get "${third}s" 32 "$GATEWAY" >/dev/null
list "${third}s" 32 "$GATEWAY" >/dev/null
create "${third}s" 32 "$DIRECT" >/dev/null

ROWS=()
row() { # operation path concurrency result
  read -r rps p50 p99 errors <<<"$4"
  ROWS+=("$(printf '| %-6s | %-8s | %3s | %7s | %7s | %7s | %6s |' "$1" "$2" "$3" "$rps" "$p50" "$p99" "$errors")")
  echo "  $1 via $2 at c=$3: $rps req/s, p50 $p50 ms, p99 $p99 ms, $errors errors"
}

echo "Measuring, ${DURATION} per cell ..."
best_create=0
for c in 1 8 32; do
  r="$(create "$DURATION" "$c" "$GATEWAY")"; row create gateway "$c" "$r"
  rps="${r%% *}"; (( rps > best_create )) && best_create=$rps
done
for c in 1 8 32; do row get gateway "$c" "$(get "$DURATION" "$c" "$GATEWAY")"; done
for c in 1 8 32; do row list gateway "$c" "$(list "$DURATION" "$c" "$GATEWAY")"; done
direct_create="$(create "$DURATION" 32 "$DIRECT")"; row create direct 32 "$direct_create"
row get direct 32 "$(get "$DURATION" 32 "$DIRECT")"

half=$(( best_create / 2 ))
per_worker=$(( half / 8 > 1 ? half / 8 : 1 ))
half_load="$(create "$DURATION" 8 "$GATEWAY" -q "$per_worker")"
row create "gateway" "8@$((per_worker * 8))/s" "$half_load"

gateway_create=$best_create
read -r direct_rps _ <<<"$direct_create"
read -r half_rps _ half_p99 _ <<<"$half_load"

echo
echo "## Incident API on $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "$(date -u +%Y-%m-%dT%H:%MZ), $("${JAVA_HOME:-/usr}"/bin/java -version 2>&1 | head -1), hey $(dpkg-query -W -f='${Version}' hey 2>/dev/null || echo '?'), ${DURATION} per cell after ${WARMUP} s warm-up; load generator on the same cores"
echo
echo "| op     | path     |   c |   req/s |  p50 ms |  p99 ms | errors |"
echo "|--------|----------|-----|---------|---------|---------|--------|"
printf '%s\n' "${ROWS[@]}"
echo
awk -v g="$gateway_create" -v d="$direct_rps" 'BEGIN { printf "gateway / direct (create, best gateway vs direct at c=32): %.0f %%\n", (d > 0 ? 100 * g / d : 0) }'
verdict() { if awk -v a="$1" -v b="$2" -v op="$3" 'BEGIN { exit !((op == ">=") ? a >= b : a <= b) }'; then echo PASS; else echo "FALLS SHORT"; fi; }
echo "create >= 1500/s through the gateway: $gateway_create/s -> $(verdict "$gateway_create" 1500 '>=')"
echo "p99 <= 25 ms at half that load (${half_rps}/s): ${half_p99} ms -> $(verdict "$half_p99" 25 '<=')"
