"""``extract --engine ray``: the same events as the local run, from a local Ray cluster that the
test starts and the command joins (``--address``), as JSON Lines and as Parquet files in the
contract's shape.  CI installs the extra (scripts/test.sh); elsewhere these tests skip."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from support.shared import shared_path

ray = pytest.importorskip("ray", reason="the ray extra is not installed (pip install -r requirements-ray.lock)")
pytestmark = pytest.mark.slow


def cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0", "RAY_AUTH_MODE": "disabled"}
    return subprocess.run([sys.executable, "-m", "eventwire", *args], capture_output=True, text=True, env=env,
                          timeout=600)  # fmt: skip


@pytest.fixture(scope="module")
def shards(tmp_path_factory) -> list[Path]:
    """Public-domain stories in two JSONL shards, the first with a line the reader rejects."""
    lines = shared_path("corpus", "voa_stories.jsonl").read_text(encoding="utf-8").splitlines()[:6]
    folder = tmp_path_factory.mktemp("shards")
    a, b = folder / "part-0.jsonl", folder / "part-1.jsonl"
    a.write_text("\n".join([*lines[:2], '{"id": "empty", "text": ""}', lines[2]]) + "\n", encoding="utf-8")
    b.write_text("\n".join(lines[3:]) + "\n", encoding="utf-8")
    return [a, b]


@pytest.fixture(scope="module")
def cluster():
    """A local Ray cluster (head node on this machine) for the module."""
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    os.environ.setdefault("RAY_AUTH_MODE", "disabled")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        yield ray.get_runtime_context().gcs_address
    finally:
        ray.shutdown()


def test_ray_engine_gives_the_events_of_the_local_run(shards, cluster, tmp_path):
    paths = [str(p) for p in shards]
    local = cli("extract", *paths, "--workers", "1")
    on_ray = cli("extract", *paths, "--engine", "ray", "--address", cluster, "--workers", "2")
    assert local.returncode == on_ray.returncode == 1, on_ray.stderr  # the empty line
    assert "empty 'text'" in on_ray.stderr and f"{shards[0]}:3" in on_ray.stderr
    assert on_ray.stdout == local.stdout and local.stdout.count("\n") > 20

    # Parquet files written by the workers, in the shape of `eventwire events --format parquet`
    import pyarrow.parquet as pq

    from eventwire.output.parquet import SCHEMA

    out = tmp_path / "events"
    res = cli("extract", *paths, "--engine", "ray", "--address", cluster, "--format", "parquet", "-o", str(out))
    assert res.returncode == 1, res.stderr
    table = pq.read_table(out)
    assert table.schema.names == SCHEMA.names
    local_file = tmp_path / "local.parquet"
    assert cli("extract", *paths, "--workers", "1", "--format", "parquet", "-o", str(local_file)).returncode == 1
    assert sorted(table.column("id").to_pylist()) == sorted(pq.read_table(local_file).column("id").to_pylist())


def test_ray_engine_keeps_the_options_of_the_local_run(shards, cluster):
    paths = [str(p) for p in shards]
    opts = ["--all-events", "--min-confidence", "0.6", "--format", "csv"]
    local = cli("extract", *paths, "--workers", "1", *opts)
    on_ray = cli("extract", *paths, "--engine", "ray", "--address", cluster, *opts)
    assert on_ray.stdout == local.stdout and local.stdout.count("\n") > 3


def test_ray_engine_names_missing_inputs_and_codes_the_rest(shards, cluster):
    res = cli("extract", str(shards[1]), "nowhere.jsonl", "--engine", "ray", "--address", cluster)
    assert res.returncode == 1
    assert "nowhere.jsonl: no such file" in res.stderr
    assert res.stdout.count("\n") > 5
