#!/usr/bin/env bash
# Makes the figure gallery (docs/gallery) from the real instrument files in ../shared/data/real with the CLI's local
# analyses: both MRI cells of the seed paper (published model), the Li||Li cell with the EO:Li-ratio model, and the
# impedance example with its circuit fit. Everything here is generated; run it again after a change to the figures.
set -euo pipefail
cd "$(dirname "$0")/../.."
shared="${CLOUDPIPELINE_SHARED:-../shared}/data/real"
gallery=docs/gallery
cli=(dotnet run --project functions/CloudPipeline.Cli -c Release --)
dotnet build functions/CloudPipeline.Cli -c Release -v quiet -nologo >/dev/null

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
run() { "${cli[@]}" "$@" >/dev/null; }
for cell in Li_Li NMC622_Li; do
  manifest=docs/examples/mri-$(tr '[:upper:]' '[:lower:]' <<<"$cell" | tr '_' '-').json
  run analyze mri-drift --profiles "$shared/thienenkamp-mri/$cell" --voltage "$shared/thienenkamp-mri/$cell/POL.txt" --manifest "$manifest" --out "$work/mri-$cell"
done
run analyze mri-drift --profiles "$shared/thienenkamp-mri/Li_Li" --voltage "$shared/thienenkamp-mri/Li_Li/POL.txt" \
  --manifest docs/examples/mri-li-li.eo-ratio.json --out "$work/mri-Li_Li-eo-ratio"
run analyze eis "$shared/eis-csv/exampleData.csv" --circuit "R0-p(R1-Wo1,C1)" --initial-guess 0.01,0.005,0.01,200,0.1 --capacitive-only --out "$work/eis-exampleData"

rm -rf "$gallery"/*/
{
  echo "# Figure gallery"
  echo
  echo "Made by \`bash docs/gallery/make.sh\` from the real files in \`../shared/data/real\` (see its SOURCES.md); nothing here is edited by hand."
  for dir in "$work"/*/; do
    name=$(basename "$dir")
    mkdir -p "$gallery/$name"
    cp "$dir"/*.png "$gallery/$name/"
    echo
    echo "## $name"
    echo
    for png in "$gallery/$name"/*.png; do
      echo "![$(basename "$png" .png)]($name/$(basename "$png"))"
    done
  done
} > "$gallery/README.md"
echo "gallery written to $gallery ($(find "$gallery" -name '*.png' | wc -l) figures)"
