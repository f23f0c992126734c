#!/bin/sh
# Three replicas of `ess-authz serve` on this machine, all on one PostgreSQL database (README, "Replicas").
#
#   scripts/replicas.sh postgres://USER@HOST:PORT/DB [CONFIG.json]
#
# CONFIG.json, when given, is pushed first as a new configuration version (`ess-authz config push`); without it
# the replicas serve the newest version already stored. Each replica listens on 127.0.0.1 (ports 8081, 8082,
# 8083; ESS_AUTHZ_FIRST_PORT moves them) and logs to replica-PORT.log in ESS_AUTHZ_LOG_DIR (default: .).
# The URL may also come from ESS_AUTHZ_DB. Ctrl-C stops all three. The command run is `node dist/cli/bin.js`
# of this checkout when built, else `ess-authz` from PATH; ESS_AUTHZ overrides it.
set -eu

db=${1:-${ESS_AUTHZ_DB:-}}
config=${2:-}
case $db in
  postgres://* | postgresql://*) ;;
  *) echo "usage: $0 postgres://USER@HOST:PORT/DB [CONFIG.json]  (or set ESS_AUTHZ_DB)" >&2; exit 2 ;;
esac
first=${ESS_AUTHZ_FIRST_PORT:-8081}
logs=${ESS_AUTHZ_LOG_DIR:-.}
here=$(cd "$(dirname "$0")/.." && pwd)
if [ -n "${ESS_AUTHZ:-}" ]; then cli=$ESS_AUTHZ
elif [ -f "$here/dist/cli/bin.js" ]; then cli="node $here/dist/cli/bin.js"
else cli=ess-authz
fi

if [ -n "$config" ]; then $cli config push --db "$db" "$config"; fi

mkdir -p "$logs"
pids=
stop() {
  trap - INT TERM EXIT
  # shellcheck disable=SC2086 # one word per pid
  [ -z "$pids" ] || kill $pids 2>/dev/null || true
  wait
}
trap stop INT TERM EXIT

for i in 0 1 2; do
  port=$((first + i))
  $cli serve --db "$db" --host 127.0.0.1 --port "$port" >"$logs/replica-$port.log" 2>&1 &
  pids="$pids $!"
done

# Report each replica once it listens (or stop them all if one exits first).
for i in 0 1 2; do
  port=$((first + i))
  until grep -q "serving on" "$logs/replica-$port.log" 2>/dev/null; do
    for pid in $pids; do kill -0 "$pid" 2>/dev/null || { echo "a replica exited; see $logs/replica-*.log" >&2; exit 1; }; done
    sleep 0.2
  done
  grep -m1 "serving on" "$logs/replica-$port.log"
done
echo "3 replicas on one database; Ctrl-C stops them"
wait
