#!/usr/bin/env bash
# Cold start of the local host, as a scale-out instance sees it: from exec to the first answer of GET /health, with
# Azurite already running (started here on free loopback ports, in memory). Two builds of the same host: the
# framework-dependent build (JIT at start) and `dotnet publish -p:PublishReadyToRun=true` (precompiled, as
# infra/azure/publish.sh publishes the Functions app). Each is started RUNS times (default 5) on a task hub that an
# untimed first start created (as a new instance joins an existing hub); prints min and median.
#   usage: tests/CloudPipeline.Benchmarks/host-cold-start.sh [RUNS]
set -euo pipefail
runs="${1:-5}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$(mktemp -d)"
azurite_pid=""
cleanup() { [ -n "$azurite_pid" ] && kill "$azurite_pid" 2>/dev/null || true; rm -rf "$out"; }
trap cleanup EXIT
rid="$(dotnet --info | sed -n 's/^ *RID: *//p' | head -n 1)"
project="$root/functions/CloudPipeline.LocalHost/CloudPipeline.LocalHost.csproj"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
blob=$(free_port); queue=$(free_port); table=$(free_port); api=$(free_port)
[ -f "$root/infra/local/node_modules/azurite/dist/src/azurite.js" ] || (cd "$root/infra/local" && npm ci --no-audit --no-fund --loglevel=error)
node "$root/infra/local/node_modules/azurite/dist/src/azurite.js" --silent --skipApiVersionCheck --inMemoryPersistence \
  --blobHost 127.0.0.1 --blobPort "$blob" --queueHost 127.0.0.1 --queuePort "$queue" --tableHost 127.0.0.1 --tablePort "$table" &
azurite_pid=$!
key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
export CloudPipeline__Storage__ConnectionString="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$blob/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table/devstoreaccount1;"
export Urls="http://127.0.0.1:$api"

dotnet build "$project" -c Release -o "$out/jit" --nologo -v quiet >/dev/null
dotnet publish "$project" -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true -o "$out/r2r" --nologo -v quiet >/dev/null

export CloudPipeline__LocalHost__TaskHub="coldstart"
# Starts the host, waits for /health, stops it; prints the milliseconds from exec to the first answer.
start_once() {
  local start end
  start=$(date +%s%N)
  dotnet "$1" >"$out/host.log" 2>&1 &
  local pid=$!
  until curl -fs "http://127.0.0.1:$api/health" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { echo "error: the host exited; its log:" >&2; cat "$out/host.log" >&2; exit 1; }
    sleep 0.01
  done
  end=$(date +%s%N)
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  echo $(( (end - start) / 1000000 ))
}

time_start() {
  local label="$1" dll="$2" times=()
  for _ in $(seq "$runs"); do
    times+=("$(start_once "$dll")")
  done
  local sorted; sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  printf '%-48s min %5d ms   median %5d ms   (%d starts)\n' "$label" "$(head -n 1 <<<"$sorted")" "$(sed -n "$(( (runs + 1) / 2 ))p" <<<"$sorted")" "$runs"
}
start_once "$out/jit/CloudPipeline.LocalHost.dll" >/dev/null # creates the task hub, the containers, queues and tables
time_start "local host, framework-dependent (JIT)" "$out/jit/CloudPipeline.LocalHost.dll"
time_start "local host, ReadyToRun" "$out/r2r/CloudPipeline.LocalHost.dll"
