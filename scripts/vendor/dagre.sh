#!/usr/bin/env bash
# Builds engine/ui/static/vendor/dagre/dagre.esm.js: @dagrejs/dagre (graph layout for the flow
# designer) and its one dependency @dagrejs/graphlib bundled by esbuild into ONE ES module with no
# bare imports (the page's CSP is script-src 'self' and we use no importmap).
# Run from anywhere: bash scripts/vendor/dagre.sh   (needs node + npm; downloads from the npm registry)
set -euo pipefail

DAGRE_VERSION=3.1.3      # pinned; graphlib comes pinned by dagre (4.0.6)
ESBUILD_VERSION=0.28.2

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="$ROOT/engine/ui/static/vendor/dagre"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cd "$WORK"
npm init -y >/dev/null
npm install --no-audit --no-fund --save-exact \
  "@dagrejs/dagre@$DAGRE_VERSION" "esbuild@$ESBUILD_VERSION" >/dev/null
printf 'export { default, layout, graphlib, version } from "@dagrejs/dagre";\n' > entry.js
mkdir -p "$OUT"
npx esbuild entry.js --bundle --format=esm --minify --legal-comments=none \
  --banner:js="/* @dagrejs/dagre $DAGRE_VERSION + @dagrejs/graphlib $(node -p "require('./node_modules/@dagrejs/graphlib/package.json').version") | MIT, see LICENSE | built by scripts/vendor/dagre.sh */" \
  --outfile="$OUT/dagre.esm.js"
{
  echo "@dagrejs/dagre $DAGRE_VERSION:"
  echo
  cat node_modules/@dagrejs/dagre/LICENSE
  echo
  echo "@dagrejs/graphlib $(node -p "require('./node_modules/@dagrejs/graphlib/package.json').version"):"
  echo
  cat node_modules/@dagrejs/graphlib/LICENSE
} > "$OUT/LICENSE"
echo "wrote $OUT/dagre.esm.js ($(wc -c < "$OUT/dagre.esm.js") bytes) and $OUT/LICENSE"
