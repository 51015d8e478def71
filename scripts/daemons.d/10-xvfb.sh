# A virtual X screen for the tests that need a real window (xcb); the rest run offscreen.
start_xvfb() {
  local n=91
  while [ -e "/tmp/.X11-unix/X$n" ]; do
    # A socket without a server is stale (a killed earlier run): clear it.
    if ! DISPLAY=":$n" xdpyinfo >/dev/null 2>&1; then rm -f "/tmp/.X11-unix/X$n" "/tmp/.X$n-lock"; break; fi
    n=$((n + 1))
  done
  export TEST_DISPLAY=":$n"
  daemon_start xvfb "DISPLAY=:$n xdpyinfo" Xvfb ":$n" -screen 0 1920x1080x24 -nolisten tcp
}
