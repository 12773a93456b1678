"""Hostile and careless use of the command line: every error is one line with its documented
exit code, nothing is overwritten that should not be, untrusted text never drives the terminal.
(``support.cli`` checks every run's stderr for tracebacks.)"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess

import pytest

from support.cli import EVENTWIRE, check_stderr, run, run_process

pytestmark = pytest.mark.slow

KIRKUK = {"id": "kirkuk-1", "text": "Gunmen killed two police officers in Kirkuk on Monday, officials said.",
          "publication_date": "2021-06-09"}  # fmt: skip
MARKUP = {"id": "markup-[/]-1",
          "text": "Gunmen [/] killed [bold red]two[/bold red] police officers in [link=x]Kirkuk[/link] on Monday.",
          "publication_date": "2021-06-09"}  # fmt: skip


def _jsonl(path, *records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return str(path)


def _one_line_errors(stderr: str) -> list[str]:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert all(line.startswith("eventwire: ") for line in lines), stderr
    return lines


def test_article_text_is_never_rich_markup(tmp_path):
    src = _jsonl(tmp_path / "m.jsonl", MARKUP)
    res = run("extract", src, "--format", "table")
    assert res.exit_code == 0, res.stderr
    assert "[bold red]two[/bold red]" in res.stdout


def test_table_cells_print_markup_and_escapes_literally():
    import io

    from rich.console import Console

    from eventwire.cli.extract import events_table
    from eventwire.cli.store import records_table
    from eventwire.model import Actor, CanonicalEvent, Event, StoredEvent

    ev = Event(doc_id="d[/]", event=["ASSAULT"], actor=[Actor("[/]Gunmen\x1b[31m", "IRQ", "UAF")],
               event_text=["[/bold]killed"])
    ev.assign_id()
    evil = Event.from_plover({**ev.to_plover(), "id": "ew-[/]\x1b]8;;x\x07"})
    stored, merged = StoredEvent(evil), CanonicalEvent(evil, n_reports=2)
    for table in (events_table([ev]), records_table([stored], canonical=False), records_table([merged], canonical=True)):
        buf = io.StringIO()
        Console(file=buf, width=200, force_terminal=True).print(table)
        out = buf.getvalue()
        assert "[/]Gunmen" in out and "\\x1b[31m" in out and "\x1b[31m" not in out and "\x1b]8" not in out


def test_control_characters_never_reach_the_terminal(tmp_path):
    evil = {"id": "\x1b[2J\x1b[31mevil", "text": "x"}
    src = _jsonl(tmp_path / "e\x1b[1m.jsonl", evil, KIRKUK)
    res = run("extract", src, "--format", "table")
    assert res.exit_code == 1
    assert "\x1b" not in res.stderr and "e\\x1b[1m.jsonl:1" in res.stderr
    (line,) = _one_line_errors(res.stderr)
    assert "control characters" in line


@pytest.mark.parametrize("args, words", [
    (["events", "--limit", "99999999999999999999"], "--limit"),
    (["summary", "--top", "99999999999999999999"], "--top"),
    (["extract", "x.jsonl", "--model", "os"], "'os' is not a spaCy pipeline"),
    (["extract", "x.jsonl", "--model", "no_such_pipeline"], "not installed"),
    (["extract", "x.jsonl", "--format", "xml"], "--format 'xml'"),
    (["extract", "x.jsonl", "--publication-date", "0001-01-01"], "outside 1800-2199"),
    (["extract", "x.jsonl", "--no-such-option"], "No such option"),
    (["events", "--db", "foo://x"], "unsupported database 'foo'"),
    (["events", "--db", "mysql://u:hunter2@h/db"], "unsupported database 'mysql'"),
    (["ingest", "x.jsonl", "--db", "sqlite://"], "in-memory"),
    (["summary", "--db", "postgresql://u:hunter2@127.0.0.1:9/db?connect_timeout=1"], "cannot open store"),
])  # fmt: skip
def test_usage_errors_are_one_line_with_exit_2(tmp_path, args, words):
    _jsonl(tmp_path / "x.jsonl", KIRKUK)
    args = [str(tmp_path / a) if a == "x.jsonl" else a for a in args]
    res = run(*args)
    assert res.exit_code == 2, res.stderr
    (line,) = _one_line_errors(res.stderr)
    assert words in line and "hunter2" not in line


def test_a_store_folder_that_cannot_be_created_is_a_usage_error(tmp_path):
    (tmp_path / "file").write_text("x")
    res = run("ingest", _jsonl(tmp_path / "x.jsonl", KIRKUK), "--db", str(tmp_path / "file" / "sub" / "s.sqlite"))
    assert res.exit_code == 2
    (line,) = _one_line_errors(res.stderr)
    assert "cannot create the folder" in line


def test_read_commands_never_create_a_store(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for args in (["summary"], ["events"], ["explain", "ewc-1"]):
        res = run(*args, "--db", "typo.sqlite")
        assert res.exit_code == 2 and "no store at typo.sqlite" in res.stderr
    res = run("summary", env={"EVENTWIRE_DB": "postgresql://ew@127.0.0.1:9/nowhere?connect_timeout=1"})
    assert res.exit_code == 2 and "127.0.0.1:9" in res.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("target, words", [
    ("missing/out.jsonl", "does not exist"), (".", "is a folder"), ("file/out.jsonl", "is not a folder"),
])  # fmt: skip
def test_unusable_output_paths_fail_before_any_work(tmp_path, target, words):
    (tmp_path / "file").write_text("x")
    res = run("extract", _jsonl(tmp_path / "x.jsonl", KIRKUK), "-o", str(tmp_path / target))
    assert res.exit_code == 2
    (line,) = _one_line_errors(res.stderr)
    assert words in line


def test_output_to_a_link_a_device_and_a_full_device(tmp_path):
    src = _jsonl(tmp_path / "x.jsonl", KIRKUK)
    shared = tmp_path / "shared.jsonl"
    shared.write_text("old\n")
    link = tmp_path / "link.jsonl"
    link.symlink_to(shared)
    assert run("extract", src, "-o", str(link)).exit_code == 0
    assert link.is_symlink() and json.loads(shared.read_text())["doc_id"] == "kirkuk-1"
    assert run("extract", src, "-o", "/dev/null").exit_code == 0
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    res = run("extract", src, "-o", "/dev/full")
    assert res.exit_code == 1
    (line,) = _one_line_errors(res.stderr)
    assert "/dev/full: cannot write (No space left on device)" in line


def test_a_full_stdout_is_one_line_and_exit_1(tmp_path):
    """No model is loaded when every input is rejected: the CSV header alone meets the full disk."""
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n")
    with open("/dev/full", "w") as full:
        proc = subprocess.run([*EVENTWIRE, "extract", str(bad), "--format", "csv"], stdout=full,
                              stderr=subprocess.PIPE, text=True, timeout=120)  # fmt: skip
    check_stderr(["extract"], proc.stderr)
    assert proc.returncode == 1
    assert _one_line_errors(proc.stderr)[-1] == "eventwire: <stdout>: cannot write (No space left on device)"


def test_an_internal_error_is_one_line_and_the_traceback_needs_debug(tmp_path, monkeypatch):
    import eventwire.cli.extract as extract_cli

    def broken(*_a, **_k):
        raise RuntimeError("a bug")

    monkeypatch.setattr(extract_cli, "_load_inputs", broken)
    res = run("extract", "whatever.jsonl")
    assert res.exit_code == 3
    (line,) = _one_line_errors(res.stderr)
    assert "internal error: RuntimeError: a bug" in line and "--debug" in line
    res = run("extract", "whatever.jsonl", "--debug")
    assert res.exit_code == 3 and "Traceback" in res.stderr and "RuntimeError: a bug" in res.stderr


def test_inputs_problems_are_named_and_the_rest_coded(tmp_path):
    long_doc = {"id": "long", "text": "Troops shelled the town. " * 60_000}  # 1.5 M characters
    french = {"id": "fr-1", "text": "Des hommes armés ont tué deux policiers lundi à Kirkouk, selon des responsables."}
    year_one = {**KIRKUK, "id": "year-one", "publication_date": "0001-01-01"}
    src = _jsonl(tmp_path / "x.jsonl", long_doc, KIRKUK, french, year_one, {**KIRKUK, "text": "Another text."})
    res = run("extract", src)
    assert res.exit_code == 1
    lines = _one_line_errors(res.stderr)
    assert len(lines) == 4
    assert "longer than 1000000" in lines[0] and "E088" not in res.stderr
    assert "French" in lines[1] and "--any-language" in lines[1]
    assert "outside 1800-2199" in lines[2]
    assert "duplicate id" in lines[3]
    assert {json.loads(x)["doc_id"] for x in res.stdout.splitlines()} == {"kirkuk-1"}
    res = run("extract", _jsonl(tmp_path / "fr.jsonl", french), "--any-language")
    assert res.exit_code == 0 and res.stderr == ""


def test_a_closed_pipe_stops_quietly(tmp_path):
    # more output than a pipe holds (64 KB), so the writer meets the closed pipe
    src = _jsonl(tmp_path / "x.jsonl", *({**KIRKUK, "id": f"k{i}"} for i in range(400)))
    proc = subprocess.Popen([*EVENTWIRE, "extract", src], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()  # `| head -1`
    err = proc.stderr.read().decode()
    proc.wait(120)
    check_stderr(["extract"], err)
    assert proc.returncode == 141 and err == ""


def test_sigterm_while_coding_is_exit_143(tmp_path):
    src = _jsonl(tmp_path / "x.jsonl", *({**KIRKUK, "id": f"k{i}"} for i in range(3000)))
    out = tmp_path / "out.jsonl"
    out.write_text("old\n")
    proc = subprocess.Popen([*EVENTWIRE, "extract", src, "-o", str(out)], stderr=subprocess.PIPE, text=True)
    import time

    time.sleep(8)  # the model is loaded and coding has started
    proc.send_signal(signal.SIGTERM)
    err = proc.communicate(timeout=60)[1]
    check_stderr(["extract"], err)
    assert proc.returncode == 143 and _one_line_errors(err) == ["eventwire: terminated"]
    assert out.read_text() == "old\n" and sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl", "x.jsonl"]


def test_stdin_closed_and_empty(tmp_path):
    res = run_process("extract", "-", input="")
    assert res.returncode == 1 and res.stderr.strip() == "eventwire: <stdin>: empty input"
