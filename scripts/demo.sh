#!/usr/bin/env bash
# The README's first command: installs what the kiosk needs and starts it in demo mode
# (built-in defaults, demo PIN 1234). On a desktop it opens a window; with no display it
# runs full-screen on a virtual screen (Xvfb) and says how to look at it.
# Extra arguments go to the kiosk (e.g. --lang se).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh

# QtWebEngine (the web screens) needs Chromium's sandbox off when run as root, or those
# screens die silently. A booth runs the kiosk as an unprivileged user with the sandbox on.
if [ "$(id -u)" -eq 0 ]; then export QTWEBENGINE_DISABLE_SANDBOX=1; fi

if [ -n "${DISPLAY:-}" ] && DISPLAY=$DISPLAY xdpyinfo >/dev/null 2>&1; then
  echo "demo: starting the kiosk in a window on display $DISPLAY"
  exec env QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-xcb}" .venv/bin/python -m kiosk --demo --windowed "$@"
fi
if [ -z "${DISPLAY:-}" ] && [ -n "${WAYLAND_DISPLAY:-}" ]; then
  echo "demo: starting the kiosk in a window on Wayland display $WAYLAND_DISPLAY"
  exec .venv/bin/python -m kiosk --demo --windowed "$@"
fi
if [ -n "${DISPLAY:-}" ]; then
  echo "demo: DISPLAY is $DISPLAY, but no X server answers there; using a virtual screen instead."
fi

# No display: a virtual 1920x1080 screen on the first free display number from :99.
n=99
while [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ]; do n=$((n + 1)); done
XVFB_LOG=$(mktemp /tmp/virtu-demo-xvfb.XXXXXX.log)
Xvfb ":$n" -screen 0 1920x1080x24 -nolisten tcp >"$XVFB_LOG" 2>&1 &
XVFB=$!
KIOSK=""
# shellcheck disable=SC2317  # called by the EXIT trap
stop() {
  if [ -n "$KIOSK" ]; then kill -TERM "$KIOSK" 2>/dev/null || true; wait "$KIOSK" 2>/dev/null || true; fi
  kill -TERM "$XVFB" 2>/dev/null || true
  wait "$XVFB" 2>/dev/null || true
  rm -f "$XVFB_LOG"
}
trap stop EXIT
ready=0
for _ in $(seq 100); do
  if DISPLAY=":$n" xdpyinfo >/dev/null 2>&1; then ready=1; break; fi
  kill -0 "$XVFB" 2>/dev/null || break
  sleep 0.1
done
if [ "$ready" != 1 ]; then
  echo "demo: the virtual screen (Xvfb :$n) did not start:" >&2
  cat "$XVFB_LOG" >&2
  exit 1
fi

cat <<MSG
demo: there is no display here, so the kiosk runs full-screen on a virtual screen:
      Xvfb on display :$n (1920x1080). To look at it:
        a screenshot of that screen:  import -window root -display :$n kiosk.png
        one screen straight to PNG:   .venv/bin/python -m kiosk --demo --screenshot home.png --screen home --lang fi
        to watch and touch it:        run this command again on a desktop (or with a DISPLAY)
      Stop it with Ctrl+C.
MSG
# In the background, so that Ctrl+C or a TERM to this script reaches the kiosk as a TERM
# (it then ends the session cleanly) and Xvfb is stopped after it.
DISPLAY=":$n" QT_QPA_PLATFORM=xcb .venv/bin/python -m kiosk --demo "$@" &
KIOSK=$!
trap 'exit 130' INT
trap 'exit 143' TERM
rc=0
wait "$KIOSK" || rc=$?
KIOSK=""
exit "$rc"
