#!/usr/bin/env bash
# Performance report: one run on this machine, against the real local stack, that measures what the issue's targets
# name and prints them in one table with the ratios (markdown on stdout; progress on stderr):
#   1. startup time, idle RSS and idle CPU of every process of a freshly started stack, and each service's startup on its own
#      (started once more beside the running stack, same command and environment, another HTTP port);
#   2. raw PostgreSQL single-row INSERT + commit TPS (pgbench) on the stack's PostgreSQL;
#   3. the incident API through the gateway and directly (bench/incident-api.sh): create vs raw INSERT TPS, and
#      gateway vs direct;
#   4. event end-to-end latency at fixed rates (BENCH_EVENT_RATES, events/s): incident events committed to incident-service's
#      outbox by pgbench at a fixed rate, published by its relay, consumed by change-service into its read model;
#   5. the CMDB (bench/cmdb-graph.sh): import through reconciliation, impact depth 6 over the imported graph.
# The script starts its own stack, twice, on a data directory of its own (deleted after), and refuses to run while
# another stack answers on the gateway port: stop it first (./itsm stop) or set other ITSM_*_PORT values.
#
# usage: bench/report.sh [--quick] [--build] [--help]
#   --quick   smoke run: short cells, 2,000 CIs, 10 s of events (checks the script and the stack; figures not
#             meaningful)
#   --build   build the suite first (./mvnw -B -q -DskipTests package)
#
# environment:
#   BENCH_DURATION, BENCH_WARMUP   incident-api.sh's seconds per cell (10) and warm-up (240)
#   BENCH_CIS, BENCH_RELATIONSHIPS cmdb-graph.sh's graph: 100000 CIs and 400000 relationships (default)
#   BENCH_EVENT_RATES              events per second of the latency runs, one run each: "250 500 1000" (default); the
#                                  table's verdict is on 1000/s when it is among them
#   BENCH_EVENT_SECONDS            seconds of each latency run: 60 (default), after 15 s of warm-up at the first rate
#   BENCH_IDLE_SECONDS             seconds the fresh stack idles before its RSS is read: 60 (default)
#   BENCH_ALONE_STARTS             how many times each service is started on its own: 5 (default; 1 with --quick); the
#                                  table gives the median and the range
#   BENCH_READY_TIMEOUT            seconds to wait for the stack to become ready: 180 (default)
#   BENCH_STAGES                   the parts to measure: "1 2 3 4 5" (default); e.g. "4" for the event latency alone
#                                  (the table shows n/a for the others)
#   ITSM_*                         as for ./itsm (ports, ITSM_JAVA_OPTS ...); the stacks started here inherit them
# See bench/README.md ("report.sh").
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/stack.sh
source "$ROOT/bench/lib/stack.sh"
GATEWAY="http://127.0.0.1:${ITSM_GATEWAY_PORT:-8080}"
POSTGRES_PORT="${ITSM_POSTGRES_PORT:-15432}"
READY_TIMEOUT="${BENCH_READY_TIMEOUT:-180}"
SERVICES=(incident-service change-service cmdb-service gateway)
TARGET_RAW_RATIO=0.40
TARGET_GATEWAY_RATIO=0.90
TARGET_EVENT_P99_MS=100
TARGET_STARTUP_S=1.5
TARGET_SERVICE_RSS_MB=200
TARGET_STACK_RSS_MB=2560
TARGET_IMPORT_RATE=5000
TARGET_IMPACT_P99_MS=100

die() { echo "report.sh: $*" >&2; exit 1; }

parse_bench_options 10s 240 "$@"
read -r -a EVENT_RATES <<<"${BENCH_EVENT_RATES:-250 500 1000}"
read -r -a STAGES <<<"${BENCH_STAGES:-1 2 3 4 5}"
stage() { [[ " ${STAGES[*]} " == *" $1 "* ]]; }   # stage N: is part N of the report to be measured?
JAVA_LINE="n/a"
EVENT_SECONDS="${BENCH_EVENT_SECONDS:-60}"
IDLE_SECONDS="${BENCH_IDLE_SECONDS:-60}"
ALONE_STARTS="${BENCH_ALONE_STARTS:-5}"
EVENT_WARMUP=15
if [[ "$QUICK" == true ]]; then
  EVENT_SECONDS=10
  EVENT_WARMUP=3
  IDLE_SECONDS=5
  ALONE_STARTS=1
