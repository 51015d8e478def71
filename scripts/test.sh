#!/usr/bin/env bash
# The README's test command. Phase 1 (network): install what the tests need. Phase 2: run
# every test inside a network namespace that has only loopback, with its own /run (a
# private mount namespace), so no test can reach another machine or another run's daemons.
# Arguments go to pytest (e.g. bash scripts/test.sh tests/test_vault.py -x).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install.sh --tests

# The installer test's Debian 12 chroot needs the network, so it is made here, once, and
# kept for later runs (about a minute and 300 MB the first time).
export VIRTU_TEST_CHROOT=${VIRTU_TEST_CHROOT:-/var/tmp/virtu-test-chroot}
echo "test: Debian chroot for the installer test in $VIRTU_TEST_CHROOT"
SUDO=()
[ "$(id -u)" -ne 0 ] && SUDO=(sudo)
"${SUDO[@]}" .venv/bin/python tests/test_linux_installer.py --prepare-chroot "$VIRTU_TEST_CHROOT" >/dev/null
if ! "${SUDO[@]}" unshare -n -m true 2>/dev/null; then
  cat >&2 <<'MSG'
test: cannot create a private network and mount namespace (`unshare -n -m` needs root, or
      a container that allows it). The tests must not run outside one (they would reach
      the machine's network and its real /run), so no test was run.
MSG
  exit 1
fi

disk() { echo "=== disk $1 the tests ==="; df -h / /tmp /dev/shm 2>/dev/null || df -h || true; }
disk before
set +e
# shellcheck disable=SC2016  # $@ expands inside sh -c, on the arguments after "test-phase".
"${SUDO[@]}" env VIRTU_TEST_CHROOT="$VIRTU_TEST_CHROOT" unshare -n -m sh -c '
  mount --make-rprivate / && mount -t tmpfs -o mode=755 tmpfs /run && ip link set lo up &&
  exec bash scripts/test-phase.sh "$@"' test-phase "$@"
rc=$?
set -e
disk after
echo "=== test run exit code: $rc ==="
exit "$rc"
