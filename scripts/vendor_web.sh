#!/usr/bin/env bash
# Vendor the web page's libraries from the npm registry into src/eventwire/web/static/vendor/
# (run by a developer when upgrading them; the result is committed, so users need neither npm
# nor a network).  Versions are pinned here and recorded, with each licence, in vendor/VERSIONS.
set -euo pipefail
cd "$(dirname "$0")/.."
PACKAGES=(leaflet@1.9.4 leaflet.markercluster@1.5.3 topojson-client@3.1.0 world-atlas@2.0.2)
dest=src/eventwire/web/static/vendor
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm init -y >/dev/null && npm install --no-audit --no-fund --ignore-scripts --save-exact "${PACKAGES[@]}" >/dev/null)
nm=$tmp/node_modules
rm -rf "$dest"
mkdir -p "$dest/leaflet/images" "$dest/leaflet.markercluster" "$dest/topojson-client" "$dest/world-atlas"
cp "$nm/leaflet/dist/leaflet.js" "$nm/leaflet/dist/leaflet.css" "$nm/leaflet/LICENSE" "$dest/leaflet/"
cp "$nm"/leaflet/dist/images/*.png "$dest/leaflet/images/"
cp "$nm/leaflet.markercluster/dist/leaflet.markercluster.js" "$nm/leaflet.markercluster/dist/MarkerCluster.css" \
   "$nm/leaflet.markercluster/dist/MarkerCluster.Default.css" "$nm/leaflet.markercluster/MIT-LICENCE.txt" \
   "$dest/leaflet.markercluster/"
cp "$nm/topojson-client/dist/topojson-client.min.js" "$nm/topojson-client/LICENSE" "$dest/topojson-client/"
cp "$nm/world-atlas/countries-50m.json" "$nm/world-atlas/LICENSE" "$dest/world-atlas/"
{
  echo "# Vendored by scripts/vendor_web.sh from the npm registry; do not edit by hand."
  for pkg in leaflet leaflet.markercluster topojson-client world-atlas; do
    node -e "const p=require('$nm/$pkg/package.json'); console.log([p.name, p.version, p.license].join('\t'))"
  done
} > "$dest/VERSIONS"
cat "$dest/VERSIONS"
du -sh "$dest"
