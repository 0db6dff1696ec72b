#!/usr/bin/env bash
# The distributed mode on one machine: RabbitMQ (Debian's package, installed and started when missing), the four
# services as separate processes on SQLite files, and the YARP gateway in front on http://127.0.0.1:5080.
#
#   bash deploy/distributed.sh start    build, start everything, wait until the gateway is ready
#   bash deploy/distributed.sh stop     stop the services and the gateway (RabbitMQ keeps running)
#   bash deploy/distributed.sh status   what runs, and the gateway's readiness
#
# State lives in .run/ (pids, logs, SQLite files, the development signing key every process shares).
set -euo pipefail
cd "$(dirname "$0")/.."

run=.run
services=(catalog rights pricing settlement)
declare -A ports=([catalog]=5081 [rights]=5082 [pricing]=5083 [settlement]=5084 [gateway]=5080)

dll_of() {
  case "$1" in
    gateway) echo "deploy/Marketplace.Gateway/bin/Release/net10.0/Marketplace.Gateway.dll" ;;
    *) local name="${1^}"; echo "services/$1/Marketplace.$name.Host/bin/Release/net10.0/Marketplace.$name.Host.dll" ;;
  esac
}

running() { [ -f "$run/$1.pid" ] && kill -0 "$(cat "$run/$1.pid")" 2>/dev/null; }

start_one() {
  local name=$1; shift
  if running "$name"; then echo "$name: already running"; return; fi
  local dll; dll=$(dll_of "$name")
  (cd "$(dirname "$dll")" && exec env "$@" dotnet "$(basename "$dll")" --urls "http://127.0.0.1:${ports[$name]}") \
    >"$run/$name.log" 2>&1 &
  echo $! >"$run/$name.pid"
  echo "$name: started on http://127.0.0.1:${ports[$name]} (log: $run/$name.log)"
}

start() {
  bash deploy/rabbitmq.sh
  dotnet build Marketplace.sln -c Release -v quiet -nologo
  mkdir -p "$run/data"
  [ -f "$run/signing.key" ] || head -c 32 /dev/urandom | base64 >"$run/signing.key"
  local common=(
    ASPNETCORE_ENVIRONMENT=Development
    Database__Provider=Sqlite
    "Database__SqliteDirectory=$PWD/$run/data"
    Messaging__Transport=RabbitMq
    "Auth__SigningKey=$(cat "$run/signing.key")"
  )
  for s in "${services[@]}"; do start_one "$s" "${common[@]}"; done
  local proxy=(ASPNETCORE_ENVIRONMENT=Development)
  for s in "${services[@]}"; do
    proxy+=("ReverseProxy__Clusters__${s}__Destinations__primary__Address=http://127.0.0.1:${ports[$s]}/")
  done
  start_one gateway "${proxy[@]}"
  for _ in $(seq 1 120); do
    if curl -fs http://127.0.0.1:5080/health/ready >/dev/null 2>&1; then
      echo "ready: http://127.0.0.1:5080 (stop with: bash deploy/distributed.sh stop)"
      return
    fi
    sleep 0.5
  done
  echo "not ready after 60 s; see $run/*.log" >&2
  exit 1
}

stop() {
  for name in gateway "${services[@]}"; do
    if running "$name"; then
      local pid; pid=$(cat "$run/$name.pid")
      kill "$pid"
      for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
      echo "$name: stopped"
    fi
    rm -f "$run/$name.pid"
  done
}

status() {
  for name in "${services[@]}" gateway; do
    if running "$name"; then echo "$name: running (pid $(cat "$run/$name.pid"))"; else echo "$name: stopped"; fi
  done
  curl -s http://127.0.0.1:5080/health/ready || true
  echo
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
