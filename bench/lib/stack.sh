# Shared by the bench scripts: starting or reusing the local stack, and stopping only what a script started.
# A script sets ROOT, WORK, STARTED=false, STACK_PID="" and BUILD, READY_TIMEOUT, and defines die(); then it calls
# use_or_start_stack URL (which sets STACK_DESC) and, in its EXIT trap, stop_started_stack.

say() { echo "$*" >&2; }

# Seconds of a duration: "10", "10s" or "2m".
seconds_of() {
  if [[ "$1" =~ ^([0-9]+)s?$ ]]; then echo "${BASH_REMATCH[1]}"
  elif [[ "$1" =~ ^([0-9]+)m$ ]]; then echo $(( BASH_REMATCH[1] * 60 ))
  else return 1; fi
}

ready() { curl -fsS -m 5 -o /dev/null "$1/q/health/ready" 2>/dev/null; }

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
# ./itsm start (stopped at exit by stop_started_stack). Sets STACK_DESC for the report.
use_or_start_stack() {
  local url=$1
  STACK_DESC="already running"
  if ready "$url"; then
    say "Using the stack that runs on $url."
    [[ "$BUILD" == true ]] && say "(--build ignored: a stack is running)"
  elif "$ROOT/itsm" status >/dev/null 2>&1; then
    say "A stack is starting on this data directory: waiting up to ${READY_TIMEOUT} s for $url/q/health/ready ..."
    wait_ready "$url" "$READY_TIMEOUT" || die "the running stack did not become ready in ${READY_TIMEOUT} s (./itsm status)"
  else
    if [[ "$BUILD" == true ]]; then
      say "Building the suite (./mvnw -B -q -DskipTests package) ..."
      (cd "$ROOT" && ./mvnw -B -q -DskipTests package) || die "the build failed"
    fi
    local missing=() start_time
    ls "$ROOT"/local-stack/target/local-stack-*.jar >/dev/null 2>&1 && [[ -d "$ROOT/local-stack/target/lib" ]] \
      || missing+=(local-stack)
    for module in incident-service change-service cmdb-service gateway; do
      [[ -f "$ROOT/$module/target/quarkus-app/quarkus-run.jar" ]] || missing+=("$module")
    done
    if (( ${#missing[@]} > 0 )); then
      die "no stack answers on $url and the suite is not built (${missing[*]}): run ./mvnw -B -q -DskipTests package first, or pass --build"
    fi
    say "No stack answers on $url: starting one (./itsm start, output in ${ITSM_DATA_DIR:-.itsm-data}/logs) ..."
    "$ROOT/itsm" start >"$WORK/stack.log" 2>&1 &
    STACK_PID=$!
    STARTED=true
    STACK_DESC="started by this script (./itsm start), stopped after"
    start_time=$SECONDS
    wait_ready "$url" "$READY_TIMEOUT" || die "the stack did not become ready within ${READY_TIMEOUT} s (BENCH_READY_TIMEOUT)"
    say "Ready after $(( SECONDS - start_time )) s."
  fi
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
