#!/usr/bin/env bash
# `make load`: the demo served by gunicorn on loopback, and concurrent users on it
# (bench/load.py). LOAD_USERS (50), LOAD_SECONDS (60), LOAD_THINK (1.0 s), LOAD_WORKERS (3),
# LOAD_PORT (8765), LOAD_DATA_DIR (.load), LOAD_SIGNIN_STORM (0: that many sign-ins at once
# before the users start), LOAD_NOTE (added to the label the results are kept under, e.g.
# "before"); DATABASE_URL=postgres://... measures PostgreSQL (the demo is set up in that
# database once); LOAD_SCALE=national (PostgreSQL) sets up the national population
# (perspectief demo --scale national; LOAD_PEOPLE, LOAD_PLACES) once.
# Results: bench/results/load.json (SQLite, regional demo), else load_<database>_<scale>.json.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
DATA="${LOAD_DATA_DIR:-.load}"
PORT="${LOAD_PORT:-8765}"
export DJANGO_SETTINGS_MODULE=perspectief.conf.dev PERSPECTIEF_DATA_DIR="$PWD/$DATA"
mkdir -p "$DATA"
if [ -n "${DATABASE_URL:-}" ]; then database=postgresql; else database=sqlite; fi
scale="${LOAD_SCALE:-region}"
if [ "$scale" = region ]; then ready="$DATA/.ready-$database"; else ready="$DATA/.ready-$database-$scale"; fi
if [ ! -f "$ready" ]; then
  echo "Setting up the demo ($database, $scale) in $DATA ..."
  uptime > "$DATA/demo.log"
  began=$SECONDS
  "$BIN/perspectief" demo --no-serve --scale "$scale" ${LOAD_PEOPLE:+--people "$LOAD_PEOPLE"} \
    ${LOAD_PLACES:+--places "$LOAD_PLACES"} >> "$DATA/demo.log"
  uptime >> "$DATA/demo.log"
  echo "set up in $((SECONDS - began)) s" >> "$DATA/demo.log"
  touch "$ready"
fi
if [ "$database" = sqlite ] && [ "$scale" = region ]; then
  out=bench/results/load.json
else
  out="bench/results/load_${database}_${scale}.json"
fi
"$BIN/perspectief" migrate --noinput > /dev/null  # a demo set up by an older version
"$BIN/perspectief" demo --list-accounts --json > "$DATA/accounts.json"
workers="${LOAD_WORKERS:-3}"
"$BIN/gunicorn" perspectief.wsgi:application --bind "127.0.0.1:$PORT" --workers "$workers" \
  --threads 4 --timeout 60 > "$DATA/gunicorn.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  curl -sf --noproxy '*' "http://127.0.0.1:$PORT/health" >/dev/null && break
  sleep 1
done
"$BIN/python" bench/load.py --base "http://127.0.0.1:$PORT" --accounts "$DATA/accounts.json" \
  --server-pid "$server" --users "${LOAD_USERS:-50}" --duration "${LOAD_SECONDS:-60}" \
  --think "${LOAD_THINK:-1.0}" --sign-in-storm "${LOAD_SIGNIN_STORM:-0}" \
  --label "$database, ${LOAD_USERS:-50} users, gunicorn $workers workers x 4 threads, $scale demo data${LOAD_NOTE:+, $LOAD_NOTE}" \
  --out "$out"
