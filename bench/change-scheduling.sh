#!/usr/bin/env bash
# Change scheduling benchmark: throughput (req/s) and p50/p99 latency of conflict detection
# (GET /api/changes/{id}/conflicts) and of the next-slot search (GET /api/changes/{id}/next-slot?after=...) over
# BENCH_CHANGES scheduled changes and a CMDB graph of BENCH_CIS CIs and BENCH_RELATIONSHIPS relationships (conflicts
# also count changes on CIs related to the probe's CIs), directly on change-service and through the gateway, at
# concurrency 1 and 8. The scheduled changes and the graph (change-service's CMDB read model) are seeded directly in
# PostgreSQL (the benchmark measures the read side, so seeding bypasses the domain, the CMDB and Kafka); a few probe
# changes are created through the API and are what the load reads. Real load tool (hey)
# on 127.0.0.1 against the real local stack; every run is bounded in time. The report (markdown) goes to stdout,
# progress to stderr.
#
# usage: bench/change-scheduling.sh [--quick] [--build] [--help]
#   --quick   smoke run: 2 s per cell and a 5 s warm-up, whatever BENCH_DURATION and BENCH_WARMUP say (checks the
#             script and the stack; the figures are not meaningful). The full data set is still seeded.
#   --build   when the script has to start the stack: build the suite first (./mvnw -B -q -DskipTests package)
#
# environment:
#   BENCH_DURATION       seconds per cell, split over the probes: 20 (default), 20s or 1m
#   BENCH_WARMUP         seconds of load before measuring: 60 (default)
#   BENCH_READY_TIMEOUT  seconds to wait for a stack to become ready: 180 (default)
#   BENCH_CHANGES        scheduled changes seeded in PostgreSQL: 10000 (default)
#   BENCH_CIS            CIs of the seeded graph, which the seeded changes draw their 1-3 CIs from: 100000 (default)
#   BENCH_RELATIONSHIPS  relationships between random pairs of those CIs in the seeded graph: 400000 (default)
#   BENCH_PROBES         probe changes created through the API, whose conflicts and next slot are read: 20 (default)
#   BENCH_KEEP_DATA      1: leave the seeded changes, the seeded graph and the probes in the database; otherwise they
#                        are deleted at exit
#   BENCH_TOKEN          bearer token; unset: tokens of the local development issuer (itsm-reader for the load,
#                        itsm-agent to create the probes); set: this one for everything (it needs role itsm-agent);
#                        set but empty: no auth header
#   ITSM_*               as for ./itsm (ITSM_GATEWAY_PORT, ITSM_CHANGE_PORT, ITSM_POSTGRES_PORT, ITSM_DATA_DIR, ...);
#                        a stack started by this script inherits them
# See bench/README.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/stack.sh
source "$ROOT/bench/lib/stack.sh"
GATEWAY_PORT="${ITSM_GATEWAY_PORT:-8080}"
CHANGE_PORT="${ITSM_CHANGE_PORT:-8082}"
POSTGRES_PORT="${ITSM_POSTGRES_PORT:-15432}"
GATEWAY="http://127.0.0.1:$GATEWAY_PORT"
DIRECT="http://127.0.0.1:$CHANGE_PORT"
READY_TIMEOUT="${BENCH_READY_TIMEOUT:-180}"
CHANGES="${BENCH_CHANGES:-10000}"
CIS="${BENCH_CIS:-100000}"
RELATIONSHIPS="${BENCH_RELATIONSHIPS:-400000}"
PROBES="${BENCH_PROBES:-20}"
KEEP_DATA="${BENCH_KEEP_DATA:-0}"
SEED_MARK='bench-seed'   # short_description (and requested_by) of the seeded changes
PROBE_MARK='bench-probe' # short_description of the probe changes
CI_NUMBER_PREFIX='CB'    # number of the seeded CIs: CB0000001, ... (the CMDB numbers its CIs CI0000001, ...) ...
CI_NAME_PREFIX='bench-ci-' # ... and name bench-ci-<n>: both mark them; the seeded relationships are those of these CIs
PROBE_HOURS=2            # length of a probe's planned window
PROBE_SHARED_CIS=2       # CIs per probe that a seeded change overlapping the probe's window also changes ...
PROBE_RELATED_CIS=1      # ... and CIs per probe that are 1-hop neighbours of a CI of another overlapping seeded change
PROBE_CIS=$(( PROBE_SHARED_CIS + PROBE_RELATED_CIS ))
MIN_RUN_MS=500           # shortest hey run per probe; with less time per cell, fewer probes are used
TARGET_CONFLICTS_P99_MS=50
TARGET_NEXT_SLOT_P99_MS=200

die() { echo "change-scheduling.sh: $*" >&2; exit 1; }

