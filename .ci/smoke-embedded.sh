#!/usr/bin/env bash
# Starts the product the way the README says, with no DATABASE_URL, in a temp data dir:
# checks /api/health and the home page, then stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="$(mktemp -d)"
PORT="${SMOKE_PORT:-3310}"
LOG="$DATA/app.log"
setsid env -u DATABASE_URL WMI_DATA_DIR="$DATA" PORT="$PORT" EMBEDDED_PG_PORT="$((56000 + RANDOM % 4000))" npm start >"$LOG" 2>&1 &
APP=$!
stop() { kill -TERM -- "-$APP" 2>/dev/null || true; sleep 2; kill -KILL -- "-$APP" 2>/dev/null || true; rm -rf "$DATA"; }
trap stop EXIT
for _ in $(seq 1 180); do
  curl -fsS "http://localhost:$PORT/api/health" -o "$DATA/health.json" 2>/dev/null && break
  kill -0 "$APP" 2>/dev/null || { cat "$LOG"; echo "smoke: the app exited before it was healthy"; exit 1; }
  sleep 1
done
cat "$DATA/health.json"; echo
grep -q '"status":"ok"' "$DATA/health.json" || { cat "$LOG"; echo "smoke: /api/health not ok"; exit 1; }
# signed out, / redirects (307) to the login page, which carries the rule's name in its description
curl -fsSL "http://localhost:$PORT/" -o "$DATA/home.html" || { echo "smoke: home page did not answer"; exit 1; }
grep -q "Suspicious WMI Event Subscription Created" "$DATA/home.html" || { echo "smoke: home page did not render"; exit 1; }
grep -q "analyst@demo.local" "$LOG" || { cat "$LOG"; echo "smoke: demo accounts were not printed"; exit 1; }
echo "smoke: embedded mode OK"