fi
for v in EVENT_SECONDS IDLE_SECONDS ALONE_STARTS; do
  [[ "${!v}" =~ ^[0-9]+$ ]] && (( ${!v} >= 1 )) || die "BENCH_$v must be a positive number, not '${!v}'"
done
for s in "${STAGES[@]}"; do [[ "$s" =~ ^[1-5]$ ]] || die "BENCH_STAGES must name parts 1 to 5, not '$s'"; done
(( ${#EVENT_RATES[@]} >= 1 )) || die "BENCH_EVENT_RATES must name at least one rate"
for rate in "${EVENT_RATES[@]}"; do
  [[ "$rate" =~ ^[0-9]+$ ]] && (( rate >= 1 )) || die "BENCH_EVENT_RATES must be positive numbers, not '$rate'"
done

command -v curl >/dev/null 2>&1 || die "curl is missing (apt-get install -y curl)"
command -v python3 >/dev/null 2>&1 || die "python3 is missing (apt-get install -y python3)"
apt_install postgresql-client psql
apt_install postgresql pgbench
apt_install hey hey

WORK="$(mktemp -d "${TMPDIR:-/tmp}/itsm-report.XXXXXX")"
RESULTS="$WORK/results"
: >"$RESULTS"
STARTED=false
STACK_PID=""
REPLICA_PID=""
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_replica
  stop_started_stack
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ready "$GATEWAY" && die "a stack answers on $GATEWAY: the report measures a stack it starts itself. Stop that one (./itsm stop), or give this run other ports (ITSM_GATEWAY_PORT, ITSM_INCIDENT_PORT, ...)"
export ITSM_DATA_DIR="$WORK/itsm-data"
DATA="$ITSM_DATA_DIR"

result() { echo "$1=$2" >>"$RESULTS"; }                       # result KEY VALUE
get() { awk -F= -v k="$1" '$1 == k { v = substr($0, length(k) + 2) } END { print (v == "" ? "n/a" : v) }' "$RESULTS"; }
calc() { python3 -c "import sys; print($1)" 2>/dev/null || echo n/a; }  # calc PYTHON-EXPRESSION
psql_at() { PGPASSWORD=postgres psql -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$POSTGRES_PORT" -U postgres -d "$1" -c "$2"; }

# Resident memory in MB of PID; with "tree", of PID and its children (PostgreSQL: the postmaster and its backends).
rss_mb() {
  local pid=$1 total=0 kb p
  for p in $(if [[ "${2:-}" == tree ]]; then process_tree "$pid"; else echo "$pid"; fi); do
    kb="$(awk '/^VmRSS:/ { print $2 }' "/proc/$p/status" 2>/dev/null)" || kb=0
    total=$(( total + ${kb:-0} ))
  done
  echo $(( total / 1024 ))
}

# Seconds from a service's JVM start to "started in", from its log (the last start in it).
quarkus_started_in() { grep -o 'started in [0-9.]*s' "$1" 2>/dev/null | tail -n 1 | sed 's/started in \([0-9.]*\)s/\1/' || true; }

# record_stack_rss PREFIX [lenient]: result PREFIX.<component> for every process of the stack (MB), and PREFIX.stack,
# their sum; a process without a pid file stops the run, or with "lenient" is left out
# stack_pid_file COMPONENT: the pid file of a process of the stack (the launcher's is the data directory's itsm.pid)
stack_pid_file() { if [[ "$1" == launcher ]]; then echo "$DATA/itsm.pid"; else echo "$DATA/run/$1.pid"; fi; }
STACK_COMPONENTS=(kafka postgres mongodb "${SERVICES[@]}" launcher)

record_stack_rss() {
  local component pidfile pid mb total=0
  for component in "${STACK_COMPONENTS[@]}"; do
    pidfile="$(stack_pid_file "$component")"
    pid="$(head -n 1 "$pidfile" 2>/dev/null || true)"
    if ! [[ "$pid" =~ ^[0-9]+$ ]]; then
      [[ "${2:-}" == lenient ]] && continue
      die "no pid for $component in $pidfile"
    fi
    if [[ "$component" == postgres ]]; then mb="$(rss_mb "$pid" tree)"; else mb="$(rss_mb "$pid")"; fi
    result "$1.$component" "$mb"
    total=$(( total + mb ))
  done
  result "$1.stack" "$total"
}
# record_stack_cpu PREFIX SECONDS: result PREFIX.<component>, the CPU each process of the stack spends over SECONDS
# (% of one core), and PREFIX.stack, their sum
record_stack_cpu() {
  local component pid tree ticks before=() after total=0 i=0 pct
  for component in "${STACK_COMPONENTS[@]}"; do
    pid="$(head -n 1 "$(stack_pid_file "$component")" 2>/dev/null || true)"
    tree=one; [[ "$component" == postgres ]] && tree=tree
    before+=("${pid:-0} $tree $(process_ticks "${pid:-0}" "$tree")")
  done
  sleep "$2"
  for component in "${STACK_COMPONENTS[@]}"; do
    read -r pid tree ticks <<<"${before[$i]}"
    after="$(process_ticks "$pid" "$tree")"
    pct="$(calc "round(($after - $ticks) * 100 / $(getconf CLK_TCK) / $2, 1)")"
    result "$1.$component" "$pct"
    total="$(calc "round($total + $pct, 1)")"
    i=$(( i + 1 ))
  done
  result "$1.stack" "$total"
}
# median VALUE...: the middle value (the mean of the two middle ones for an even count); spread VALUE...: "min-max"
median() { calc "sorted([$(IFS=,; echo "$*")])[($# - 1) // 2] / 2 + sorted([$(IFS=,; echo "$*")])[$# // 2] / 2"; }
spread() { calc "'%s-%s' % (min([$(IFS=,; echo "$*")]), max([$(IFS=,; echo "$*")]))"; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
stop_replica() {
  [[ -n "$REPLICA_PID" ]] || return 0
  kill -TERM "$REPLICA_PID" 2>/dev/null || true
  local waited=0
  while kill -0 "$REPLICA_PID" 2>/dev/null && (( waited < 300 )); do sleep 0.1; waited=$(( waited + 1 )); done
  kill -KILL "$REPLICA_PID" 2>/dev/null || true
  wait "$REPLICA_PID" 2>/dev/null || true
  REPLICA_PID=""
}

# ---------------------------------------------------------------------------------------------------------------
# 1. A fresh stack: startup and idle RSS of every process, then each service's startup on its own
# ---------------------------------------------------------------------------------------------------------------
if stage 1; then
say "== 1/5 startup and idle memory: starting a fresh stack on $DATA ..."
use_or_start_stack "$GATEWAY" fresh
result stack.ready-seconds "$(sed -n 's/^ITSM local stack is ready in \([0-9.]*\) s$/\1/p' "$WORK/stack.log" | tail -n 1)"
# The launcher's summary: PROCESS PID STARTUP RSS, STARTUP = spawn -> ready (services: /q/health/ready answers 200)
awk '$1 ~ /^(kafka|postgres|mongodb|incident-service|change-service|cmdb-service|gateway)$/ && $4 == "s" { print $1 "=" $3 }' \
  "$WORK/stack.log" | while IFS='=' read -r name secs; do result "ready.$name" "$secs"; done
JAVA_LINE="$("$(readlink -f "/proc/$(head -n 1 "$DATA/run/incident-service.pid")/exe")" -version 2>&1 | head -n 1)"
if grep -q '(AOT cache)' "$WORK/stack.log"; then JAVA_LINE+=" (services started from their AOT caches)"; fi
for svc in "${SERVICES[@]}"; do result "started-in.$svc" "$(quarkus_started_in "$DATA/logs/$svc.log")"; done

say "Idling ${IDLE_SECONDS} s before reading memory (CPU over its second half) ..."
sleep $(( IDLE_SECONDS - IDLE_SECONDS / 2 ))
record_stack_cpu idle-cpu $(( IDLE_SECONDS / 2 ))
record_stack_rss rss

# Each service once more, on its own, ALONE_STARTS times: the command line and environment of the running one (from
# /proc), another HTTP port; time from spawn to /q/health/ready 200, and Quarkus's own "started in". The rest of the
# stack idles. Starts of one build spread by 0.3-0.4 s on this kind of machine, so the verdict is on the median, and
# the range is printed beside it.
for svc in "${SERVICES[@]}"; do
  pid="$(head -n 1 "$DATA/run/$svc.pid")"
  mapfile -d '' replica_env <"/proc/$pid/environ"
  mapfile -d '' replica_cmd <"/proc/$pid/cmdline"
  started_in=() ready=()
  for (( run = 1; run <= ALONE_STARTS; run++ )); do
    port="$(free_port)"
    say "Starting $svc alone on port $port ($run of $ALONE_STARTS) ..."
    start_ns="$(date +%s%N)"
    (cd "/proc/$pid/cwd" && exec env -i "${replica_env[@]}" "QUARKUS_HTTP_PORT=$port" "${replica_cmd[@]}") \
      >"$WORK/alone-$svc.log" 2>&1 &
    REPLICA_PID=$!
    deadline=$(( SECONDS + 120 ))
    until curl -fsS -m 2 -o /dev/null "http://127.0.0.1:$port/q/health/ready" 2>/dev/null; do
      kill -0 "$REPLICA_PID" 2>/dev/null || { tail -n 20 "$WORK/alone-$svc.log" >&2; die "$svc stopped while starting alone"; }
      (( SECONDS < deadline )) || die "$svc did not become ready alone within 120 s"
      sleep 0.05
    done
    ready+=("$(calc "round(($(date +%s%N) - $start_ns) / 1e9, 2)")")
    started_in+=("$(quarkus_started_in "$WORK/alone-$svc.log")")
    if (( run == ALONE_STARTS )); then
      sleep 5
      result "alone.rss.$svc" "$(rss_mb "$REPLICA_PID")"
    fi
    stop_replica
  done
  result "alone.started-in.$svc" "$(median "${started_in[@]}")"
  result "alone.started-in-range.$svc" "$(spread "${started_in[@]}")"
  result "alone.ready.$svc" "$(median "${ready[@]}")"
done
say "Stopping the fresh stack ..."
stop_started_stack
STARTED=false
STACK_PID=""
fi # stage 1

# ---------------------------------------------------------------------------------------------------------------
# The stack for the load: the same data directory, started again. incident-service's relay polls every 10 ms
# (ITSM_INCIDENT_RELAY_POLL_INTERVAL) because the latency run's events are committed by pgbench, not by the service,
# so no commit wakes the relay: it finds them by polling (see bench/README.md). The gateway's rate limit is lifted by use_or_start_stack.
# ---------------------------------------------------------------------------------------------------------------
say "== starting the stack again for the load (incident-service's relay polls every 10 ms) ..."
export ITSM_INCIDENT_RELAY_POLL_INTERVAL=10ms
use_or_start_stack "$GATEWAY"

# ---------------------------------------------------------------------------------------------------------------
# 2. Raw PostgreSQL: single-row INSERT + commit, pgbench, on the stack's server and the incident database
# ---------------------------------------------------------------------------------------------------------------
if stage 2; then
say "== 2/5 raw PostgreSQL INSERT + commit (pgbench) ..."
psql_at incident "create table if not exists bench_raw_insert (id uuid primary key, short_description varchar(160) not null,
  impact smallint not null, urgency smallint not null, created_at timestamptz not null default now())"
cat >"$WORK/raw-insert.sql" <<'SQL'
insert into bench_raw_insert (id, short_description, impact, urgency) values (gen_random_uuid(), 'bench', 2, 2);
SQL
raw_best=0
for c in 1 8 32; do
  PGPASSWORD=postgres pgbench -n -h 127.0.0.1 -p "$POSTGRES_PORT" -U postgres -f "$WORK/raw-insert.sql" \
    -c "$c" -j 2 -T "$DURATION" incident >"$WORK/raw-$c.out" 2>&1 || { cat "$WORK/raw-$c.out" >&2; die "pgbench failed"; }
  tps="$(awk '/^tps = / { printf "%.0f", $3 }' "$WORK/raw-$c.out")"
  result "raw.$c.tps" "$tps"
  say "  c=$c: $tps inserts/s"
  (( tps > raw_best )) && { raw_best=$tps; result raw.best.concurrency "$c"; }
done
result raw.best.tps "$raw_best"
psql_at incident "drop table bench_raw_insert"
fi # stage 2

# ---------------------------------------------------------------------------------------------------------------
# 3. The incident API (bench/incident-api.sh on this stack)
# ---------------------------------------------------------------------------------------------------------------
if stage 3; then
say "== 3/5 incident API (bench/incident-api.sh) ..."
quick_flag=()
[[ "$QUICK" == true ]] && quick_flag=(--quick)
BENCH_RESULTS_FILE="$RESULTS" BENCH_DURATION="${DURATION}s" BENCH_WARMUP="$WARMUP" \
  "$ROOT/bench/incident-api.sh" "${quick_flag[@]}" >"$WORK/incident-api.md" || die "bench/incident-api.sh failed"
fi # stage 3

# ---------------------------------------------------------------------------------------------------------------
# 4. Event end-to-end latency: pgbench commits itsm.incident.created events to incident-service's outbox at a fixed
#    rate (each one statement, so the commit follows the event's time at once); the relay publishes them; change-
#    service's consumer applies them to its incident read model in one transaction with their inbox rows (a poll's
#    events share one). Latency = the commit time of the transaction that wrote the inbox row (the local stack's
#    PostgreSQL tracks commit timestamps) - the event's time (kept as the read model's updated_at). The event id is
#    the incident id, which joins the two.
# ---------------------------------------------------------------------------------------------------------------
if stage 4; then
say "== 4/5 event latency at ${EVENT_RATES[*]} events/s ..."
cat >"$WORK/events.sql" <<'SQL'
\set n random(1, 9999999)
insert into outbox_event (id, aggregatetype, aggregateid, type, payload, source, occurred_at)
select g.u, 'incident', g.u::text, 'itsm.incident.created',
       json_build_object('incident', json_build_object(
           'id', g.u, 'number', :prefix || lpad((:n)::text, 7, '0'), 'shortDescription', 'bench event',
           'impact', 3, 'urgency', 3, 'priority', 5, 'state', 'NEW',
           'openedAt', to_char(g.t at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), 'version', 0,
           'configurationItemIds', json_build_array(gen_random_uuid())),
         'changedFields', json_build_array()),
       '/itsm/incident-service', g.t
  from (select gen_random_uuid() as u, clock_timestamp() as t) g;
SQL
# events_run PREFIX SECONDS RATE: commits events numbered PREFIX... at RATE/s for SECONDS; prints how many
events_run() {
  PGPASSWORD=postgres pgbench -n -h 127.0.0.1 -p "$POSTGRES_PORT" -U postgres -f "$WORK/events.sql" \
    -D "prefix='$1'" -c 4 -j 2 -R "$3" -T "$2" incident >"$WORK/events-$1.out" 2>&1 \
    || { cat "$WORK/events-$1.out" >&2; die "pgbench (events) failed"; }
  awk '/number of transactions actually processed/ { print $NF }' "$WORK/events-$1.out" | cut -d/ -f1
}
# await_read_model PREFIX COUNT: until change-service's read model holds COUNT incidents numbered PREFIX...; sets
# AWAITED to the seconds it waited (a backlog the consumer had to work off after the last commit)
await_read_model() {
  local seen=0 start=$SECONDS limit=$(( 180 + $2 / 100 ))
  while :; do
    seen="$(psql_at change "select count(*) from incident_read_model where number like '$1%'")"
    (( seen >= $2 )) && { AWAITED=$(( SECONDS - start )); return 0; }
    (( SECONDS - start < limit )) || die "change-service's read model holds $seen of the $2 events $1... after $limit s (DLQ? see $DATA/logs/change-service.log)"
    sleep 1
  done
}
warm="$(events_run W- "$EVENT_WARMUP" "${EVENT_RATES[0]}")"
await_read_model W- "$warm"
for rate in "${EVENT_RATES[@]}"; do
  prefix="R$rate-"
  sent="$(events_run "$prefix" "$EVENT_SECONDS" "$rate")"
  result "events.$rate.sent" "$sent"
  result "events.$rate.rate" "$(awk '/^tps = / { printf "%.0f", $3 }' "$WORK/events-$prefix.out")"
  await_read_model "$prefix" "$sent"
  result "events.$rate.drained-after" "$AWAITED"
  psql_at change "select count(*),
           round(percentile_cont(0.50) within group (order by ms)::numeric, 1),
           round(percentile_cont(0.99) within group (order by ms)::numeric, 1),
           round(percentile_cont(0.999) within group (order by ms)::numeric, 1),
           round(max(ms)::numeric, 1)
      from (select extract(epoch from (pg_xact_commit_timestamp(i.xmin) - r.updated_at)) * 1000 as ms
              from incident_read_model r join inbox_event i on i.event_id = r.id
             where r.number like '$prefix%') x" | tr '|' ' ' >"$WORK/latency"
  read -r n p50 p99 p999 max <"$WORK/latency"
  # the consumer's transactions that applied them (one per batch): how many, and events per transaction
  psql_at change "select count(*), round(avg(c), 1), percentile_disc(0.5) within group (order by c), max(c)
      from (select count(*) as c from incident_read_model r join inbox_event i on i.event_id = r.id
             where r.number like '$prefix%' group by i.xmin::text) b" | tr '|' ' ' >"$WORK/batches"
  read -r txs per_tx per_tx_p50 per_tx_max <"$WORK/batches"
  result "events.$rate.transactions" "$txs"; result "events.$rate.per-transaction" "$per_tx"
  result "events.$rate.measured" "$n"; result "events.$rate.p50" "$p50"; result "events.$rate.p99" "$p99"
  result "events.$rate.p999" "$p999"; result "events.$rate.max" "$max"
  say "  $n events at $(get "events.$rate.rate")/s (fixed rate $rate/s): p50 $p50 ms, p99 $p99 ms, max $max ms; all applied ${AWAITED} s after the last commit; $txs consumer transactions, events per transaction mean $per_tx, median $per_tx_p50, max $per_tx_max"
done
fi # stage 4

# ---------------------------------------------------------------------------------------------------------------
# 5. The CMDB (bench/cmdb-graph.sh on this stack)
# ---------------------------------------------------------------------------------------------------------------
if stage 5; then
say "== 5/5 CMDB import and impact (bench/cmdb-graph.sh) ..."
BENCH_RESULTS_FILE="$RESULTS" BENCH_USE_RUNNING_STACK=1 \
  "$ROOT/bench/cmdb-graph.sh" "${quick_flag[@]}" >"$WORK/cmdb-graph.md" || die "bench/cmdb-graph.sh failed"
record_stack_rss rss-after-load lenient
fi # stage 5

# ---------------------------------------------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------------------------------------------
# verdict EXPRESSION -> PASS / MISS (n/a when a figure is missing)
verdict() { [[ "$1" == *n/a* ]] && { echo "n/a"; return; }; calc "'PASS' if $1 else 'MISS'"; }
# short_by FIGURE TARGET higher|lower -> ", missed by 2.3x" when the figure misses the target
short_by() {
  [[ "$1" == *n/a* || "$2" == *n/a* ]] && return 0
  if [[ "$3" == higher ]]; then calc "'' if $1 >= $2 else ', missed by %.1fx' % ($2 / max($1, 1e-9))"
  else calc "'' if $1 <= $2 else ', missed by %.1fx' % ($1 / $2)"; fi
}
commit="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
[[ "$commit" != unknown && -n "$(git -C "$ROOT" status --porcelain 2>/dev/null | head -n 1)" ]] && commit="$commit (with local changes)"
best_c="$(get incident.best-create.concurrency)"
create_gw="$(get incident.best-create.rps)"
raw="$(get raw.best.tps)"
raw_ratio="$(calc "'%.3g' % ($create_gw / $raw)")"
create_ratio="$(get incident.create-ratio)"
get_ratio="$(get incident.get-ratio)"

echo "# Performance report$([[ "$QUICK" == true ]] && echo " (--quick smoke run: figures not meaningful)")"
echo
echo "- $(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit, the whole run took $(( SECONDS / 60 )) min"
echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(awk '/MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo) RAM; java: $JAVA_LINE"
echo "- one stack (Kafka, PostgreSQL, the MongoDB-wire store, four services, the launcher) and the load tools on the same cores"
echo
echo "| # | measure | figure | target | ratio / verdict |"
echo "|---|---|---|---|---|"
echo "| 1 | create incident through the gateway (best of c = 1/8/32: c = $best_c) vs raw PostgreSQL INSERT + commit (pgbench, best of c = 1/8/32: c = $(get raw.best.concurrency), same server) | $create_gw vs $raw per s | ≥ 0.40 | **$raw_ratio** $(verdict "$raw_ratio >= $TARGET_RAW_RATIO")$(short_by "$raw_ratio" "$TARGET_RAW_RATIO" higher) |"
echo "| 2 | create through the gateway vs directly, c = 32, two pairs (gateway, direct, direct, gateway) | $(get incident.create-gw-32.rps) + $(get incident.create-gw-32b.rps) vs $(get incident.create-direct-32.rps) + $(get incident.create-direct-32b.rps) req/s | ≥ 0.90 | **$create_ratio** $(verdict "$create_ratio >= $TARGET_GATEWAY_RATIO")$(short_by "$create_ratio" "$TARGET_GATEWAY_RATIO" higher) |"
echo "| 2 | get through the gateway vs directly, c = 32, two pairs (gateway, direct, direct, gateway) | $(get incident.get-gw-32.rps) + $(get incident.get-gw-32b.rps) vs $(get incident.get-direct-32.rps) + $(get incident.get-direct-32b.rps) req/s | ≥ 0.90 | **$get_ratio** $(verdict "$get_ratio >= $TARGET_GATEWAY_RATIO")$(short_by "$get_ratio" "$TARGET_GATEWAY_RATIO" higher) |"
for rate in "${EVENT_RATES[@]}"; do
  figure="p50 $(get "events.$rate.p50") ms, **p99 $(get "events.$rate.p99") ms** (p99.9 $(get "events.$rate.p999"), max $(get "events.$rate.max")); the last applied $(get "events.$rate.drained-after") s after the last commit; events per consumer transaction: mean $(get "events.$rate.per-transaction")"
  if [[ "$rate" == 1000 ]]; then
    echo "| 3 | event end-to-end, outbox commit → change-service's read model: $(get "events.$rate.measured") events at $(get "events.$rate.rate")/s (fixed rate $rate/s) | $figure | p99 ≤ 100 ms | $(verdict "$(get "events.$rate.p99") <= $TARGET_EVENT_P99_MS")$(short_by "$(get "events.$rate.p99")" "$TARGET_EVENT_P99_MS" lower) |"
  else
    echo "| 3 | the same at $(get "events.$rate.rate")/s (fixed rate $rate/s, $(get "events.$rate.measured") events) | $figure | | |"
  fi
done
echo "| 4 | CMDB impact depth 6 downstream from a hub, $(get cmdb.cis) CIs / $(get cmdb.relationships) relationships, direct, 1 client, right after the import (the other services still consuming its events) | p50 $(get cmdb.impact-direct.p50) ms, p99 $(get cmdb.impact-direct.p99) ms (gateway: $(get cmdb.impact-gateway.p50) / $(get cmdb.impact-gateway.p99) ms) | | |"
echo "| 4 | the same once they had consumed them ($(get cmdb.drained-after) s later) | p50 $(get cmdb.impact-direct-drained.p50) ms, **p99 $(get cmdb.impact-direct-drained.p99) ms** (gateway: $(get cmdb.impact-gateway-drained.p50) / $(get cmdb.impact-gateway-drained.p99) ms) | p99 ≤ 100 ms | $(verdict "$(get cmdb.impact-direct-drained.p99) <= $TARGET_IMPACT_P99_MS")$(short_by "$(get cmdb.impact-direct-drained.p99)" "$TARGET_IMPACT_P99_MS" lower) |"
echo "| 4 | CMDB import through reconciliation (batches of 10,000, all created) | **$(get cmdb.import.rate) CIs/s** | ≥ 5,000 | $(verdict "$(get cmdb.import.rate) >= $TARGET_IMPORT_RATE")$(short_by "$(get cmdb.import.rate)" "$TARGET_IMPORT_RATE" higher) |"
for svc in "${SERVICES[@]}"; do
  alone="$(get "alone.started-in.$svc")"
  echo "| 5 | startup $svc: alone, median of $ALONE_STARTS starts (started-in, its range / ready) · in the stack's cold start | $alone s ($(get "alone.started-in-range.$svc") s) / $(get "alone.ready.$svc") s · $(get "started-in.$svc") s / $(get "ready.$svc") s | ≤ 1.5 s | $(verdict "$alone <= $TARGET_STARTUP_S")$(short_by "$alone" "$TARGET_STARTUP_S" lower) |"
done
for svc in "${SERVICES[@]}"; do
  rss="$(get "rss.$svc")"
  echo "| 5 | RSS $svc, idle after ${IDLE_SECONDS} s (alone, 5 s after ready: $(get "alone.rss.$svc") MB) | $rss MB | ≤ 200 MB | $(verdict "$rss <= $TARGET_SERVICE_RSS_MB")$(short_by "$rss" "$TARGET_SERVICE_RSS_MB" lower) |"
done
echo "| 5 | RSS of the whole stack, idle (Kafka $(get rss.kafka), PostgreSQL $(get rss.postgres), MongoDB-wire $(get rss.mongodb), launcher $(get rss.launcher) MB); after the load: $(get rss-after-load.stack) MB | $(get rss.stack) MB | ≤ 2.5 GB | $(verdict "$(get rss.stack) <= $TARGET_STACK_RSS_MB")$(short_by "$(get rss.stack)" "$TARGET_STACK_RSS_MB" lower) |"
echo "| 5 | the whole stack, spawn → every service ready (cold start, empty data directory) | $(get stack.ready-seconds) s | | |"
echo "| 5 | CPU of the idle stack over the second half of its idle time, % of one core (Kafka $(get idle-cpu.kafka), PostgreSQL $(get idle-cpu.postgres), MongoDB-wire $(get idle-cpu.mongodb), incident $(get idle-cpu.incident-service), change $(get idle-cpu.change-service), cmdb $(get idle-cpu.cmdb-service), gateway $(get idle-cpu.gateway), launcher $(get idle-cpu.launcher)) | $(get idle-cpu.stack) % | | |"
echo
echo "How each figure is taken, and where the time goes where a target is missed: bench/README.md (\"report.sh\")."
echo "The parts' own reports follow."
echo
[[ -f "$WORK/incident-api.md" ]] && { sed 's/^## /### /' "$WORK/incident-api.md"; echo; }
[[ -f "$WORK/cmdb-graph.md" ]] && { sed 's/^## /### /' "$WORK/cmdb-graph.md"; echo; }
echo "### Raw PostgreSQL INSERT + commit (pgbench, incident database, one-row table with a uuid primary key)"
echo
echo "| concurrency | inserts/s |"
echo "|--:|--:|"
for c in 1 8 32; do echo "| $c | $(get "raw.$c.tps") |"; done
