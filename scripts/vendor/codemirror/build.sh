#!/bin/sh
# Builds engine/ui/static/vendor/codemirror/codemirror.js: CodeMirror 6 (MIT) with the JSON language,
# lint, search and autocompletion, as ONE ES module. The pages' CSP allows scripts from 'self' only
# (no CDN, no importmap), so esbuild resolves the bare imports between the packages here.
# Versions are pinned in package.json and package-lock.json beside this script (npm ci installs exactly
# those). Needs node and npm with access to the npm registry.  Usage: sh scripts/vendor/codemirror/build.sh
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
OUT="$ROOT/engine/ui/static/vendor/codemirror"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cp "$HERE/package.json" "$HERE/entry.js" "$WORK/"
if [ -f "$HERE/package-lock.json" ]; then
  cp "$HERE/package-lock.json" "$WORK/"
  (cd "$WORK" && npm ci --no-audit --no-fund --silent)
else
  (cd "$WORK" && npm install --no-audit --no-fund --silent)
  cp "$WORK/package-lock.json" "$HERE/package-lock.json"
fi
(cd "$WORK" && ./node_modules/.bin/esbuild entry.js --bundle --format=esm --minify --legal-comments=none \
  --target=es2020 --log-level=warning --outfile=codemirror.js)
mkdir -p "$OUT"
rm -rf "$OUT"/LICENSE* "$OUT"/licenses
{
  echo "/* CodeMirror 6 and its dependencies (MIT; LICENSE and licenses/<package>/LICENSE beside this file),"
  echo " * one ES module built by scripts/vendor/codemirror/build.sh. Package versions:"
  for dir in "$WORK"/node_modules/codemirror "$WORK"/node_modules/@codemirror/* "$WORK"/node_modules/@lezer/* \
      "$WORK"/node_modules/@marijn/* "$WORK"/node_modules/style-mod "$WORK"/node_modules/w3c-keyname \
      "$WORK"/node_modules/crelt; do
    [ -d "$dir" ] || continue
    name=$(node -p "require('$dir/package.json').name")
    version=$(node -p "require('$dir/package.json').version")
    echo " *   $name $version"
    label=$(echo "$name" | sed 's/^@//; s#/#-#')
    for lic in "$dir"/LICENSE*; do
      [ -f "$lic" ] || continue
      mkdir -p "$OUT/licenses/$label"
      { echo "$name $version"; echo; cat "$lic"; } > "$OUT/licenses/$label/LICENSE"
    done
  done
  echo " */"
  cat "$WORK/codemirror.js"
} > "$OUT/codemirror.js"
cp "$OUT/licenses/codemirror/LICENSE" "$OUT/LICENSE"
echo "built $OUT/codemirror.js ($(wc -c < "$OUT/codemirror.js") bytes)"
