#!/usr/bin/env bash
# Starts Azurite on loopback (Blob 10000, Queue 10001, Table 10002) with its data in .azurite/
# and writes its PID to .azurite/azurite.pid. Installs the pinned version first if needed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
data="${AZURITE_DATA:-$here/../../.azurite}"
mkdir -p "$data"
[ -f "$here/node_modules/azurite/dist/src/azurite.js" ] || (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
node "$here/node_modules/azurite/dist/src/azurite.js" --silent --skipApiVersionCheck --location "$data" \
  --blobHost 127.0.0.1 --blobPort "${AZURITE_BLOB_PORT:-10000}" \
  --queueHost 127.0.0.1 --queuePort "${AZURITE_QUEUE_PORT:-10001}" \
  --tableHost 127.0.0.1 --tablePort "${AZURITE_TABLE_PORT:-10002}" &
echo $! > "$data/azurite.pid"
echo "Azurite started, pid $(cat "$data/azurite.pid"), data in $data"