parse_bench_options 20s 60 "$@"
[[ "$CHANGES" =~ ^[1-9][0-9]*$ ]] || die "BENCH_CHANGES must be a positive number, not '$CHANGES'"
[[ "$CIS" =~ ^[1-9][0-9]*$ ]] && (( CIS >= 2 )) || die "BENCH_CIS must be a number of at least 2, not '$CIS'"
[[ "$RELATIONSHIPS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_RELATIONSHIPS must be a positive number, not '$RELATIONSHIPS'"
[[ "$PROBES" =~ ^[1-9][0-9]*$ ]] || die "BENCH_PROBES must be a positive number, not '$PROBES'"
CELLS=8 # conflicts and next-slot, direct and through the gateway, at concurrency 1 and 8
LOAD_SECONDS=$(( WARMUP + CELLS * DURATION ))

# Each cell runs once per probe, DURATION / probes each (at least MIN_RUN_MS: then over the first probes only).
RUN_PROBES=$(( DURATION * 1000 / MIN_RUN_MS ))
(( RUN_PROBES > PROBES )) && RUN_PROBES=$PROBES
(( RUN_PROBES >= 1 )) || RUN_PROBES=1
RUN_MS=$(( DURATION * 1000 / RUN_PROBES ))

# ---------------------------------------------------------------------------------------------------------------
# Tools
# ---------------------------------------------------------------------------------------------------------------
command -v curl >/dev/null 2>&1 || die "curl is missing (apt-get install -y curl)"
apt_install hey hey                 # the HTTP load generator
apt_install postgresql-client psql  # seeds the data set

WORK="$(mktemp -d "${TMPDIR:-/tmp}/itsm-bench.XXXXXX")"
STARTED=false
STACK_PID=""
SEEDED=false

# The local stack's PostgreSQL, database change (local development credentials). Extra arguments go to psql.
pg() {
  PGPASSWORD=postgres PGCONNECT_TIMEOUT=10 timeout -k 5 300 \
    psql -h 127.0.0.1 -p "$POSTGRES_PORT" -U postgres -d change -X -q -A -t -F '|' -v ON_ERROR_STOP=1 "$@"
}

# The seeded CIs in change-service's CMDB read model (SQL), whatever BENCH_CIS the run that seeded them had.
BENCH_CI_IDS="select id from ci_read_model where number like '$CI_NUMBER_PREFIX%' and name like '$CI_NAME_PREFIX%'"
# SQL that deletes the seeded and the probe changes (their CIs, history and approvals go with them: on delete
# cascade), and the seeded graph: the relationships from or to a seeded CI, then the seeded CIs.
DELETE_BENCH_DATA_SQL="delete from change_request where short_description in ('$SEED_MARK', '$PROBE_MARK');
delete from ci_dependency where dependent_id in ($BENCH_CI_IDS) or dependency_id in ($BENCH_CI_IDS);
delete from ci_read_model where id in ($BENCH_CI_IDS);"
delete_bench_data() {
  pg -c "$DELETE_BENCH_DATA_SQL" # one query string: one transaction
}

# At exit: deletes the data set (unless BENCH_KEEP_DATA=1), then stops what this script started, and only that:
# ./itsm stop (the launcher stops its children); if the launcher had not yet written its pid file, SIGTERM to the
# launcher's own pid, which this script started.
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ "$SEEDED" == true ]]; then
    if [[ "$KEEP_DATA" == 1 ]]; then
      say "BENCH_KEEP_DATA=1: the seeded changes ('$SEED_MARK'), the seeded CIs ('$CI_NUMBER_PREFIX...', '$CI_NAME_PREFIX...') with their relationships and the probes ('$PROBE_MARK') stay in the database."
    else
      say "Deleting the seeded changes, the seeded graph and the probes ..."
      delete_bench_data >/dev/null || say "could not delete them; in database change: $DELETE_BENCH_DATA_SQL"
    fi
  fi
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
ready "$DIRECT" || die "change-service does not answer on $DIRECT/q/health/ready (ITSM_CHANGE_PORT=$CHANGE_PORT?)"
pg -c 'select 1' >/dev/null \
  || die "cannot reach the stack's PostgreSQL (127.0.0.1:$POSTGRES_PORT, database change, user postgres; ITSM_POSTGRES_PORT?)"

# ---------------------------------------------------------------------------------------------------------------
# Authentication: the one place that decides the auth header of every request (curl probes and hey runs).
#   BENCH_TOKEN set and non-empty -> "Authorization: Bearer $BENCH_TOKEN" for everything (needs role itsm-agent,
#                                    which may also read)
#   BENCH_TOKEN unset             -> tokens of the local development issuer (./itsm token): role itsm-reader for
#                                    the measured reads, role itsm-agent to create the probes; none if that fails
#   BENCH_TOKEN set but empty     -> no Authorization header
# ---------------------------------------------------------------------------------------------------------------
AUTH_HEADERS=()       # the measured reads and the checks
AGENT_AUTH_HEADERS=() # creating the probes
AUTH_DESC="none (no Authorization header)"
if [[ -n "${BENCH_TOKEN:-}" ]]; then
  AUTH_HEADERS=(-H "Authorization: Bearer $BENCH_TOKEN")
  AGENT_AUTH_HEADERS=("${AUTH_HEADERS[@]}")
  AUTH_DESC="bearer token from BENCH_TOKEN"
