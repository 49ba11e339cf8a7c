#!/usr/bin/env bash
# Usage: scripts/postgres-local.sh
# Brings up a local PostgreSQL for Doralake's tests on Debian 12, as root, without systemd:
#   - installs Debian's `postgresql` package if the server binaries are missing
#     (apt-get update only when a plain install fails, e.g. empty or stale lists);
#   - creates the default cluster if there is none, and starts it with pg_ctlcluster
#     ("already running" is fine);
#   - creates/updates role `doralake` (password `doralake`, LOGIN CREATEDB) and database
#     `doralake_test` owned by it;
#   - waits for pg_isready and checks a real login over TCP with the URL below.
# Idempotent: safe to run again while the server is up. The server is left running.
#   - raises max_connections to 400 (the parallel test suite opens many pools);
#   - turns TLS on with a self-signed certificate for "localhost" (its root is copied to
#     /var/lib/postgresql/doralake-test-root.crt) and checks a verify-full login.
# stdout gets exactly two lines, DORALAKE_TEST_POSTGRES_URL=... and DORALAKE_TEST_POSTGRES_TLS_ROOT=...;
# everything else goes to stderr, so `export $(scripts/postgres-local.sh)` works.
set -euo pipefail

exec 3>&1 1>&2   # fd 3 = real stdout (for the final line); stdout -> stderr for everything else

PG_USER=doralake
PG_PASSWORD=doralake
PG_DB=doralake_test
PG_HOST=127.0.0.1
PG_PORT=5432
PG_CLUSTER=main
URL="postgres://${PG_USER}:${PG_PASSWORD}@${PG_HOST}:${PG_PORT}/${PG_DB}"

