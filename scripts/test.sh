#!/usr/bin/env bash
# Set up the environment and run the whole test suite (lint + pytest).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/system-deps.sh
.venv/bin/ruff check src tests benchmarks
.venv/bin/python -m pytest -rs "$@"
