# Start and stop a throw-away PostgreSQL cluster on a private port and socket directory.
# Sourced by .ci/run (and usable by hand: `source .ci/postgres.sh; start_postgres`).
PG_PORT="${PG_PORT:-55432}"
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
PG_DIR="${PG_DIR:-$(mktemp -d /tmp/sijill-pg.XXXXXX)}"
PG_URL="postgresql+psycopg://postgres@127.0.0.1:${PG_PORT}/sijill_test"

_as_pg() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_postgres() {
  if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
    if command -v apt-get >/dev/null; then
      apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
      PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
    else
      echo "PostgreSQL is not installed and cannot be installed here" >&2; return 1
    fi
  fi
  if [ "$(id -u)" = "0" ]; then chown postgres "$PG_DIR"; fi
  _as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 >/dev/null
  _as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
  _as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres sijill_test
  echo "PostgreSQL running on port $PG_PORT ($PG_DIR)"
}

stop_postgres() {
  _as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
}
