#!/usr/bin/env bash
# Phase 1 (network): the Debian packages, then the pinned Python packages in .venv.
#   bash scripts/install.sh           # what the kiosk needs
#   bash scripts/install.sh --tests   # plus what the tests need
# Safe to run again: it installs only what is missing. Details go to .install.log (or
# $INSTALL_LOG); on a failure the log's last lines are printed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WITH_TESTS=0
case ${1:-} in
  --tests) WITH_TESTS=1 ;;
  "") ;;
  *) echo "usage: bash scripts/install.sh [--tests]" >&2; exit 2 ;;
esac
LOG=${INSTALL_LOG:-$ROOT/.install.log}
: >"$LOG"
START=$SECONDS

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install: run this as root, or install sudo" >&2; exit 1; }
  SUDO=(sudo)
fi

fail() {
  echo "install: $1 failed; the last lines of $LOG:" >&2
  tail -n 40 "$LOG" >&2
  exit 1
}

# Packages must not start their own daemons (cups, pcscd, avahi...): the tests start what
# they need, privately, and a booth's installer decides what runs there. Only a policy
# file this script created is removed again.
POLICY=/usr/sbin/policy-rc.d
CREATED_POLICY=0
cleanup_policy() {
  if [ "$CREATED_POLICY" = 1 ]; then "${SUDO[@]}" rm -f "$POLICY"; fi
}
trap cleanup_policy EXIT
if [ ! -e "$POLICY" ]; then
  CREATED_POLICY=1
  printf '#!/bin/sh\n# written by virtu-kiosk scripts/install.sh for the length of an install\nexit 101\n' |
    "${SUDO[@]}" tee "$POLICY" >/dev/null
  "${SUDO[@]}" chmod 755 "$POLICY"
fi

# --- Debian packages --------------------------------------------------------------------
export DEBIAN_FRONTEND=noninteractive
APT=(-o DPkg::Lock::Timeout=600 -o Acquire::Retries=3)
mapfile -t PACKAGES < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' requirements/debian-packages.txt | grep -v '^$')
echo "install: ${#PACKAGES[@]} Debian packages (log: $LOG)"
ok=0
for try in 1 2 3; do
  if "${SUDO[@]}" apt-get "${APT[@]}" update -q >>"$LOG" 2>&1; then ok=1; break; fi
  echo "install: apt-get update failed (try $try of 3)" | tee -a "$LOG" >&2
  [ "$try" = 3 ] || sleep $((try * 10))
done
[ "$ok" = 1 ] || fail "apt-get update"
"${SUDO[@]}" apt-get "${APT[@]}" install -y -q --no-install-recommends "${PACKAGES[@]}" >>"$LOG" 2>&1 ||
  fail "apt-get install"
newly=$(grep -Eo '^[0-9]+ newly installed' "$LOG" | tail -n 1 || true)
echo "install: Debian packages ready (${newly:-0 newly installed})"

# --- Python packages --------------------------------------------------------------------
# The venv uses Debian's Python 3.11. A .venv that is already here (a developer's) is kept
# when it is healthy: a Python 3.11 that runs and has pip.
PY=/usr/bin/python3
venv_healthy() {
  .venv/bin/python -c 'import sys, pip; assert sys.version_info[:2] == (3, 11)' >/dev/null 2>&1
}
if [ -e .venv ] && ! venv_healthy; then
  echo "install: .venv is broken or not Python 3.11; making it anew"
  rm -rf .venv
fi
if [ ! -e .venv ]; then
  "$PY" -m venv .venv >>"$LOG" 2>&1 || fail "$PY -m venv .venv (package python3-venv)"
fi
PIP=(.venv/bin/python -m pip --disable-pip-version-check --no-input)
C=requirements/constraints.txt
# pip and setuptools (the build back end, used without build isolation) are pinned too.
"${PIP[@]}" install -c "$C" pip setuptools >>"$LOG" 2>&1 || fail "pip install pip setuptools"
TARGET="."
[ "$WITH_TESTS" = 1 ] && TARGET=".[test]"
echo "install: Python packages into .venv ($TARGET, pinned by $C)"
"${PIP[@]}" install --no-build-isolation -c "$C" -e "$TARGET" >>"$LOG" 2>&1 || fail "pip install -e $TARGET"
"${PIP[@]}" check >>"$LOG" 2>&1 || fail "pip check"

echo "install: done in $((SECONDS - START)) s: $(.venv/bin/python --version) in .venv," \
  "PySide6 $(.venv/bin/python -c 'import PySide6; print(PySide6.__version__)')"
