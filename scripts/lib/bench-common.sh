# Shared helpers of scripts/bench-ingest.sh and scripts/bench-metrics.sh (sourced, not run).
# Callers set `pg_created=()` before using create_bench_database / drop_databases, and call
# drop_databases from their EXIT trap.

log() { printf '[bench] %s\n' "$*" >&2; }

# N random bytes as hex (secrets, database names).
random_hex() { python3 -c 'import secrets, sys; print(secrets.token_hex(int(sys.argv[1])))' "$1"; }

# A free TCP port on 127.0.0.1.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

# kB value of a /proc/PID/status field (VmRSS, VmHWM), empty if the process is gone.
rss_kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status" 2>/dev/null || true; }

# A postgres:// URL with its user and password replaced by ***, for logs.
mask_url() { python3 -c '
import sys, urllib.parse as u
p = u.urlsplit(sys.argv[1])
host = p.netloc.rsplit("@", 1)[-1]
print(u.urlunsplit((p.scheme, ("***@" if "@" in p.netloc else "") + host, p.path, p.query, "")))' "$1"; }

# The URL with its database (path) replaced; keeps credentials and query (sslmode, …).
url_with_database() { python3 -c '
import sys, urllib.parse as u
p = u.urlsplit(sys.argv[1])
print(u.urlunsplit((p.scheme, p.netloc, "/" + sys.argv[2], p.query, "")))' "$1" "$2"; }

# Sets pg_admin_url: the URL itself, or its server's `postgres` database when it names none.
use_postgres_server() {
    if [[ "$(python3 -c 'import sys, urllib.parse as u; print(u.urlsplit(sys.argv[1]).path.strip("/"))' "$1")" == "" ]]; then
        pg_admin_url="$(url_with_database "$1" postgres)"
    else
        pg_admin_url="$1"
    fi
}

# Runs one statement on the PostgreSQL server (maintenance database), never prompting for a password.
pg_admin() { PGCONNECT_TIMEOUT=10 psql -X -q -w -v ON_ERROR_STOP=1 -d "$pg_admin_url" -c "$1" >/dev/null; }

# Creates database NAME on the server and remembers it for drop_databases.
create_bench_database() {
    log "creating database $1 on $(mask_url "$pg_admin_url")"
    pg_admin "CREATE DATABASE $1" || { echo "CREATE DATABASE $1 failed (does the role have CREATEDB?)" >&2; exit 1; }
    pg_created+=("$1")
}

# Drops every database create_bench_database made.
drop_databases() {
    local name
    for name in "${pg_created[@]}"; do
        if pg_admin "DROP DATABASE IF EXISTS $name WITH (FORCE)" 2>/dev/null || pg_admin "DROP DATABASE IF EXISTS $name"; then
            log "dropped database $name"
        else
            echo "could not drop database $name on $(mask_url "$pg_admin_url"); drop it by hand" >&2
        fi
    done
    pg_created=()
}