elif [[ -z "${BENCH_TOKEN+set}" ]]; then
  ttl="$(( LOAD_SECONDS / 60 + 60 ))m"
  if reader_token="$("$ROOT/itsm" token --user bench --roles itsm-reader --ttl "$ttl" 2>/dev/null)" && [[ -n "$reader_token" ]] \
      && agent_token="$("$ROOT/itsm" token --user bench --roles itsm-agent --ttl "$ttl" 2>/dev/null)" && [[ -n "$agent_token" ]]; then
    AUTH_HEADERS=(-H "Authorization: Bearer $reader_token")
    AGENT_AUTH_HEADERS=(-H "Authorization: Bearer $agent_token")
    AUTH_DESC="bearer tokens of the local development issuer (./itsm token --user bench: --roles itsm-reader for the load, --roles itsm-agent to create the probes)"
  else
    say "Could not get tokens with ./itsm token: sending no Authorization header (set BENCH_TOKEN to send one)."
  fi
fi

# ---------------------------------------------------------------------------------------------------------------
# The data set, seeded in one SQL transaction (generate_series), deterministic (setseed):
# - BENCH_CHANGES scheduled changes: ids md5('bench-change-' || i), 1-3 CIs each out of the ids md5('bench-ci-' || n)
#   for n in 1..BENCH_CIS, so the same CIs recur across changes. Windows of 1-4 h start anywhere in the 90 days from
#   BASE (next Monday 00:00 UTC) and end inside them.
# - the CMDB graph, in change-service's read model of the CMDB (as if fed by itsm.cmdb.events): one ci_read_model row
#   per CI id above, and BENCH_RELATIONSHIPS ci_dependency edges (dependent -> dependency) between random pairs of
#   them, no self-loops (so every CI has about 2 x BENCH_RELATIONSHIPS / BENCH_CIS neighbours either way). A
#   separate seed, so the calendar is the same whatever the graph.
# A rerun deletes the rows of the previous one first (DELETE_BENCH_DATA_SQL).
# ---------------------------------------------------------------------------------------------------------------
BASE="$(date -u -d 'next monday' '+%Y-%m-%dT00:00:00Z')"
say "Seeding ${CHANGES} scheduled changes over 90 days from ${BASE}, 1-3 CIs each out of ${CIS}, and a graph of ${CIS} CIs and ${RELATIONSHIPS} relationships (PostgreSQL 127.0.0.1:$POSTGRES_PORT/change) ..."
seed_start=$SECONDS
SEEDED=true # from here on, cleanup deletes what is there
# Prints the seconds spent deleting the previous run's rows, seeding the calendar and seeding the graph (each
# with its ANALYZE), |-separated.
seed_timing="$(pg -v changes="$CHANGES" -v cis="$CIS" -v relationships="$RELATIONSHIPS" -v base="$BASE" \
                  -v ci_number="$CI_NUMBER_PREFIX" -v ci_name="$CI_NAME_PREFIX" <<SQL | tail -n 1
select clock_timestamp() as t0 \\gset
begin;
$DELETE_BENCH_DATA_SQL
commit;
select clock_timestamp() as t1 \\gset
begin;
select setseed(0.42);
create temp table bench_seed on commit drop as
  select i,
         md5('bench-change-' || i)::uuid as id,
         :'base'::timestamptz + date_trunc('minute', random() * (interval '90 days' - interval '4 hours')) as starts_at,
         (60 + floor(random() * 181)::int) * interval '1 minute' as length,
         1 + floor(random() * 3)::int as cis
    from generate_series(1, :changes) i;
insert into change_request (id, number, type, short_description, requested_by, state, planned_start, planned_end,
                            created_at, updated_at, version)
  select id, 'CHG' || lpad(nextval('change_number_seq')::text, 7, '0'), 'NORMAL', '$SEED_MARK', '$SEED_MARK', 'SCHEDULED',
         starts_at, starts_at + length, now(), now(), 0
    from bench_seed order by i;
insert into change_ci (change_id, ci_id)
  select s.id, md5('bench-ci-' || (1 + floor(random() * :cis)::int))::uuid
    from bench_seed s cross join lateral generate_series(1, s.cis) k
  on conflict do nothing;
commit;
analyze change_request;
analyze change_ci;
select clock_timestamp() as t2 \\gset
begin;
select setseed(0.17);
-- criticality 1 (most critical) to 4: 5 %, 20 %, 40 %, 35 %
insert into ci_read_model (id, number, name, status, criticality, version, updated_at)
  select md5('bench-ci-' || n)::uuid, :'ci_number' || lpad(n::text, greatest(7, length(n::text)), '0'), :'ci_name' || n,
         'INSTALLED', case when r < 0.05 then 1 when r < 0.25 then 2 when r < 0.65 then 3 else 4 end, 0, now()
    from (select n, random() as r from generate_series(1, :cis) n) c
   order by n;
-- b is drawn from the other CIs: 1..cis-1, shifted past a
insert into ci_dependency (id, dependent_id, dependency_id, type, version, deleted)
  select md5('bench-relationship-' || j)::uuid, md5('bench-ci-' || a)::uuid, md5('bench-ci-' || (b + (b >= a)::int))::uuid,
         case when t < 0.35 then 'DEPENDS_ON' when t < 0.55 then 'RUNS_ON' when t < 0.70 then 'HOSTED_ON'
              when t < 0.85 then 'CONNECTS_TO' when t < 0.95 then 'CONTAINS' else 'MEMBER_OF' end,
         0, false
    from (select j, 1 + floor(random() * :cis)::int as a, 1 + floor(random() * (:cis - 1))::int as b, random() as t
            from generate_series(1, :relationships) j) e
   order by j;
