#!/usr/bin/env bash
# Build the front-end into inclusion/static/build/ (gitignored): GOV.UK Frontend's
# Sass compiled with Arial and no GOV.UK assets, plus its JavaScript bundle.
# Everything comes from node_modules (npm ci): nothing is fetched at run time.
set -euo pipefail

cd "$(dirname "$0")/.."
out=inclusion/static/build
frontend=node_modules/govuk-frontend/dist

if [[ ! -x node_modules/.bin/sass || ! -d $frontend/govuk ]]; then
  echo "build_static: node_modules is missing; run 'npm ci' (or 'make install') first" >&2
  exit 1
fi

mkdir -p "$out"
node_modules/.bin/sass \
  --no-source-map --style=compressed --quiet-deps \
  --load-path="$frontend" \
  inclusion/static_src/application.scss "$out/application.css"
cp "$frontend/govuk/govuk-frontend.min.js" "$frontend/govuk/govuk-frontend.min.js.map" "$out/"

# The stylesheet must not name the GOV.UK font or a GOV.UK image: they are not ours to use.
if grep -Eq 'GDS Transport|@font-face|govuk-crest|govuk-crown|url\(' "$out/application.css"; then
  echo "build_static: $out/application.css refers to a GOV.UK font or image" >&2
  exit 1
fi
echo "build_static: wrote $out/application.css and $out/govuk-frontend.min.js"
