#!/usr/bin/env bash
# Publishes the Functions app into OUT/app and zips it as OUT/cloudpipeline-functions.zip, the package that
# Flex Consumption's one deploy takes. The deploy workflow runs exactly this; InfrastructureTests runs it with
# --folder-only and checks the folder.
#   usage: infra/azure/publish.sh OUT [--folder-only]
set -euo pipefail
out="${1:?usage: infra/azure/publish.sh OUT [--folder-only]}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
rm -rf "$out/app" "$out/cloudpipeline-functions.zip"

# ReadyToRun for Flex Consumption's Linux x64 workers: the app's assemblies and their dependencies arrive
# precompiled, so a cold start JIT-compiles far less (the CLI's analyses start in half the time with it).
dotnet publish "$root/functions/CloudPipeline.Functions/CloudPipeline.Functions.csproj" -c Release -r linux-x64 --self-contained false \
  -p:PublishReadyToRun=true -o "$out/app" --nologo -v quiet

# What the Functions host needs to load the app: the function index, the worker, and the extensions payload.
for required in functions.metadata host.json worker.config.json extensions.json CloudPipeline.Functions.dll .azurefunctions/function.deps.json; do
  if [ ! -e "$out/app/$required" ]; then
    echo "error: the published app lacks $required" >&2
    exit 1
  fi
done

if [ "${2:-}" = "--folder-only" ]; then
  echo "published to $out/app"
  exit 0
fi
if ! command -v zip >/dev/null; then
  echo "error: 'zip' is needed to package the app (apt-get install zip)" >&2
  exit 1
fi
(cd "$out/app" && zip -qr "$out/cloudpipeline-functions.zip" .)
echo "package: $out/cloudpipeline-functions.zip"
