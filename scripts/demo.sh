#!/usr/bin/env bash
# Installs what the kiosk needs and starts it in demo mode (built-in defaults, demo PIN 1234).
# With no display, it runs under Xvfb and says how to look at it. Extra arguments go to the kiosk.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh

if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  exec .venv/bin/python -m kiosk --demo --windowed "$@"
fi

n=99
while [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ]; do n=$((n + 1)); done
Xvfb ":$n" -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
XVFB=$!
trap 'kill "$XVFB" 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$n" ] && break; sleep 0.1; done
cat <<MSG
There is no display here, so the kiosk runs full-screen on a virtual screen (Xvfb :$n).
  Look at it:        import -window root -display :$n kiosk.png   (package imagemagick)
  One screen as PNG: .venv/bin/python -m kiosk --demo --screenshot home.png --screen home --lang fi
  Stop it:           Ctrl+C
On a desktop, run this script there to see and touch the kiosk.
MSG
DISPLAY=":$n" .venv/bin/python -m kiosk --demo "$@"