commit;
analyze ci_read_model;
analyze ci_dependency;
select clock_timestamp() as t3 \\gset
select round(extract(epoch from :'t1'::timestamptz - :'t0'::timestamptz)::numeric, 1),
       round(extract(epoch from :'t2'::timestamptz - :'t1'::timestamptz)::numeric, 1),
       round(extract(epoch from :'t3'::timestamptz - :'t2'::timestamptz)::numeric, 1);
SQL
)" || die "seeding failed"
SEED_SECONDS=$(( SECONDS - seed_start ))
IFS='|' read -r delete_seconds calendar_seconds graph_seconds <<<"$seed_timing"
IFS='|' read -r seeded_changes seeded_links seeded_cis occupying blackouts < <(pg -c "
  select (select count(*) from change_request where short_description = '$SEED_MARK'),
         (select count(*) from change_ci ci join change_request c on c.id = ci.change_id where c.short_description = '$SEED_MARK'),
         (select count(distinct ci.ci_id) from change_ci ci join change_request c on c.id = ci.change_id where c.short_description = '$SEED_MARK'),
         (select count(*) from change_request where state in ('SCHEDULED', 'IMPLEMENT')),
         (select count(*) from blackout_window)")
(( seeded_changes == CHANGES )) || die "seeded ${seeded_changes} changes, expected ${CHANGES}"
IFS='|' read -r graph_cis graph_edges model_cis model_edges < <(pg -c "
  select (select count(*) from ($BENCH_CI_IDS) b),
         (select count(*) from ci_dependency where not deleted and dependent_id in ($BENCH_CI_IDS)),
         (select count(*) from ci_read_model),
         (select count(*) from ci_dependency where not deleted)")
(( graph_cis == CIS && graph_edges == RELATIONSHIPS )) \
  || die "seeded a graph of ${graph_cis} CIs and ${graph_edges} relationships, expected ${CIS} and ${RELATIONSHIPS}"
say "Seeded in ${SEED_SECONDS} s (previous run's rows deleted in ${delete_seconds} s; calendar ${calendar_seconds} s; graph ${graph_seconds} s, each with its ANALYZE): ${seeded_changes} changes, ${seeded_links} change-CI links over ${seeded_cis} distinct CIs; ${graph_cis} CIs and ${graph_edges} relationships (the read model holds ${model_cis} CIs and ${model_edges} relationships in all)."

# ---------------------------------------------------------------------------------------------------------------
# Probes: BENCH_PROBES changes created through the API (state NEW), with 2 h windows spread over the seeded period
# and PROBE_CIS CIs, so that every probe has conflicts of both kinds: PROBE_SHARED_CIS CIs, each taken from another
# seeded change whose window overlaps the probe's (a conflict on a shared CI), and PROBE_RELATED_CIS CIs, each a
# 1-hop neighbour in the seeded graph of a CI of yet another overlapping seeded change, and touched by no overlapping
# seeded change itself (a conflict on a related CI only). The load reads their conflicts, and their next slot after
# their planned start.
# ---------------------------------------------------------------------------------------------------------------
request() { # expected-status method url [body] [agent] -> prints the body; fails with a message on another status
  local expected="$1" method="$2" url="$3" code args=() auth=("${AUTH_HEADERS[@]}")
  [[ $# -ge 4 && -n "$4" ]] && args=(-H 'Content-Type: application/json' --data-binary "$4")
  [[ $# -ge 5 ]] && auth=("${AGENT_AUTH_HEADERS[@]}")
  code="$(curl -sS -m 30 -o "$WORK/probe.body" -w '%{http_code}' -X "$method" "${auth[@]}" "${args[@]}" "$url")" \
    || die "$method $url failed (curl)"
  if [[ "$code" != "$expected" ]]; then
    say "$method $url answered $code, expected $expected:"; head -c 600 "$WORK/probe.body" >&2; say ""
    [[ "$code" == 401 || "$code" == 403 ]] && say "(authentication: $AUTH_DESC; set BENCH_TOKEN to a token with role itsm-agent)"
    exit 1
  fi
  cat "$WORK/probe.body"
}

say "Creating ${PROBES} probe changes through POST $DIRECT/api/changes ..."
PROBE_ID=()
PROBE_START=()
PROBE_CONFLICTS=()
PROBE_SHIFT_MIN=() # minutes from the probe's planned start to the suggested next slot
while IFS='|' read -r k start end cis; do
  [[ -n "$cis" ]] || die "no seeded change overlaps probe $k's window ($start to $end): too few BENCH_CHANGES?"
  body="{\"type\":\"NORMAL\",\"shortDescription\":\"$PROBE_MARK\",\"configurationItemIds\":[$cis],\"plannedStart\":\"$start\",\"plannedEnd\":\"$end\"}"
  id="$(request 201 POST "$DIRECT/api/changes" "$body" agent | sed -n 's/^{[^{]*"id" *: *"\([0-9a-fA-F-]\{36\}\)".*/\1/p')"
  [[ -n "$id" ]] || die "the create response has no \"id\": $(head -c 300 "$WORK/probe.body")"
  PROBE_ID+=("$id")
  PROBE_START+=("$start")
done < <(pg -v probes="$PROBES" -v base="$BASE" -v hours="$PROBE_HOURS" -v shared="$PROBE_SHARED_CIS" \
           -v related="$PROBE_RELATED_CIS" <<<"
  with window_of as (
    select k, s, s + :hours * interval '1 hour' as e
      from (select k, date_trunc('hour', :'base'::timestamptz + interval '1 day' + (k - 1) * (interval '88 days' / :probes)) as s
              from generate_series(1, :probes) k) w),
  overlapping as ( -- the seeded changes that overlap a probe's window, with their CIs
    select w.k, c.id, ci.ci_id
      from window_of w
      join change_request c on c.short_description = '$SEED_MARK' and c.planned_start < w.e and c.planned_end > w.s
      join change_ci ci on ci.change_id = c.id),
  shared as ( -- one CI of each of the first :shared of them
    select k, id, ci_id
      from (select k, id, ci_id, row_number() over (partition by k order by id) as rank
              from (select distinct on (k, id) k, id, ci_id from overlapping order by k, id, ci_id) one_per_change) ranked
     where rank <= :shared),
  related as ( -- a neighbour of a CI of each of the next :related, that no overlapping change touches
    select k, ci_id
      from (select k, ci_id, row_number() over (partition by k order by id, ci_id) as rank
              from (select distinct on (o.k, o.id) o.k, o.id, n.ci_id
                      from overlapping o
                      cross join lateral (select d.dependency_id from ci_dependency d where d.dependent_id = o.ci_id and not d.deleted
                                          union all
                                          select d.dependent_id from ci_dependency d where d.dependency_id = o.ci_id and not d.deleted) n (ci_id)
                     where not exists (select 1 from shared p where p.k = o.k and p.id = o.id)
                       and not exists (select 1 from overlapping x where x.k = o.k and x.ci_id = n.ci_id)
                     order by o.k, o.id, n.ci_id) one_per_change) ranked
     where rank <= :related)
  select k,
         to_char(s at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),
         to_char(e at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),
         (select string_agg('\"' || ci_id || '\"', ',')
            from (select ci_id from shared p where p.k = w.k union select ci_id from related r where r.k = w.k) picked)
    from window_of w order by k;")
(( ${#PROBE_ID[@]} == PROBES )) || die "created ${#PROBE_ID[@]} probes, expected ${PROBES}"

# Each probe once, directly and through the gateway: 200, and how many conflicts / where the next slot is.
conflicts_url() { echo "$1/api/changes/${PROBE_ID[$2]}/conflicts"; }
next_slot_url() { echo "$1/api/changes/${PROBE_ID[$2]}/next-slot?after=${PROBE_START[$2]}"; }
# The conflicts' reasons tell a shared CI ("... also changes CI ...") from a related one ("... which is related to a
# CI of this change in the CMDB ...").
PROBE_SHARED=()  # conflicts on a CI of the probe
PROBE_RELATED=() # conflicts on a CI related to one of the probe
with_conflicts=0
with_related=0
for i in "${!PROBE_ID[@]}"; do
  request 200 GET "$(conflicts_url "$DIRECT" "$i")" >"$WORK/conflicts.json"
  n="$(grep -o '"kind" *:' "$WORK/conflicts.json" | wc -l)"
  PROBE_CONFLICTS+=("$n")
  PROBE_SHARED+=("$(grep -o 'also changes CI' "$WORK/conflicts.json" | wc -l)")
  PROBE_RELATED+=("$(grep -o 'related to a CI of this change' "$WORK/conflicts.json" | wc -l)")
  (( n > 0 )) && with_conflicts=$(( with_conflicts + 1 ))
  (( PROBE_RELATED[i] > 0 )) && with_related=$(( with_related + 1 ))
  slot="$(request 200 GET "$(next_slot_url "$DIRECT" "$i")" | sed -n 's/.*"plannedStart" *: *"\([^"]*\)".*/\1/p')"
  [[ -n "$slot" ]] || die "the next-slot response has no plannedStart: $(head -c 300 "$WORK/probe.body")"
  PROBE_SHIFT_MIN+=("$(( ( $(date -u -d "$slot" +%s) - $(date -u -d "${PROBE_START[$i]}" +%s) ) / 60 ))")
  request 200 GET "$(conflicts_url "$GATEWAY" "$i")" >/dev/null
  request 200 GET "$(next_slot_url "$GATEWAY" "$i")" >/dev/null
done
(( with_conflicts * 2 > PROBES )) \
  || die "only ${with_conflicts} of ${PROBES} probes have conflicts (expected most): the data set is not what this benchmark needs"
(( with_related * 2 > PROBES )) \
  || die "only ${with_related} of ${PROBES} probes have conflicts on related CIs (expected most): is change-service's itsm.change.conflicts.related-depth 0?"
stats() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { printf "min %s, median %s, max %s", v[1], v[int((NR + 1) / 2)], v[NR] }'; }
sum() { printf '%s\n' "$@" | awk '{ s += $1 } END { print s + 0 }'; }
# The CIs whose changes conflict with each probe's: its own and their 1-hop neighbours either way (with the default
# itsm.change.conflicts.related-depth=1), as change-service walks them.
mapfile -t PROBE_SCOPE < <(pg -c "
  select (select count(*)
            from (select ci.ci_id from change_ci ci where ci.change_id = p.id
                  union select d.dependency_id from change_ci ci join ci_dependency d on d.dependent_id = ci.ci_id and not d.deleted where ci.change_id = p.id
                  union select d.dependent_id from change_ci ci join ci_dependency d on d.dependency_id = ci.ci_id and not d.deleted where ci.change_id = p.id) s)
    from change_request p where p.short_description = '$PROBE_MARK'")
say "Probes: ${with_conflicts} of ${PROBES} have conflicts ($(stats "${PROBE_CONFLICTS[@]}")): on shared CIs $(stats "${PROBE_SHARED[@]}") (total $(sum "${PROBE_SHARED[@]}")), on related CIs $(stats "${PROBE_RELATED[@]}") (total $(sum "${PROBE_RELATED[@]}"), ${with_related} probes); conflict scope $(stats "${PROBE_SCOPE[@]}") CIs; next slot after the planned start: $(stats "${PROBE_SHIFT_MIN[@]}") minutes later."

# ---------------------------------------------------------------------------------------------------------------
# Load: hey, bounded by -z and, should it hang, by timeout. Each cell runs hey once per probe and merges the runs;
# hey's summary cannot be merged (and has no p99 below 100 responses), so the measured runs write hey's CSV, one
# row per response: response time, status and start offset. The warm-up uses hey's summary.
# ---------------------------------------------------------------------------------------------------------------
# hey_run NAME DURATION(hey -z: 500ms, 10s) CONCURRENCY URL [hey options] : output in $WORK/NAME.hey
hey_run() {
  local name="$1" duration="$2" conc="$3" url="$4" secs
  shift 4
  if [[ "$duration" == *ms ]]; then secs=$(( ${duration%ms} / 1000 + 1 )); else secs="${duration%s}"; fi
  timeout -k 5 $(( secs + 30 )) hey -z "$duration" -c "$conc" -t 20 "$@" "${AUTH_HEADERS[@]}" "$url" \
    >"$WORK/$name.hey" 2>&1 || true
}

# Requests/sec of a hey summary (the warm-up's ramp).
rps_of() { awk '/Requests\/sec:/ { split($0, a, /:[ \t]*/); printf "%.0f", a[2]; found = 1 } END { if (!found) printf "n/a" }' "$WORK/$1.hey"; }

# Nearest-rank percentile P (ms) of the response times in hey CSV files; n/a without any.
percentile() {
  local p="$1"; shift
  awk -F, 'FNR > 1 && $1 ~ /^[0-9.]+$/ { print $1 }' "$@" | sort -g \
    | awk -v p="$p" '{ v[NR] = $1 } END { if (NR == 0) { printf "n/a"; exit }
                                          i = int(NR * p / 100); if (i < NR * p / 100) i++; if (i < 1) i = 1
                                          printf "%.1f", v[i] * 1000 }'
}

# Fields of tally's output and of ROWS are separated by the ASCII unit separator (a tab would let read merge
# empty fields).
FS=$'\037'
# tally CONCURRENCY RUN-MS EXPECTED-STATUS CSV-FILE... -> rps errors detail, FS-separated.
#   rps    = all responses / the runs' time (each run: from its start to the end of its last response)
#   errors = responses with another status than expected, plus runs that hey's CSV shows to be broken: no CSV at
#            all, or responses covering less than half the workers' time. hey's CSV leaves out transport errors
#            (refused connections, timeouts), so a run that had them shows as workers' time without responses.
tally() {
  awk -F, -v conc="$1" -v run_ms="$2" -v expected="$3" -v OFS="$FS" '
    function close_run() {
      if (file == "") return
      if (!header) broken_none++
      else { seconds += end; if (busy < 0.5 * conc * run_ms / 1000) broken_idle++ }
    }
    FNR == 1 { close_run(); file = FILENAME; header = ($1 == "response-time"); busy = 0; end = 0; if (header) next }
    header && $1 ~ /^[0-9.]+$/ {
      responses++; busy += $1; if ($8 + $1 > end) end = $8 + $1
      if ($7 != expected) { if (!($7 in count)) order[++kinds] = $7; count[$7]++; errors++ }
    }
    END {
      close_run()
      for (i = 1; i <= kinds; i++) detail = detail (detail == "" ? "" : ", ") order[i] "x" count[order[i]]
      if (broken_none) detail = detail (detail == "" ? "" : ", ") "run without output from hey x" broken_none
      if (broken_idle) detail = detail (detail == "" ? "" : ", ") "run with transport errors or stalls x" broken_idle
      print (seconds > 0 ? sprintf("%.0f", responses / seconds) : "n/a"), errors + broken_none + broken_idle, detail
    }' "${@:4}"
}

ROWS=()       # table rows: op path concurrency rps p50 p99 worst-probe-p99 errors detail, FS-separated
declare -A R  # results by cell name: R[name.rps], R[name.p50], R[name.p99], R[name.errors]

cell() { # NAME OP PATH CONCURRENCY URL-FUNCTION BASE-URL : one hey run per probe, RUN_MS each, merged
  local name="$1" op="$2" path="$3" conc="$4" url_of="$5" base="$6" i files=() rps p50 p99 worst=0 p errors detail
  for (( i = 0; i < RUN_PROBES; i++ )); do
    hey_run "$name-$i" "${RUN_MS}ms" "$conc" "$("$url_of" "$base" "$i")" -o csv
    files+=("$WORK/$name-$i.hey")
    p="$(percentile 99 "$WORK/$name-$i.hey")"
    if [[ "$p" != n/a ]] && awk -v a="$p" -v b="$worst" 'BEGIN { exit !(a > b) }'; then worst="$p"; fi
  done
  IFS="$FS" read -r rps errors detail < <(tally "$conc" "$RUN_MS" 200 "${files[@]}")
  p50="$(percentile 50 "${files[@]}")"
  p99="$(percentile 99 "${files[@]}")"
  [[ "$p99" == n/a ]] && worst=n/a
  R[$name.rps]="$rps"; R[$name.p50]="$p50"; R[$name.p99]="$p99"; R[$name.errors]="$errors"
  ROWS+=("$op$FS$path$FS$conc$FS$rps$FS$p50$FS$p99$FS$worst$FS$errors$FS$detail")
  say "$(printf '  %-9s %-14s c=%-2s %6s req/s  p50 %6s ms  p99 %6s ms (worst probe %6s)  errors %s%s' \
    "$op" "$path" "$conc" "$rps" "$p50" "$p99" "$worst" "$errors" "${detail:+ ($detail)}")"
}

say "Load: ${WARMUP} s warm-up, then ${CELLS} cells of ${DURATION} s (${RUN_PROBES} probes x ${RUN_MS} ms): about ${LOAD_SECONDS} s in all."
LOADAVG_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"

# Warm-up: both endpoints through the gateway (which warms the gateway and change-service) at concurrency 8, in
# alternating slices of at most 10 s on another probe each; the slices' rates show the ramp (still climbing at the
# end: raise BENCH_WARMUP).
ramp_conflicts=""
ramp_next_slot=""
if (( WARMUP > 0 )); then
  say "Warming up for ${WARMUP} s (conflicts and next-slot through the gateway, concurrency 8) ..."
  left=$WARMUP
  slice_no=0
  max_slice=$(( (WARMUP + 1) / 2 < 10 ? (WARMUP + 1) / 2 : 10 )) # both endpoints, however short the warm-up
  while (( left > 0 )); do
    slice=$(( left > max_slice ? max_slice : left ))
    probe=$(( slice_no / 2 % PROBES ))
    if (( slice_no % 2 == 0 )); then
      hey_run warm "${slice}s" 8 "$(conflicts_url "$GATEWAY" "$probe")"
      ramp_conflicts="$ramp_conflicts${ramp_conflicts:+ -> }$(rps_of warm)"
    else
      hey_run warm "${slice}s" 8 "$(next_slot_url "$GATEWAY" "$probe")"
      ramp_next_slot="$ramp_next_slot${ramp_next_slot:+ -> }$(rps_of warm)"
    fi
    left=$(( left - slice ))
    slice_no=$(( slice_no + 1 ))
  done
  say "  req/s during warm-up: conflicts ${ramp_conflicts:-none}; next-slot ${ramp_next_slot:-none}"
fi

say "Measuring, ${DURATION} s per cell ..."
for op in conflicts next-slot; do
  url_of=conflicts_url; [[ "$op" == next-slot ]] && url_of=next_slot_url
  for c in 1 8; do cell "$op-direct-$c" "$op" "direct :$CHANGE_PORT" "$c" "$url_of" "$DIRECT"; done
  for c in 1 8; do cell "$op-gw-$c" "$op" "gateway :$GATEWAY_PORT" "$c" "$url_of" "$GATEWAY"; done
done

# ---------------------------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------------------------
stack_java() { # the JVM change-service runs on (its pid file), else the java this shell would use
  local data="${ITSM_DATA_DIR:-$ROOT/.itsm-data}" pid exe
  [[ "$data" == /* ]] || data="$PWD/$data"
  pid="$(tr -dc '0-9' <"$data/run/change-service.pid" 2>/dev/null || true)"
  if [[ -n "$pid" ]] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q change-service \
      && exe="$(readlink -f "/proc/$pid/exe" 2>/dev/null)" && [[ -x "$exe" ]]; then
    echo "$("$exe" -version 2>&1 | head -n 1) (change-service's JVM)"
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
installed_note=""
(( ${#INSTALLED[@]} > 0 )) && installed_note=" (installed by this run: apt-get install -y ${INSTALLED[*]})"
ramp=""
[[ -n "$ramp_conflicts$ramp_next_slot" ]] && ramp=" (req/s during warm-up at concurrency 8: conflicts $ramp_conflicts; next-slot $ramp_next_slot)"

echo "## Change scheduling benchmark$([[ "$QUICK" == true ]] && echo " (--quick smoke run: figures not meaningful)")"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(awk '/MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo) RAM; load average before the run: $LOADAVG_BEFORE"
echo "- java: $(stack_java)"
echo "- load tool: hey $(dpkg-query -W -f='${Version}' hey 2>/dev/null || echo '(version unknown)')$installed_note on 127.0.0.1, on the same cores as the stack"
echo "- stack: $STACK_DESC; commit $commit; auth: $AUTH_DESC"
echo "- data set (seeded in PostgreSQL, bypassing the domain, the CMDB and Kafka, in ${SEED_SECONDS} s: calendar ${calendar_seconds} s, graph ${graph_seconds} s, each with its ANALYZE; deleting the previous run's rows ${delete_seconds} s): ${seeded_changes} NORMAL changes in SCHEDULED with windows of 1-4 h over the 90 days from ${BASE}, ${seeded_links} change-CI links over ${seeded_cis} distinct CIs (drawn from the ${CIS} CIs of the graph); ${occupying} SCHEDULED/IMPLEMENT changes and ${blackouts} blackout windows in the database in all"
echo "- CMDB graph (change-service's read model, \`ci_read_model\` and \`ci_dependency\`): ${graph_cis} CIs and ${graph_edges} relationships between random pairs of them (${model_cis} CIs and ${model_edges} relationships in the read model in all); conflicts and next-slot also count changes on the CIs within \`itsm.change.conflicts.related-depth\` (default 1) hops of the probe's CIs either way: $(stats "${PROBE_SCOPE[@]}") CIs in scope per probe"
echo "- probes: ${PROBES} NORMAL changes created through \`POST /api/changes\`, ${PROBE_HOURS} h windows spread over the seeded period, ${PROBE_CIS} CIs each: ${PROBE_SHARED_CIS} taken from seeded changes that overlap the window, ${PROBE_RELATED_CIS} a neighbour in the graph of a CI of another overlapping seeded change; conflicts per probe: $(stats "${PROBE_CONFLICTS[@]}") (${with_conflicts} of ${PROBES} probes have some), of which on a shared CI: $(stats "${PROBE_SHARED[@]}") (total $(sum "${PROBE_SHARED[@]}")), on a related CI: $(stats "${PROBE_RELATED[@]}") (total $(sum "${PROBE_RELATED[@]}"), ${with_related} of ${PROBES} probes have some); next slot after the planned start: $(stats "${PROBE_SHIFT_MIN[@]}") minutes later"
echo "- conflicts = \`GET /api/changes/{id}/conflicts\` (200); next-slot = \`GET /api/changes/{id}/next-slot?after={plannedStart}\` (200)"
echo "- each cell: ${DURATION} s, one hey run of ${RUN_MS} ms on each of ${RUN_PROBES} probes, merged: req/s = all responses / the runs' time, p50 and p99 over all responses; worst probe p99 = the highest p99 of a single run (with fewer than 100 responses in a run, its slowest); after ${WARMUP} s of warm-up${ramp}; the whole run took ${SECONDS} s"
echo
echo "| operation | path | concurrency | req/s | p50 ms | p99 ms | worst probe p99 ms | errors |"
echo "|---|---|---|--:|--:|--:|--:|---|"
flagged=0
for row in "${ROWS[@]}"; do
  IFS="$FS" read -r op path conc rps p50 p99 worst errors detail <<<"$row"
  if [[ "$errors" == 0 ]]; then
    err="0"
  else
    flagged=$(( flagged + 1 ))
    err="**$errors** ⚠ ($detail)"
  fi
  echo "| $op | $path | $conc | $rps | $p50 | $p99 | $worst | $err |"
done
echo
if (( flagged > 0 )); then
  echo "⚠ $flagged cell(s) with errors (another status than expected, or runs with transport errors or stalls): their req/s and latencies include failed requests."
  for row in "${ROWS[@]}"; do
    IFS="$FS" read -r op path conc rps p50 p99 worst errors detail <<<"$row"
    if [[ "$errors" != 0 ]]; then echo "  - $op, $path, concurrency $conc: ${detail}"; fi
  done
  echo
fi

# verdict OP PATH-KEY PATH-LABEL TARGET-MS : the worst p99 of concurrency 1 and 8; errors never pass
verdict() {
  local op="$1" key="$2" label="$3" target="$4" c worst="" at="" errors=0 p99 verdict="FALLS SHORT" note=""
  for c in 1 8; do
    p99="${R[$op-$key-$c.p99]}"
    [[ "${R[$op-$key-$c.errors]}" == 0 ]] || errors=1
    if [[ "$p99" == n/a ]]; then worst=n/a; at=""; break; fi
    if [[ -z "$worst" ]] || awk -v a="$p99" -v b="$worst" 'BEGIN { exit !(a > b) }'; then worst="$p99"; at="$c"; fi
  done
  if [[ "$worst" != n/a && "$errors" == 0 ]] && awk -v p="$worst" -v t="$target" 'BEGIN { exit !(p <= t) }'; then
    verdict=PASS
  fi
  [[ "$errors" == 0 ]] || note=" (a cell had errors)"
  echo "- $op p99 <= ${target} ms, $label: worst ${worst} ms${at:+ at concurrency $at}$note -> **$verdict**"
}
echo "Targets (p99 over all probes' responses, the worse of concurrency 1 and 8):"
verdict conflicts direct "directly on change-service" "$TARGET_CONFLICTS_P99_MS"
verdict conflicts gw "through the gateway" "$TARGET_CONFLICTS_P99_MS"
verdict next-slot direct "directly on change-service" "$TARGET_NEXT_SLOT_P99_MS"
verdict next-slot gw "through the gateway" "$TARGET_NEXT_SLOT_P99_MS"
