#!/usr/bin/env bash
# Phase 2, inside the loopback-only namespace: start the servers, run both pytest groups,
# stop the servers, and fail if either group failed.
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
cleanup() { daemons_stop; rm -rf "$WORK"; }
trap cleanup EXIT INT TERM

daemons_start || exit 1

# Tests never touch the real home, caches or keyring.
mkdir -p "$WORK/home" "$WORK/tmp"
export HOME=$WORK/home TMPDIR=$WORK/tmp XDG_DATA_HOME=$WORK/home/.local/share XDG_CACHE_HOME=$WORK/home/.cache XDG_CONFIG_HOME=$WORK/home/.config
export DISPLAY=$TEST_DISPLAY
export QT_QPA_PLATFORM=offscreen:configfile=$ROOT/tests/offscreen-screen.json
export PYTHON_KEYRING_BACKEND=keyrings.alt.file.PlaintextKeyring
export QTWEBENGINE_CHROMIUM_FLAGS="--disable-gpu --disable-background-networking --disable-component-update"
[ "$(id -u)" -eq 0 ] && export QTWEBENGINE_DISABLE_SANDBOX=1  # Chromium refuses its sandbox as root
export PYTHONDONTWRITEBYTECODE=1

run_group() {
  local label=$1 marker=$2
  echo "=== tests: $label ==="
  .venv/bin/python -m pytest -m "$marker" -p no:cacheprovider --timeout=120 --durations=25 -ra
  local rc=$?
  # 5 = "no tests collected": a group with no tests yet is not a failure.
  if [ "$rc" -eq 5 ]; then echo "(no tests in group $label)"; rc=0; fi
  return "$rc"
}

run_group "core and Qt (offscreen)" "not media"
rc1=$?
# libvlc and QtWebEngine load native threads that must not share a process with the rest.
run_group "media (libvlc, QtWebEngine)" "media"
rc2=$?
echo "=== results: core and Qt exit $rc1, media exit $rc2 ==="
[ "$rc1" -eq 0 ] && [ "$rc2" -eq 0 ]
