#!/usr/bin/env bash
# podman as deploy/build-image.sh and the image's tests run it: with deploy/containers-sandbox.conf where podman's
# defaults cannot start a container here. That is found out once per boot, by starting the local base image with
# the defaults, and remembered in a file under TMPDIR; before the base image exists, podman runs as it is.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${CONTAINERS_CONF:-}" ]; then
  choice=${TMPDIR:-/tmp}/mcp-gateway-podman.$(cat /proc/sys/kernel/random/boot_id 2>/dev/null || echo boot)
  if [ ! -f "$choice" ]; then
    base=$(podman images --format '{{.Repository}}:{{.Tag}}' --filter reference=localhost/mcp-gateway-base | head -n 1)
    if [ -n "$base" ]; then
      if podman run --rm --pull=never --network none "$base" /bin/bash -c : >/dev/null 2>&1; then
        echo defaults > "$choice"
      else
        echo sandbox > "$choice"
      fi
    fi
  fi
  if [ -f "$choice" ] && [ "$(cat "$choice")" = sandbox ]; then
    export CONTAINERS_CONF=$here/containers-sandbox.conf
  fi
fi
exec podman "$@"
