#!/usr/bin/env bash
# Starts a local NATS server with JetStream on 127.0.0.1 for the audit queue tests (installs the
# Debian package when missing). Idempotent: does nothing when the port already answers.
# Usage: scripts/start-nats.sh   (NATS_PORT=4222 by default; the tests read NATS_URL or use that port)
set -euo pipefail
PORT="${NATS_PORT:-4222}"

reachable() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

if reachable; then
  echo "nats: already listening on 127.0.0.1:$PORT"
  exit 0
fi
if ! command -v nats-server >/dev/null 2>&1; then
  echo "nats: installing nats-server"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nats-server >/dev/null
fi
STORE="$(mktemp -d "${TMPDIR:-/tmp}/rampart-nats.XXXXXX")"
nohup nats-server --jetstream --addr 127.0.0.1 --port "$PORT" --store_dir "$STORE" --log "$STORE/nats.log" --pid "$STORE/nats.pid" >/dev/null 2>&1 &
for _ in $(seq 1 50); do
  if reachable; then
    echo "nats: JetStream on 127.0.0.1:$PORT (store $STORE, pid $(cat "$STORE/nats.pid" 2>/dev/null || echo '?'))"
    exit 0
  fi
  sleep 0.1
done
echo "nats: nats-server did not start; see $STORE/nats.log" >&2
exit 1