log() { echo "postgres-local: $*"; }
die() { echo "postgres-local: error: $*"; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root (uses apt-get and runs psql as the postgres user)"

pg_version() {
  # Highest installed server major version, e.g. "15" (empty if none).
  local d best=""
  for d in /usr/lib/postgresql/*/bin/postgres; do
    [ -x "$d" ] || continue
    d="${d#/usr/lib/postgresql/}"; d="${d%%/*}"
    if [ -z "$best" ] || [ "$d" -gt "$best" ]; then best="$d"; fi
  done
  echo "$best"
}

# --- 1. install ------------------------------------------------------------------------------
export DEBIAN_FRONTEND=noninteractive
if [ -z "$(pg_version)" ] || ! command -v pg_ctlcluster >/dev/null || ! command -v psql >/dev/null; then
  log "installing Debian package postgresql"
  apt_opts=(-y -q --no-install-recommends -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
  if ! apt-get install "${apt_opts[@]}" postgresql; then
    log "plain install failed; running apt-get update and retrying"
    apt-get update -q
    apt-get install "${apt_opts[@]}" postgresql
  fi
fi
VER="$(pg_version)"
[ -n "$VER" ] || die "no PostgreSQL server found under /usr/lib/postgresql after install"
log "PostgreSQL major version $VER"

# --- 2. cluster ------------------------------------------------------------------------------
if ! pg_lsclusters -h "$VER" "$PG_CLUSTER" >/dev/null 2>&1 \
   || [ ! -f "/var/lib/postgresql/$VER/$PG_CLUSTER/PG_VERSION" ]; then
  if [ -d "/etc/postgresql/$VER/$PG_CLUSTER" ]; then
    die "cluster $VER/$PG_CLUSTER has config but no data directory; fix or pg_dropcluster it"
  fi
  log "creating cluster $VER/$PG_CLUSTER on port $PG_PORT"
  pg_createcluster --port="$PG_PORT" "$VER" "$PG_CLUSTER"
fi

cluster_port="$(pg_conftool -s "$VER" "$PG_CLUSTER" show port 2>/dev/null || echo "$PG_PORT")"
[ "$cluster_port" = "$PG_PORT" ] \
  || die "cluster $VER/$PG_CLUSTER is configured for port $cluster_port, expected $PG_PORT"

# --- 2b. TLS ---------------------------------------------------------------------------------
# A self-signed certificate for CN/SAN "localhost" (no IP address in it), so the tests can check
# every sslmode: require (TLS, no checks), verify-ca (chain only: 127.0.0.1 passes), verify-full
# (chain and name: localhost passes, 127.0.0.1 fails). Plain connections stay allowed.
TLS_DIR="/etc/postgresql/$VER/$PG_CLUSTER/doralake-tls"
TLS_ROOT=/var/lib/postgresql/doralake-test-root.crt
if [ ! -s "$TLS_DIR/server.crt" ] || [ ! -s "$TLS_DIR/server.key" ]; then
  log "creating a self-signed TLS certificate for localhost in $TLS_DIR"
  install -d -m 0750 -o postgres -g postgres "$TLS_DIR"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost" \
    -keyout "$TLS_DIR/server.key" -out "$TLS_DIR/server.crt" 2>/dev/null \
    || die "openssl could not create the test certificate"
  chown postgres:postgres "$TLS_DIR/server.key" "$TLS_DIR/server.crt"
  chmod 0600 "$TLS_DIR/server.key"
fi
install -m 0644 "$TLS_DIR/server.crt" "$TLS_ROOT"
tls_changed=0
for setting in "ssl=on" "ssl_cert_file=$TLS_DIR/server.crt" "ssl_key_file=$TLS_DIR/server.key"; do
  name="${setting%%=*}"; value="${setting#*=}"
  if [ "$(pg_conftool -s "$VER" "$PG_CLUSTER" show "$name" 2>/dev/null || true)" != "$value" ]; then
    pg_conftool "$VER" "$PG_CLUSTER" set "$name" "$value"
    tls_changed=1
  fi
done
# The test suite runs hundreds of tests in parallel, each with a store of its own (a pool of up
# to 4 connections) on a database of its own: the default 100 connections run out.
restart_needed=0
if [ "$(pg_conftool -s "$VER" "$PG_CLUSTER" show max_connections 2>/dev/null || true)" != "400" ]; then
  pg_conftool "$VER" "$PG_CLUSTER" set max_connections 400
  restart_needed=1
fi

# Socket directory lives on tmpfs (/run); recreate it after a reboot.
install -d -m 2775 -o postgres -g postgres /var/run/postgresql

# pg_ctlcluster status: 0 = running, 3 = not running, 4 = no such cluster / inaccessible.
if pg_ctlcluster "$VER" "$PG_CLUSTER" status >/dev/null 2>&1; then
  log "cluster $VER/$PG_CLUSTER already running"
  if [ "$restart_needed" -eq 1 ]; then
    log "max_connections changed: restarting the server"
    pg_ctlcluster "$VER" "$PG_CLUSTER" restart 3>&- </dev/null
  elif [ "$tls_changed" -eq 1 ]; then
    log "TLS settings changed: reloading the server configuration"
    pg_ctlcluster "$VER" "$PG_CLUSTER" reload 3>&- </dev/null
  fi
else
  log "starting cluster $VER/$PG_CLUSTER (no systemd: pg_ctlcluster)"
  set +e
  # The server outlives this script: it must not inherit fd 3 (the caller's `$(...)` pipe would
  # never reach end-of-file, and the caller would wait forever) nor our stdin.
  out="$(pg_ctlcluster "$VER" "$PG_CLUSTER" start 2>&1 3>&- </dev/null)"; rc=$?
  set -e
  [ -n "$out" ] && echo "$out"
  if [ "$rc" -ne 0 ]; then
    # Exit code 2 = "Cluster is already running" (race with another starter): fine.
    if [ "$rc" -eq 2 ] || echo "$out" | grep -qi "already running"; then
      log "cluster was already running"
    else
      log "start failed (exit $rc); last server log lines:"
      tail -n 30 "/var/log/postgresql/postgresql-$VER-$PG_CLUSTER.log" 2>/dev/null || true
      exit "$rc"
    fi
  fi
fi

# --- 3. wait until it answers ----------------------------------------------------------------
ready=0
for _ in $(seq 1 60); do
  if pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; then ready=1; break; fi
  sleep 0.5
done
[ "$ready" -eq 1 ] || { pg_isready -h "$PG_HOST" -p "$PG_PORT" || true; die "server not ready on $PG_HOST:$PG_PORT after 30s"; }
log "pg_isready: $PG_HOST:$PG_PORT accepting connections"

# --- 4. role and database (idempotent) -------------------------------------------------------
as_postgres() { runuser -u postgres -- "$@"; }
psql_admin() { (cd / && as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" -d postgres "$@"); }

psql_admin <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${PG_USER}') THEN
    CREATE ROLE ${PG_USER} LOGIN CREATEDB PASSWORD '${PG_PASSWORD}';
  ELSE
    ALTER ROLE ${PG_USER} LOGIN CREATEDB PASSWORD '${PG_PASSWORD}';
  END IF;
END
\$\$;
SQL

if [ "$(psql_admin -Atc "SELECT 1 FROM pg_database WHERE datname = '${PG_DB}'")" != "1" ]; then
  log "creating database $PG_DB owned by $PG_USER"
  (cd / && as_postgres createdb -p "$PG_PORT" -O "$PG_USER" "$PG_DB")
else
  psql_admin -c "ALTER DATABASE ${PG_DB} OWNER TO ${PG_USER}"
fi

# --- 5. check a real password login over TCP -------------------------------------------------
got="$(PGCONNECT_TIMEOUT=5 psql -X -Atq "$URL" -c 'select 1')" \
  || die "login with $URL failed (check pg_hba.conf: host ... 127.0.0.1/32 scram-sha-256)"
[ "$got" = "1" ] || die "unexpected answer to 'select 1': $got"
log "login as $PG_USER to $PG_DB over TCP works"
tls_ok=""
for _ in $(seq 1 20); do
  tls_ok="$(PGCONNECT_TIMEOUT=5 psql -X -Atq \
    "postgres://${PG_USER}:${PG_PASSWORD}@localhost:${PG_PORT}/${PG_DB}?sslmode=verify-full&sslrootcert=${TLS_ROOT}" \
    -c 'select ssl from pg_stat_ssl where pid = pg_backend_pid()' 2>/dev/null || true)"
  [ "$tls_ok" = "t" ] && break
  sleep 0.5
done
[ "$tls_ok" = "t" ] || log "warning: a verify-full TLS login did not work; the TLS tests will fail"
log "TLS login (sslmode=verify-full, root $TLS_ROOT) works: ssl=$tls_ok"

echo "DORALAKE_TEST_POSTGRES_URL=${URL}" >&3
echo "DORALAKE_TEST_POSTGRES_TLS_ROOT=${TLS_ROOT}" >&3
