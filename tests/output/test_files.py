"""``output.files.open_output``: the one writer behind every ``-o`` and export."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
import threading

import pytest

from eventwire.output.files import OutputError, current_umask, open_output


def _write(path, text="new\n", binary=False):
    with open_output(path, binary=binary) as fh:
        fh.write(text.encode() if binary else text)


def test_a_new_file_respects_the_umask(tmp_path):
    old = os.umask(0o027)
    try:
        assert current_umask() == 0o027
        _write(tmp_path / "out.jsonl")
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "out.jsonl").st_mode) == 0o640
    assert (tmp_path / "out.jsonl").read_text() == "new\n"


def test_a_replaced_file_keeps_its_mode_and_no_temporary_file_is_left(tmp_path):
    out = tmp_path / "events.csv"
    out.write_text("old\n")
    os.chmod(out, 0o604)
    _write(out)
    assert out.read_text() == "new\n"
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o604
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.csv"]


def test_a_symlink_stays_a_link_and_its_target_gets_the_output(tmp_path):
    shared = tmp_path / "shared.txt"
    shared.write_text("old\n")
    link = tmp_path / "link.jsonl"
    link.symlink_to(shared)
    _write(link)
    assert link.is_symlink() and os.readlink(link) == str(shared)
    assert shared.read_text() == "new\n"


def test_a_fifo_is_written_in_place_not_replaced(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    _write(fifo, "through the pipe\n")
    reader.join(10)
    assert got == [b"through the pipe\n"]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_devices_are_written_in_place(tmp_path):
    _write("/dev/null")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    link = tmp_path / "null-link"
    link.symlink_to("/dev/null")
    _write(link)
    assert link.is_symlink()


def test_a_failed_run_leaves_the_old_file(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text("old\n")
    with pytest.raises(RuntimeError), open_output(out) as fh:
        fh.write("half")
        raise RuntimeError("the run failed")
    assert out.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"]


@pytest.mark.parametrize("target, words", [
    ("missing/out.jsonl", "does not exist"),
    (".", "is a folder"),
    ("file/out.jsonl", "is not a folder"),
])  # fmt: skip
def test_unusable_paths_fail_before_anything_is_written(tmp_path, target, words):
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError) as err, open_output(tmp_path / target):
        raise AssertionError("must not get here")
    assert err.value.when == "open" and words in str(err.value)


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write in any folder")
def test_a_read_only_folder_fails_before_anything_is_written(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(OutputError) as err, open_output(folder / "out.jsonl"):
            raise AssertionError("must not get here")
        assert err.value.when == "open" and "Permission denied" in str(err.value)
    finally:
        folder.chmod(0o700)


def test_a_full_device_is_a_write_error():
    with pytest.raises(OutputError) as err, open_output("/dev/full") as fh:
        fh.write("x" * 100_000)
    assert err.value.when == "write" and err.value.errno == errno.ENOSPC


def test_a_full_disk_leaves_the_old_file_and_no_temporary_file(tmp_path):
    """A file size limit makes writes fail as a full disk does, in a process of its own."""
    out = tmp_path / "out.jsonl"
    out.write_text("old\n")
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))\n"
        "from eventwire.output.files import open_output, OutputError\n"
        "try:\n"
        f"    with open_output({str(out)!r}) as fh:\n"
        "        for _ in range(100): fh.write('y' * 1000 + '\\n')\n"
        "except OutputError as e:\n"
        "    print(e.when, e.message); sys.exit(1)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and proc.stdout.startswith("write cannot write"), proc.stdout + proc.stderr
    assert out.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"]


def test_binary_output_and_stdout(capfd):
    with open_output(None) as fh:
        fh.write("to stdout\n")
    assert capfd.readouterr().out == "to stdout\n"
