#!/usr/bin/env bash
# Set up the environment and code the bundled example article into PLOVER events.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/eventwire extract examples/seed.jsonl --format table
