#!/usr/bin/env bash
# Makes sure a RabbitMQ broker runs on this machine (127.0.0.1:5672, guest/guest on localhost):
# installs Debian's rabbitmq-server package when it is missing, starts the node when it is not running,
# and waits until it has booted. Used by tests/run.sh and deploy/distributed.sh.
set -euo pipefail

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v rabbitmq-server >/dev/null 2>&1; then
  echo "rabbitmq: installing Debian's rabbitmq-server package"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rabbitmq-server >/dev/null
fi

if as_root rabbitmqctl -q ping >/dev/null 2>&1; then
  echo "rabbitmq: already running"
else
  echo "rabbitmq: starting the node"
  as_root rabbitmq-server -detached
  # -detached returns before the node has registered; await_startup needs a reachable node to wait on.
  for _ in $(seq 1 120); do
    as_root rabbitmqctl -q ping >/dev/null 2>&1 && break
    sleep 1
  done
fi
as_root rabbitmqctl -q await_startup --timeout 120
echo "rabbitmq: ready on 127.0.0.1:5672"
