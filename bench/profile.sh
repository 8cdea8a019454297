#!/usr/bin/env bash
# CPU profile of one process of a running local stack, with async-profiler (all threads, Java and native frames: the
# JIT compilers, GC and the kernel included, unlike JFR's Java-only sampling). Attaches to the process, samples for
# SECONDS while you drive load from another shell (a bench script, hey ...), detaches, writes the stacks in collapsed
# form (one "frame;frame;... count" line per stack: the input of flame-graph tools) and prints a summary: the share
# of each thread group, the hottest frames by self time, and this suite's own frames (io/itsm) by inclusive time.
#
# usage: bench/profile.sh PROCESS [SECONDS] [EVENT]
#   PROCESS   incident-service, change-service, cmdb-service, gateway, kafka or mongodb (a pid file of the stack)
#   SECONDS   how long to sample: 20 (default), at most 600
#   EVENT     cpu (default: CPU time, perf events), itimer (where perf events are not allowed), wall (also waiting
#             threads), alloc (allocations)
#
# environment:
#   ITSM_DATA_DIR          the stack's data directory (as for ./itsm): where the pid files are
#   BENCH_PROFILE_DIR      where the collapsed stacks go: $TMPDIR (default)
#   BENCH_PROFILER_VERSION async-profiler's version on Maven Central: 4.1 (default)
# async-profiler comes from Maven Central (tools.profiler:async-profiler, classifier linux-x64) through ./mvnw, once.
# See bench/README.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/stack.sh
source "$ROOT/bench/lib/stack.sh"
die() { echo "profile.sh: $*" >&2; exit 1; }
[[ $# -ge 1 && "$1" != -h && "$1" != --help ]] \
  || { script_help; exit 0; }

PROCESS="$1"
SECONDS_TO_SAMPLE="${2:-20}"
EVENT="${3:-cpu}"
VERSION="${BENCH_PROFILER_VERSION:-4.1}"
[[ "$SECONDS_TO_SAMPLE" =~ ^[0-9]+$ ]] && (( SECONDS_TO_SAMPLE >= 1 && SECONDS_TO_SAMPLE <= 600 )) \
  || die "SECONDS must be 1 to 600, not '$SECONDS_TO_SAMPLE'"
[[ "$EVENT" =~ ^(cpu|itimer|wall|alloc)$ ]] || die "EVENT must be cpu, itimer, wall or alloc, not '$EVENT'"

DATA="$(stack_data_dir)"
PID="$(tr -dc '0-9' <"$DATA/run/$PROCESS.pid" 2>/dev/null || true)"
[[ -n "$PID" ]] && kill -0 "$PID" 2>/dev/null \
  || die "no running $PROCESS: no live pid in $DATA/run/$PROCESS.pid (is the stack running? ITSM_DATA_DIR?)"
# The JDK of the process itself, for its attach API.
JAVA="$(readlink -f "/proc/$PID/exe")"
[[ "$JAVA" == */java ]] || die "$PROCESS (pid $PID) is not a JVM: $JAVA"

# async-profiler's native library: fetched from Maven Central once, unpacked under ~/.cache/itsm-bench.
LIB_DIR="${HOME}/.cache/itsm-bench/async-profiler-$VERSION"
LIB="$LIB_DIR/linux-x64/libasyncProfiler.so"
if [[ ! -f "$LIB" ]]; then
  [[ "$(uname -m)" == x86_64 ]] || die "only linux-x64 is set up here (this machine: $(uname -m))"
  echo "Fetching async-profiler $VERSION from Maven Central ..." >&2
  (cd "$ROOT" && ./mvnw -B -q dependency:copy -Dartifact="tools.profiler:async-profiler:$VERSION:jar:linux-x64" \
      -DoutputDirectory="$LIB_DIR" -Dmdep.stripVersion=true) || die "could not fetch tools.profiler:async-profiler:$VERSION"
  (cd "$LIB_DIR" && unzip -o -q async-profiler-linux-x64.jar 'linux-x64/*') || die "the async-profiler jar has no linux-x64 library"
  [[ -f "$LIB" ]] || die "no $LIB in the async-profiler jar"
fi

OUT_DIR="${BENCH_PROFILE_DIR:-${TMPDIR:-/tmp}}"
mkdir -p "$OUT_DIR"
OUT="$OUT_DIR/$PROCESS-$EVENT-$(date -u +%Y%m%dT%H%M%SZ).collapsed"
attach() { "$JAVA" "$ROOT/bench/lib/Attach.java" "$PID" "$LIB" "$1"; }

interval=$([[ "$EVENT" == alloc ]] && echo "" || echo ",interval=1ms")
attach "start,event=$EVENT$interval,threads" || die "could not attach to $PROCESS (pid $PID)"
stopped=false
stop_profiler() { [[ "$stopped" == true ]] || { stopped=true; attach "stop,file=$OUT,collapsed" || true; }; }
trap stop_profiler EXIT
echo "Sampling $PROCESS (pid $PID, event $EVENT) for $SECONDS_TO_SAMPLE s: drive the load now ..." >&2
sleep "$SECONDS_TO_SAMPLE"
stop_profiler
[[ -s "$OUT" ]] || die "the profiler wrote nothing to $OUT (see $PROCESS's log)"

echo "## Profile of $PROCESS ($EVENT, ${SECONDS_TO_SAMPLE} s, $(date -u '+%Y-%m-%d %H:%M UTC'))"
echo
echo "Stacks: $OUT"
python3 - "$OUT" <<'PY'
import collections, re, sys

total = 0
groups, self_time, ours = collections.Counter(), collections.Counter(), collections.Counter()
for line in open(sys.argv[1]):
    stack, _, n = line.rstrip("\n").rpartition(" ")
    n = int(n)
    total += n
    frames = stack.split(";")
    # the thread group: a native thread's entry (JIT, GC) or the Java thread's pool, without its number
    first = next((f for f in frames if f.startswith("[") and "tid=" in f), None)
    groups[re.sub(r"[-#\s]*\d+$", "", first[1:].split(" tid=")[0]) if first else frames[0]] += n
    self_time[frames[-1]] += n
    for f in set(frames[1:] if first else frames):
        if f.startswith("io/itsm/"):
            ours[f] += n

def table(title, counter, rows):
    print(f"\n{title}\n\n| share | frame |\n|--:|---|")
    for frame, n in counter.most_common(rows):
        print(f"| {n * 100 / total:.1f} % | `{frame[:140]}` |")

print(f"\n{total} samples")
table("By thread group", groups, 12)
table("Hottest frames (self time)", self_time, 25)
table("This suite's frames (inclusive time)", ours, 30)
PY
