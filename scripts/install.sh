#!/usr/bin/env bash
# Phase 1 (network): the Debian packages, then the pinned Python packages in .venv.
#   bash scripts/install.sh           # what the kiosk needs
#   bash scripts/install.sh --tests   # plus what the tests need
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WITH_TESTS=0
[ "${1:-}" = "--tests" ] && WITH_TESTS=1
LOG=${INSTALL_LOG:-$ROOT/.install.log}
: > "$LOG"

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install: run as root or install sudo" >&2; exit 1; }
  SUDO="sudo"
fi

fail() {
  echo "install: $1 failed; the last lines of $LOG:" >&2
  tail -n 30 "$LOG" >&2
  exit 1
}

# Packages must not start their own daemons (cups, pcscd, avahi…): the tests start what
# they need, privately. Only remove the policy file if this script created it.
POLICY=/usr/sbin/policy-rc.d
CREATED_POLICY=0
if [ ! -e "$POLICY" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$POLICY" >/dev/null
  $SUDO chmod 755 "$POLICY"
  CREATED_POLICY=1
fi
cleanup_policy() { if [ "$CREATED_POLICY" = 1 ]; then $SUDO rm -f "$POLICY"; fi; }
trap cleanup_policy EXIT

export DEBIAN_FRONTEND=noninteractive
APT=(-o DPkg::Lock::Timeout=600 -o Acquire::Retries=3)
echo "install: Debian packages (log: $LOG)"
ok=0
for try in 1 2 3; do
  if $SUDO apt-get "${APT[@]}" update -q >>"$LOG" 2>&1; then ok=1; break; fi
  echo "install: apt-get update failed (try $try), retrying" | tee -a "$LOG" >&2
  sleep $((try * 5))
done
[ "$ok" = 1 ] || fail "apt-get update"
mapfile -t PACKAGES < <(grep -vE '^\s*(#|$)' requirements/debian-packages.txt)
$SUDO apt-get "${APT[@]}" install -y -q --no-install-recommends "${PACKAGES[@]}" >>"$LOG" 2>&1 || fail "apt-get install"

echo "install: Python packages into .venv"
if [ -x .venv/bin/python ] && ! .venv/bin/python -c 'import sys; assert sys.version_info[:2] == (3, 11)' 2>/dev/null; then
  rm -rf .venv  # a venv from another Python, or a broken one
fi
[ -x .venv/bin/python ] || python3 -m venv .venv >>"$LOG" 2>&1 || fail "python3 -m venv"
.venv/bin/python -m pip install -q --upgrade pip >>"$LOG" 2>&1 || fail "pip upgrade"
TARGET="."
[ "$WITH_TESTS" = 1 ] && TARGET=".[test]"
.venv/bin/python -m pip install -q -c requirements/constraints.txt -e "$TARGET" >>"$LOG" 2>&1 || fail "pip install"
echo "install: done ($(.venv/bin/python --version), PySide6 $(.venv/bin/python -c 'import PySide6; print(PySide6.__version__)'))"
