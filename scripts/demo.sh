#!/usr/bin/env bash
# Set up the environment, code the bundled example article into a table of PLOVER events, then
# ingest all bundled examples into the default event store and print its summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/eventwire extract examples/seed.jsonl --format table
.venv/bin/eventwire ingest examples/seed.jsonl examples/reports.jsonl
.venv/bin/eventwire summary
