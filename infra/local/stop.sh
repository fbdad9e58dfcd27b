#!/usr/bin/env bash
# Stops the Azurite started by start.sh, by the PID it recorded (never by name).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
data="${AZURITE_DATA:-$here/../../.azurite}"
pidfile="$data/azurite.pid"
if [ ! -f "$pidfile" ]; then echo "No $pidfile: nothing to stop."; exit 0; fi
pid="$(cat "$pidfile")"
if kill -0 "$pid" 2>/dev/null; then kill "$pid" && echo "Stopped Azurite (pid $pid)."; else echo "Azurite (pid $pid) was not running."; fi
rm -f "$pidfile"
