#!/usr/bin/env bash
# Starts and stops the servers the tests need, each with a pid file and a log under $RUN_DIR.
# Source it, then: daemons_start; ...; daemons_stop (test-phase.sh traps the stop).
#
# Adding a server is adding one file scripts/daemons.d/NN-name.sh that defines start_name():
#   start_name() {
#     daemon_start --clear /run/name.sock name "[ -S /run/name.sock ]" named --foreground
#   }
# They start in file order and stop in reverse order.

RUN_DIR=${RUN_DIR:-/run/virtu-test}
DAEMONS=()

# daemon_start [--clear PATH]... [--timeout SECONDS] NAME READY_CHECK COMMAND...
# Starts COMMAND (which must stay in the foreground) in its own session, logging to
# $RUN_DIR/NAME.log, with its pid in $RUN_DIR/NAME.pid, and waits until the shell command
# READY_CHECK succeeds (default 20 s). Before starting, a left-over pid file of the same name
# is cleared (its process stopped if it is still that daemon) and every --clear PATH (stale
# sockets, lock files) is removed. Returns non-zero, with the log's tail, if it never
# became ready.
daemon_start() {
  local timeout=20 clear=()
  while [ $# -gt 0 ]; do
    case $1 in
      --clear) clear+=("$2"); shift 2 ;;
      --timeout) timeout=$2; shift 2 ;;
      *) break ;;
    esac
  done
  local name=$1 ready=$2
  shift 2
  local pidfile="$RUN_DIR/$name.pid" log="$RUN_DIR/$name.log"
  mkdir -p "$RUN_DIR"
  if [ -f "$pidfile" ]; then
    _daemon_kill "$pidfile" "$1"
  fi
  if [ ${#clear[@]} -gt 0 ]; then rm -rf "${clear[@]}"; fi

  setsid "$@" >"$log" 2>&1 </dev/null &
  local pid=$!
  echo "$pid" >"$pidfile"
  DAEMONS+=("$name")
  local start=$SECONDS
  while [ $((SECONDS - start)) -lt "$timeout" ]; do
    if (eval "$ready") >/dev/null 2>&1; then
      echo "daemons: $name ready (pid $pid)"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "daemons: $name not ready after ${timeout}s; the end of its log:" >&2
  else
    echo "daemons: $name exited at start; the end of its log:" >&2
  fi
  tail -n 20 "$log" >&2
  return 1
}

# _daemon_kill PIDFILE [PROGRAM]: stop the process in PIDFILE (TERM, then KILL after 5 s)
# and remove the file. With PROGRAM, only if that pid still runs PROGRAM: a stale pid file's
# number may belong to an unrelated process by now.
_daemon_kill() {
  local pidfile=$1 program=${2:-} pid i
  pid=$(cat "$pidfile" 2>/dev/null) || true
  rm -f "$pidfile"
  case $pid in '' | *[!0-9]*) return 0 ;; esac
  kill -0 "$pid" 2>/dev/null || return 0
  if [ -n "$program" ] && ! tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$(basename "$program")"; then
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq 50); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  echo "daemons: pid $pid ignored TERM for 5 s; killing it" >&2
  kill -KILL "$pid" 2>/dev/null || true
}

# Stops every daemon started by daemon_start, newest first. Safe to call twice.
daemons_stop() {
  local i name
  for ((i = ${#DAEMONS[@]} - 1; i >= 0; i--)); do
    name=${DAEMONS[$i]}
    [ -f "$RUN_DIR/$name.pid" ] || continue
    _daemon_kill "$RUN_DIR/$name.pid"
    echo "daemons: $name stopped"
  done
  DAEMONS=()
}

# Starts every server in scripts/daemons.d, in file order; stops at the first that fails.
daemons_start() {
  local f fn
  for f in "$(dirname "${BASH_SOURCE[0]}")"/daemons.d/*.sh; do
    # shellcheck source=/dev/null
    . "$f"
    fn=$(basename "$f" .sh)
    fn=start_${fn#*-}
    "$fn" || { echo "daemons: $fn failed" >&2; return 1; }
  done
}
