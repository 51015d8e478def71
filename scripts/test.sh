#!/usr/bin/env bash
# Installs what the tests need, then runs every test inside a network namespace that has
# only loopback (and its own /run), so no test can reach another machine or another
# run's daemons.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh --tests
echo "=== disk before the tests ==="
df -h / /tmp 2>/dev/null || df -h
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
if ! $SUDO unshare -n -m true 2>/dev/null; then
  echo "test: cannot create a private network namespace (unshare -n -m needs root);" >&2
  echo "      the tests must not run outside one, so nothing was run." >&2
  exit 1
fi
set +e
$SUDO unshare -n -m sh -c 'mount --make-rprivate / && mount -t tmpfs tmpfs /run && ip link set lo up && exec bash scripts/test-phase.sh'
rc=$?
set -e
echo "=== disk after the tests ==="
df -h / /tmp 2>/dev/null || df -h
exit "$rc"
