#!/usr/bin/env bash
# Set up the environment, code the bundled example article into a table of PLOVER events, then
# ingest all bundled examples into the default event store, print its summary and say how to
# serve it (eventwire serve: the web page and the HTTP API).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/eventwire extract examples/seed.jsonl --format table
.venv/bin/eventwire ingest examples/seed.jsonl examples/reports.jsonl
.venv/bin/eventwire summary
echo
echo "To explore this store in a browser (map, timeline, evidence) or over HTTP, run:"
echo "  .venv/bin/eventwire serve        # then open http://127.0.0.1:8000/ (Ctrl-C stops it)"
