#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster:
#
#   scripts/postgres.sh .venv/bin/python -m pytest -n auto
#
# Installs PostgreSQL from Debian's packages when initdb/pg_ctl are missing, starts a
# cluster in a temporary directory on 127.0.0.1 and a free port, exports DATABASE_URL
# for the command, and always stops and removes the cluster afterwards. The cluster is
# tuned for tests (no fsync): it holds nothing worth keeping.
set -euo pipefail

if [[ $# -eq 0 ]]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi

here="$(cd "$(dirname "$0")" && pwd)"

find_pg_bin() {
  local dir
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v pg_ctl)")"
    return 0
  fi
  # Debian keeps the server binaries out of PATH, one directory per major version.
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [[ -x $dir/initdb && -x $dir/pg_ctl ]]; then
      echo "$dir"
      return 0
    fi
  done
  return 1
}

if ! pg_bin="$(find_pg_bin)"; then
  echo "postgres.sh: PostgreSQL is not installed; installing Debian's postgresql package" >&2
  bash "$here/apt_install.sh" postgresql
  pg_bin="$(find_pg_bin)" || { echo "postgres.sh: no initdb/pg_ctl after installing postgresql" >&2; exit 1; }
fi

# initdb and postgres refuse to run as root: run them as an ordinary user.
as_owner=()
if [[ $(id -u) -eq 0 ]]; then
  owner=postgres
  if ! id -u "$owner" >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin "$owner"
  fi
  as_owner=(runuser -u "$owner" --)
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/inclusion-pg.XXXXXX")"
data="$tmp/data"
if [[ ${#as_owner[@]} -gt 0 ]]; then
  chown "$owner" "$tmp"
  chmod 700 "$tmp"
fi

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"

started=""
cleanup() {
  local status=$?
  if [[ -n $started ]]; then
    "${as_owner[@]}" "$pg_bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$tmp"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"${as_owner[@]}" "$pg_bin/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync \
  >"$tmp/initdb.log" 2>&1 || { cat "$tmp/initdb.log" >&2; exit 1; }

# Speed over durability, and no Unix socket outside our directory.
options="-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$tmp"
options+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50"
started=yes
"${as_owner[@]}" "$pg_bin/pg_ctl" -D "$data" -l "$tmp/server.log" -o "$options" -w -t 60 start >/dev/null \
  || { cat "$tmp/server.log" >&2; exit 1; }

# Django connects to the named database before creating the test databases beside it.
"${as_owner[@]}" "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U postgres inclusion

export DATABASE_URL="postgres://postgres@127.0.0.1:$port/inclusion"
echo "postgres.sh: PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (throwaway cluster in $tmp)"

set +e
"$@"
status=$?
set -e
exit "$status"
