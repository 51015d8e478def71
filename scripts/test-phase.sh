#!/usr/bin/env bash
# Phase 2, inside the loopback-only namespace (scripts/test.sh puts it there): start the
# servers, run both pytest groups, stop the servers, and fail if either group failed.
# Arguments go to both pytest runs (e.g. a test file, or -k NAME).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
ROOT=$PWD

WORK=$(mktemp -d /tmp/virtu-test.XXXXXX)
# CUPS runs its filters as user lp, and its private ServerRoot (the PPD) lives under here:
# mktemp's 0700 would make every job fail with "Filter failed".
chmod 755 "$WORK"
export RUN_DIR=$WORK/run
# shellcheck source=scripts/daemons.sh
. scripts/daemons.sh
cleanup() {
  daemons_stop
  rm -rf "$WORK"
}
# pytest runs in the background (see run_group) so that an INT or TERM to this script
# stops it at once, then the servers; bash would otherwise wait for pytest to finish.
PYTEST=""
stop_pytest() {
  if [ -n "$PYTEST" ]; then kill -TERM "$PYTEST" 2>/dev/null; wait "$PYTEST" 2>/dev/null; fi
}
trap cleanup EXIT
trap 'echo "test: interrupted" >&2; stop_pytest; exit 130' INT
trap 'echo "test: terminated" >&2; stop_pytest; exit 143' TERM

echo "=== servers for the tests ==="
daemons_start || { echo "test: a server did not start; no test was run" >&2; exit 1; }

# Tests never touch the real home, caches, keyring or temp folder.
mkdir -p "$WORK/home" "$WORK/tmp" "$WORK/xdg-runtime"
chmod 700 "$WORK/xdg-runtime"
export HOME=$WORK/home TMPDIR=$WORK/tmp
export XDG_DATA_HOME=$WORK/home/.local/share XDG_CACHE_HOME=$WORK/home/.cache
export XDG_CONFIG_HOME=$WORK/home/.config XDG_STATE_HOME=$WORK/home/.local/state
export XDG_RUNTIME_DIR=$WORK/xdg-runtime
# A real X server for the xcb tests; every other test renders offscreen on a 1920x1080 screen.
export DISPLAY=$TEST_DISPLAY
unset WAYLAND_DISPLAY
export QT_QPA_PLATFORM=offscreen:configfile=$ROOT/tests/offscreen-screen.json
export PYTHON_KEYRING_BACKEND=keyrings.alt.file.PlaintextKeyring
# SANE with only its test back end, sized for A4: sane.init() reads this once per process,
# and without it every kiosk probes the network for scanners for seconds (RECIPES.md).
mkdir -p "$WORK/sane"
echo test >"$WORK/sane/dll.conf"
sed 's/^geometry_max .*/geometry_max 300.0/' /etc/sane.d/test.conf >"$WORK/sane/test.conf"
export SANE_CONFIG_DIR=$WORK/sane
# Every host name resolves to loopback: the web tests serve kela.fi & co. locally, and no
# page can reach out even by accident. A fake camera for the permission tests (no
# --use-fake-ui-for-media-stream: it would answer permission requests before the kiosk does).
export QTWEBENGINE_CHROMIUM_FLAGS="--disable-gpu --disable-background-networking --disable-component-update --host-resolver-rules=\"MAP * 127.0.0.1\" --use-fake-device-for-media-stream"
# Chromium refuses its sandbox as root and QtWebEngine then exits silently: only as root.
if [ "$(id -u)" -eq 0 ]; then export QTWEBENGINE_DISABLE_SANDBOX=1; fi
export PYTHONDONTWRITEBYTECODE=1 PYTHONFAULTHANDLER=1

run_group() {
  local label=$1 marker=$2
  shift 2
  echo "=== tests: $label (pytest -m \"$marker\") ==="
  .venv/bin/python -m pytest -m "$marker" -p no:cacheprovider --timeout=120 --durations=25 -ra "$@" </dev/null &
  PYTEST=$!
  local rc=0
  wait "$PYTEST" || rc=$?
  PYTEST=""
  # pytest's 5 is "no tests collected": this group has no tests (yet), which is not a
  # failure of the run. Only 5 is forgiven, and only for the group that was empty; the
  # other group's result still counts on its own.
  if [ "$rc" -eq 5 ]; then
    echo "(no tests in the group \"$label\")"
    rc=0
  fi
  return "$rc"
}

run_group "core and Qt" "not media" "$@"
rc1=$?
# libvlc and QtWebEngine start native threads that must not share a process with the rest.
run_group "media (libvlc, QtWebEngine)" "media" "$@"
rc2=$?
echo "=== results: core and Qt exit $rc1, media exit $rc2 ==="
[ "$rc1" -eq 0 ] && [ "$rc2" -eq 0 ]
