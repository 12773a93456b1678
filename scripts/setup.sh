#!/usr/bin/env bash
# Create .venv (if needed) and install eventwire with its pinned, hash-checked dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.eventwire-lock.sha256
want=$(sha256sum requirements-bootstrap.lock requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-bootstrap.lock
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
  echo "$want" > "$stamp"
fi
# build the offline gazetteer index once (GeoNames cities500 + pycountry + the curated supplement)
.venv/bin/python -c "from eventwire.geo import load_gazetteer; load_gazetteer()" >/dev/null
