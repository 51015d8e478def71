# shellcheck shell=bash
# A virtual X screen for the tests that need a real window (xcb); the rest run offscreen.
# /tmp/.X11-unix is shared with other runs (only /run is private), so pick a free display
# number: one whose lock names a live process, or whose socket answers, is taken; otherwise
# its lock and socket are stale and are cleared.
start_xvfb() {
  local n=91 pid
  while :; do
    pid=""
    [ -f "/tmp/.X$n-lock" ] && pid=$(tr -dc 0-9 <"/tmp/.X$n-lock")
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then n=$((n + 1)); continue; fi
    if [ -S "/tmp/.X11-unix/X$n" ] && DISPLAY=":$n" xdpyinfo >/dev/null 2>&1; then n=$((n + 1)); continue; fi
    break
  done
  export TEST_DISPLAY=":$n"
  daemon_start --clear "/tmp/.X$n-lock" --clear "/tmp/.X11-unix/X$n" \
    xvfb "DISPLAY=:$n xdpyinfo" Xvfb ":$n" -screen 0 1920x1080x24 -nolisten tcp || return 1
  echo "daemons: xvfb is display :$n"
}
