#!/usr/bin/env bash
# Whole-process timing of the CLI, as a lab script that calls it once per file sees it: publishes the CLI
# (Release, Native AOT for this machine's runtime identifier, as `dotnet publish` of the CLI always does; linking needs
# a C toolchain, gcc or clang) and runs each command RUNS times (default 10),
# printing the minimum and the median wall time. The peer figure the speed issue gives (same machine kind): the MRI
# authors' Octave script (`octave -q`, output printing off) 0.20–0.27 s per cell; its targets: mri-drift under
# 0.15 s and the Randles `analyze eis` under 0.2 s (minimum of 10 runs).
#   usage: tests/CloudPipeline.Benchmarks/whole-process.sh [RUNS]
set -euo pipefail
runs="${1:-10}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
real="$root/../shared/data/real"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
rid="$(dotnet --info | sed -n 's/^ *RID: *//p' | head -n 1)"
# Published from a copy of the sources: a native publish must not share obj/ with the framework-dependent builds the
# tests use.
mkdir -p "$out/src"
git -C "$root" ls-files -z | (cd "$root" && xargs -0 cp --parents -t "$out/src")
if ! dotnet publish "$out/src/functions/CloudPipeline.Cli/CloudPipeline.Cli.csproj" -c Release -r "$rid" -o "$out/cli" --nologo -v quiet >"$out/publish.log" 2>&1; then
  echo "error: the native (AOT) publish of the CLI failed; is a C toolchain (gcc or clang) installed? Last lines:" >&2
  tail -n 20 "$out/publish.log" >&2
  exit 1
fi
cli="$out/cli/cloudpipeline"

time_command() {
  local label="$1"; shift
  "$@" >/dev/null # warm the file cache once
  local times=()
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  local sorted
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  printf '%-58s min %4d ms   median %4d ms   (%d runs)\n' "$label" "$(head -n 1 <<<"$sorted")" "$(sed -n "$(( (runs + 1) / 2 ))p" <<<"$sorted")" "$runs"
}

time_command "cloudpipeline --version" "$cli" --version
if [ -d "$real/thienenkamp-mri" ]; then
  time_command "analyze mri-drift, Li||Li cell (CSV, JSON, plots)" "$cli" analyze mri-drift --profiles "$real/thienenkamp-mri/Li_Li" \
    --voltage "$real/thienenkamp-mri/Li_Li/POL.txt" --manifest "$root/docs/examples/mri-li-li.json" --out "$out/li-li"
fi
if [ -f "$real/eis-csv/exampleData.csv" ]; then
  time_command "analyze eis exampleData.csv, Randles fit" "$cli" analyze eis "$real/eis-csv/exampleData.csv" --capacitive-only \
    --circuit "R0-p(R1-Wo1,C1)" --initial-guess 0.01,0.005,0.01,200,0.1
fi
