#!/usr/bin/env bash
# Makes sure an S3-compatible object store runs on this machine (127.0.0.1:${S3_PORT:-4569}): s3rver from the npm
# registry (deploy/s3/package.json, installed with npm ci, Debian's nodejs and npm when node is missing), its objects
# under ${S3_DIRECTORY:-/tmp/marketplace-s3}. Used by tests/run.sh: the delivery tests run the blob store contract
# against it as well as against the file system.
set -euo pipefail
cd "$(dirname "$0")/s3"
port=${S3_PORT:-4569}
up() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

if up; then
  echo "s3: already running on 127.0.0.1:$port"
  exit 0
fi

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v npm >/dev/null 2>&1; then
  echo "s3: installing Debian's nodejs and npm packages"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi
[ -x node_modules/.bin/s3rver ] || npm ci --no-audit --no-fund --silent

directory=${S3_DIRECTORY:-/tmp/marketplace-s3}
mkdir -p "$directory"
nohup node_modules/.bin/s3rver -d "$directory" -a 127.0.0.1 -p "$port" --silent >"$directory.log" 2>&1 &
for _ in $(seq 1 120); do
  up && break
  sleep 0.5
done
up || { echo "s3: s3rver did not start"; cat "$directory.log"; exit 1; }
echo "s3: ready on 127.0.0.1:$port"
