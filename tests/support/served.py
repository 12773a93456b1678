"""A real ``eventwire serve`` on 127.0.0.1 for the API and browser tests, and the seed store it
serves (examples/seed.jsonl ingested through the real pipeline by the real command line)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "examples" / "seed.jsonl"
CLI = [sys.executable, "-c", "from eventwire.cli import main; main()"]
TOKEN = "test-writer-token-0123456789"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ingest_seed(db: Path) -> Path:
    out = subprocess.run([*CLI, "ingest", str(SEED), "--db", str(db)], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return db


class Server:
    """``eventwire serve`` in a process of its own; ``url`` is its base URL."""

    def __init__(self, db: Path, *args: str, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        full_env = {k: v for k, v in os.environ.items() if k != "EVENTWIRE_API_TOKEN"}
        full_env.update(env or {})
        self.log = db.with_suffix(f".serve-{self.port}.log")
        self._fh = self.log.open("w")
        self.proc = subprocess.Popen(
            [*CLI, "serve", "--db", str(db), "--port", str(self.port), "--log-level", "warning", *args],
            stdout=self._fh, stderr=subprocess.STDOUT, env=full_env,
        )  # fmt: skip
        deadline = time.time() + 60
        while True:
            try:
                if httpx.get(self.url + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None or time.time() > deadline:
                self.stop()
                raise RuntimeError(f"eventwire serve did not start: {self.log.read_text()[-2000:]}")
            time.sleep(0.2)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self._fh.close()
