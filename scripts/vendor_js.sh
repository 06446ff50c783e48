#!/usr/bin/env bash
# Vendor the browser libraries the web UI uses, from the npm registry (never a CDN at run time).
# npm pack checks each tarball against the registry's integrity hash.
set -euo pipefail
cd "$(dirname "$0")/.."
HTMX_VERSION="${HTMX_VERSION:-2.0.8}"
dest=src/lytter/web/static/vendor
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "htmx.org@${HTMX_VERSION}" >/dev/null && tar xzf htmx.org-*.tgz)
mkdir -p "$dest"
cp "$tmp/package/dist/htmx.min.js" "$dest/htmx.min.js"
cp "$tmp/package/LICENSE" "$dest/htmx.LICENSE"
echo "htmx.org@${HTMX_VERSION} from registry.npmjs.org" > "$dest/VERSIONS"
sha256sum "$dest/htmx.min.js" | tee -a "$dest/VERSIONS"
