# Shared by the bench scripts: their options, installing their tools, starting or reusing the local stack, and
# stopping only what a script started. A script sets ROOT and READY_TIMEOUT and defines die(); calls
# parse_bench_options; sets WORK, STARTED=false and STACK_PID=""; calls use_or_start_stack URL (which sets
# STACK_DESC) and, in its EXIT trap, stop_started_stack.

say() { echo "$*" >&2; }

# The running script's header comment (from its second line to the first line that is not a comment): its --help.
script_help() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; }

# A process and its direct children (PostgreSQL: the postmaster and its backends).
process_tree() { echo "$1"; pgrep -P "$1" || true; }

# Seconds of a duration: "10", "10s" or "2m".
seconds_of() {
  if [[ "$1" =~ ^([0-9]+)s?$ ]]; then echo "${BASH_REMATCH[1]}"
  elif [[ "$1" =~ ^([0-9]+)m$ ]]; then echo $(( BASH_REMATCH[1] * 60 ))
  else return 1; fi
}

# Packages this run installed, for the report.
INSTALLED=()
apt_install() { # PACKAGE COMMAND: installs PACKAGE with apt-get if COMMAND is missing
  command -v "$2" >/dev/null 2>&1 && return 0
  say "$2 is not installed: installing it with apt-get install -y $1"
  local sudo=()
  if [[ "$(id -u)" -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || die "cannot install $1 without root: run 'apt-get install -y $1' as root"
    sudo=(sudo)
  fi
  "${sudo[@]}" apt-get install -y -qq "$1" >/dev/null 2>&1 \
    || { "${sudo[@]}" apt-get update -qq >/dev/null && "${sudo[@]}" apt-get install -y -qq "$1" >/dev/null; } \
    || die "could not install $1 (apt-get install -y $1)"
  say "$2 installed ($(command -v "$2"))"
  INSTALLED+=("$1")
}

# The options and durations every bench script takes: --quick, --build, --help (the script's header comment);
# BENCH_DURATION (default $1), BENCH_WARMUP (default $2 seconds), BENCH_READY_TIMEOUT. Sets BUILD, QUICK, DURATION
# and WARMUP (--quick: 2 s per cell, 5 s warm-up).
parse_bench_options() {
  local default_duration=$1 default_warmup=$2 arg
  shift 2
  BUILD=false
  QUICK=false
  for arg in "$@"; do
    case "$arg" in
      --quick) QUICK=true ;;
      --build) BUILD=true ;;
      -h | --help) script_help; exit 0 ;;
      *) echo "unknown option: $arg (see --help)" >&2; exit 2 ;;
    esac
  done
  if [[ "$QUICK" == true ]]; then
    DURATION=2
    WARMUP=5
  else
    DURATION="$(seconds_of "${BENCH_DURATION:-$default_duration}")" \
      || die "BENCH_DURATION must be like 10, 10s or 1m, not '${BENCH_DURATION}'"
    WARMUP="${BENCH_WARMUP:-$default_warmup}"
    [[ "$WARMUP" =~ ^[0-9]+$ ]] || die "BENCH_WARMUP must be a number of seconds, not '$WARMUP'"
  fi
  [[ "$READY_TIMEOUT" =~ ^[0-9]+$ ]] || die "BENCH_READY_TIMEOUT must be a number of seconds, not '$READY_TIMEOUT'"
  (( DURATION >= 1 )) || die "BENCH_DURATION must be at least 1 s"
}

ready() { curl -fsS -m 5 -o /dev/null "$1/q/health" 2>/dev/null; } # the gateway and every service behind it

wait_ready() { # URL, seconds; fails if the launcher this script started died
  local deadline=$(( SECONDS + $2 ))
  until ready "$1"; do
    if [[ -n "$STACK_PID" ]] && ! kill -0 "$STACK_PID" 2>/dev/null; then
      say "The stack stopped while starting. Its output:"; tail -n 30 "$WORK/stack.log" >&2
      return 1
    fi
    (( SECONDS < deadline )) || return 1
    sleep 1
  done
}

