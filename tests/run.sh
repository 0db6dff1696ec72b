#!/usr/bin/env bash
# Runs every test of the marketplace: restores and builds, makes sure RabbitMQ runs (installing Debian's package
# when it is missing: the messaging tests need a real broker), that an S3-compatible store runs (s3rver from npm: the
# delivery tests store files in it) and that Compose is there (to validate deploy/docker-compose.yml), then runs the
# suite and prints the total as "N passed, N failed".
# Exits non-zero when anything failed.
set -euo pipefail
cd "$(dirname "$0")/.."

bash deploy/rabbitmq.sh
bash deploy/s3.sh
# The compose file is validated by Compose itself: the Docker CLI plugin where there is one, else Debian's docker-compose.
if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null 2>&1; then
  echo "compose: installing Debian's docker-compose package"
  if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null
fi

results=TestResults
rm -rf "$results"
status=0
dotnet test Marketplace.sln -c Release --logger trx --results-directory "$results" "$@" || status=$?

sum() { grep -ho "<Counters [^>]*>" "$results"/*.trx 2>/dev/null | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' | awk '{s+=$1} END {print s+0}'; }
passed=$(sum passed)
failed=$(( $(sum failed) + $(sum error) + $(sum timeout) + $(sum aborted) ))
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1  # the build or the runner failed before any result was written
fi
echo "$passed passed, $failed failed"
exit "$status"
