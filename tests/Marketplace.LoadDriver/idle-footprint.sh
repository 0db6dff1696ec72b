#!/usr/bin/env bash
# Start to ready and idle memory of each service host, as Production runs them: each host alone (RabbitMQ running,
# `bash deploy/rabbitmq.sh`), a fresh SQLite folder, generated keys; ready = /health/ready answers 200; idle RSS is
# read 15 s later. Build first: dotnet build -c Release. Prints one line per service.
set -euo pipefail
cd "$(dirname "$0")/../.."
key() { openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt -outform DER | base64 -w0; }
for service in Catalog Rights Pricing Settlement; do
  data=$(mktemp -d)
  log=$(mktemp)
  start=$(date +%s.%N)
  ASPNETCORE_ENVIRONMENT=Production Database__SqliteDirectory="$data" Messaging__Transport=RabbitMq \
    Auth__SigningKey="$(head -c 32 /dev/urandom | base64)" Rights__Certificates__SigningKey="$(key)" Settlement__Vouchers__SigningKey="$(key)" \
    dotnet "services/${service,,}/Marketplace.$service.Host/bin/Release/net10.0/Marketplace.$service.Host.dll" --urls http://127.0.0.1:5199 >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 600); do curl -sf http://127.0.0.1:5199/health/ready >/dev/null && break; sleep 0.05; done
  ready=$(date +%s.%N)
  sleep 15
  rss=$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status")
  printf '%-10s start to ready %.2f s, idle RSS %s MB\n' "$service" "$(echo "$ready - $start" | bc)" "$rss"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$data" "$log"
done
