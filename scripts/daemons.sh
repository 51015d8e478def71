#!/usr/bin/env bash
# Starts and stops the servers the tests need, each with a pid file under $RUN_DIR.
# Source it, then: daemons_start; ...; daemons_stop (test-phase.sh traps the stop).

RUN_DIR=${RUN_DIR:-/run/virtu-test}
DAEMONS=()

# daemon_start NAME READY_CHECK COMMAND... : start COMMAND in the background, wait (≤20 s)
# until READY_CHECK succeeds. Stale pid files of the same name are cleared first.
daemon_start() {
  local name=$1 ready=$2
  shift 2
  local pidfile="$RUN_DIR/$name.pid" log="$RUN_DIR/$name.log"
  mkdir -p "$RUN_DIR"
  if [ -f "$pidfile" ]; then
    kill "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile"
  fi
  setsid "$@" >"$log" 2>&1 &
  echo $! >"$pidfile"
  DAEMONS+=("$name")
  local i
  for i in $(seq 200); do
    if eval "$ready" >/dev/null 2>&1; then
      echo "daemons: $name ready (pid $(cat "$pidfile"))"
      return 0
    fi
    if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then break; fi
    sleep 0.1
  done
  echo "daemons: $name did not start; its log:" >&2
  tail -n 20 "$log" >&2
  return 1
}

daemons_stop() {
  local i name pidfile
  for ((i = ${#DAEMONS[@]} - 1; i >= 0; i--)); do
    name=${DAEMONS[$i]}
    pidfile="$RUN_DIR/$name.pid"
    [ -f "$pidfile" ] || continue
    kill "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile"
    echo "daemons: $name stopped"
  done
  DAEMONS=()
}

# Each scripts/daemons.d/NN-name.sh defines start_name(), which calls daemon_start; they
# start in file order and stop in reverse. Adding a server is adding one such file.
daemons_start() {
  local f fn
  for f in "$(dirname "${BASH_SOURCE[0]}")"/daemons.d/*.sh; do
    # shellcheck source=/dev/null
    . "$f"
    fn=$(basename "$f" .sh)
    fn=start_${fn#*-}
    "$fn" || return 1
  done
}
