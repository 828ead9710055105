#!/usr/bin/env bash
# Lints the contracts, checks that the committed generated code is what buf generates now,
# and checks for breaking changes against the main branch.
set -euo pipefail
cd "$(dirname "$0")/.."
npx buf lint
npx buf format --diff --exit-code --path proto/bourse
rm -rf proto/gen
npx buf generate
if [ -n "$(git status --porcelain -- proto/gen)" ]; then
  echo "proto/gen differs from what 'npm run proto' generates; run it and commit the result:" >&2
  git status --short -- proto/gen >&2
  exit 1
fi
if git rev-parse --verify --quiet main >/dev/null && git ls-tree -r --name-only main -- proto | grep -q '\.proto$'; then
  npx buf breaking --against '.git#branch=main'
fi
echo "proto: lint, format, generated code and breaking-change checks passed"