# The stack: the one answering on URL, or one starting on this data directory, or one started here with
# ./itsm start (stopped at exit by stop_started_stack). Sets STACK_DESC for the report. With "fresh" as the second
# argument, a stack started here starts on an empty data directory (ITSM_DATA_DIR: the caller's own).
use_or_start_stack() {
  local url=$1
  STACK_DESC="already running"
  if ready "$url"; then
    say "Using the stack that runs on $url (its gateway rate limit applies: 429s are counted as errors)."
    if [[ "$BUILD" == true ]]; then say "(--build ignored: a stack is running)"; fi
  elif "$ROOT/itsm" status >/dev/null 2>&1; then
    say "A stack is starting on this data directory: waiting up to ${READY_TIMEOUT} s for $url/q/health ..."
    wait_ready "$url" "$READY_TIMEOUT" || die "the running stack did not become ready in ${READY_TIMEOUT} s (./itsm status)"
  else
    if [[ "$BUILD" == true ]]; then
      say "Building the suite (./mvnw -B -q -DskipTests package) ..."
      (cd "$ROOT" && ./mvnw -B -q -DskipTests package) || die "the build failed"
    fi
    local missing=()
    ls "$ROOT"/local-stack/target/local-stack-*.jar >/dev/null 2>&1 && [[ -d "$ROOT/local-stack/target/lib" ]] \
      || missing+=(local-stack)
    for module in incident-service change-service cmdb-service gateway; do
      [[ -f "$ROOT/$module/target/quarkus-app/quarkus-run.jar" ]] || missing+=("$module")
    done
    if (( ${#missing[@]} > 0 )); then
      die "no stack answers on $url and the suite is not built (${missing[*]}): run ./mvnw -B -q -DskipTests package first, or pass --build"
    fi
    say "No stack answers on $url: starting one (./itsm start, output in ${ITSM_DATA_DIR:-.itsm-data}/logs) ..."
    start_stack_here "$url"
    # On Java >= 25 the first start of a build is a training run for the services' AOT caches (./itsm help): slower
    # than every start after it, and written when it stops. Stop it, so that the figures are a normal start's.
    if grep -q 'training run' "$WORK/stack.log"; then
      say "Its services ran as AOT cache training runs (the first start of this build on this JDK): stopping it," \
        "which writes the caches, and starting again ..."
      stop_started_stack
      if [[ "${2:-}" == fresh ]]; then
        find "${ITSM_DATA_DIR:?}" -mindepth 1 -delete
      fi
      start_stack_here "$url"
    fi
  fi
}

# ./itsm start in the background (output in WORK/stack.log), waits for URL to be ready.
start_stack_here() {
  local start_time=$SECONDS
  # The load comes from one token: lift the gateway's per-client rate limit far above what is measured (the
  # limiter itself still runs, so its cost is in the figures). A running stack keeps its own limit.
  ITSM_GATEWAY_RATE_LIMIT_CAPACITY="${ITSM_GATEWAY_RATE_LIMIT_CAPACITY:-1000000}" \
  ITSM_GATEWAY_RATE_LIMIT_REFILL_PER_SECOND="${ITSM_GATEWAY_RATE_LIMIT_REFILL_PER_SECOND:-1000000}" \
  "$ROOT/itsm" start >"$WORK/stack.log" 2>&1 &
  STACK_PID=$!
  STARTED=true
  STACK_DESC="started by this script (./itsm start), stopped after"
  wait_ready "$1" "$READY_TIMEOUT" || die "the stack did not become ready within ${READY_TIMEOUT} s (BENCH_READY_TIMEOUT)"
  say "Ready after $(( SECONDS - start_time )) s."
}

# Stops what the script started, and only that: ./itsm stop (the launcher stops its children); if the launcher had
# not yet written its pid file, SIGTERM to the launcher's own pid, which the script started.
stop_started_stack() {
  local waited=0
  if [[ "$STARTED" == true ]]; then
    say "Stopping the stack this script started (./itsm stop) ..."
    "$ROOT/itsm" stop >"$WORK/stop.log" 2>&1 || { say "./itsm stop said:"; cat "$WORK/stop.log" >&2; }
    if [[ -n "$STACK_PID" ]] && kill -0 "$STACK_PID" 2>/dev/null; then
      kill -TERM "$STACK_PID" 2>/dev/null || true
      while kill -0 "$STACK_PID" 2>/dev/null && (( waited < 300 )); do sleep 0.2; waited=$(( waited + 1 )); done
    fi
    wait "$STACK_PID" 2>/dev/null || true
  fi
}

# CPU time by process, to show where a run's time goes. cpu_ticks prints "name ticks" (user + system clock ticks) for
# every process of the stack with a pid file under DATA-DIR/run (PostgreSQL with all its backends), then
# "machine ticks": the busy time of all CPUs (/proc/stat: user, nice, system, irq, softirq). Take one before and one
# after a run; cpu_per_request turns the two into milliseconds of CPU per request, with "other" = the machine's busy
# time outside the stack (the load tool, the kernel, anything else running).
stack_data_dir() { local d="${ITSM_DATA_DIR:-$ROOT/.itsm-data}"; [[ "$d" == /* ]] || d="$PWD/$d"; echo "$d"; }

cpu_ticks() { # DATA-DIR
  local f name pid
  for f in "$1"/run/*.pid; do
    [[ -f "$f" ]] || continue
    name="$(basename "$f" .pid)"
    pid="$(tr -dc '0-9' <"$f")"
    [[ -n "$pid" && -r "/proc/$pid/stat" ]] || continue
    echo "$name $(process_ticks "$pid" "$([[ "$name" == postgres ]] && echo tree)")"
  done
  awk '/^cpu / { print "machine", $2 + $3 + $4 + $7 + $8 }' /proc/stat
}

# process_ticks PID [tree]: user + system clock ticks PID has spent so far (with "tree", PID and its children); 0 for
# a process that is gone
process_ticks() {
  local p sum=0 line fields
  for p in $(if [[ "${2:-}" == tree ]]; then process_tree "$1"; else echo "$1"; fi); do
    line="$(cat "/proc/$p/stat" 2>/dev/null)" || continue
    read -r -a fields <<<"${line##*) }"   # after the command name, which may hold spaces: utime and stime are 12th and 13th
    sum=$(( sum + fields[11] + fields[12] ))
  done
  echo "$sum"
}

cpu_per_request() { # BEFORE-FILE AFTER-FILE REQUESTS -> "name ms-per-request" lines, largest first, then other and total
  awk -v n="$3" -v hz="$(getconf CLK_TCK)" '
    NR == FNR { before[$1] = $2; next }
    ($1 in before) { d = $2 - before[$1]; if ($1 == "machine") total = d; else { used[$1] = d; stack += d } }
    END {
      if (n <= 0) exit
      for (k in used) printf "%s %.2f\n", k, used[k] * 1000 / hz / n | "sort -k2,2 -rn"
      close("sort -k2,2 -rn")
      printf "other %.2f\n", (total - stack > 0 ? total - stack : 0) * 1000 / hz / n
      printf "total %.2f\n", total * 1000 / hz / n
    }' "$1" "$2"
}
