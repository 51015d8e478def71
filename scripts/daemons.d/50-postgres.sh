# shellcheck shell=bash
# Debian's PostgreSQL for the fleet service's tests: a private cluster "virtutest" with its
# data under $RUN_DIR, on 127.0.0.1:15432, trust authentication on loopback. pg_ctlcluster
# runs the server as the cluster's owner (postgres), never as root.
start_postgres() {
  local version dir="$RUN_DIR/postgres"
  version=$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf "%f\n" 2>/dev/null | sort -n | tail -n 1)
  [ -n "$version" ] || { echo "daemons: PostgreSQL is not installed (package postgresql)" >&2; return 1; }
  if pg_lsclusters -h 2>/dev/null | awk '{print $2}' | grep -qx virtutest; then
    pg_dropcluster --stop "$version" virtutest >/dev/null 2>&1 || true
  fi
  mkdir -p "$dir"
  chown postgres: "$dir"
  pg_createcluster "$version" virtutest -d "$dir/data" -s "$dir" -p 15432 -- --auth=trust --encoding=UTF8 >"$RUN_DIR/postgres-create.log" 2>&1 \
    || { tail -n 20 "$RUN_DIR/postgres-create.log" >&2; return 1; }
  export VIRTU_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:15432/postgres
  daemon_start postgres "pg_isready -q -h 127.0.0.1 -p 15432" \
    pg_ctlcluster --foreground "$version" virtutest start || return 1
}
