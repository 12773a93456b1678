"""Review commands: ``eventwire users`` (reviewers and readers with tokens), ``eventwire recode``
(code stored documents again, keeping every review) and ``eventwire export-gold`` (reviewed
events in the gold format ``eventwire evaluate`` reads)."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from eventwire.cli.common import error_line, info_line, open_output, open_store, usage_error
from eventwire.cli.store import DB_HELP
from eventwire.cli.terminal import cell

GOLD_NAME = "reviews"


def write_gold(store: Any, out_dir: Path, name: str = GOLD_NAME, coder: bool = False) -> dict[str, int]:
    """Write the reviewed documents of ``store`` as ``NAME.docs.jsonl`` and ``NAME.gold.jsonl``
    (and the coder's own output as ``NAME.coder.jsonl``) in ``out_dir``; counts of what was
    written.  Files appear only when complete."""
    from eventwire.store import Reviews

    out_dir.mkdir(parents=True, exist_ok=True)
    counts = {"documents": 0, "gold_events": 0, "unreviewed_events": 0, "coder_events": 0}
    with contextlib.ExitStack() as files:
        docs_fh = files.enter_context(open_output(out_dir / f"{name}.docs.jsonl"))
        gold_fh = files.enter_context(open_output(out_dir / f"{name}.gold.jsonl"))
        coder_fh = files.enter_context(open_output(out_dir / f"{name}.coder.jsonl")) if coder else None
        for item in Reviews(store).reviewed_documents():
            docs_fh.write(json.dumps(item["document"], ensure_ascii=False) + "\n")
            gold_fh.write(json.dumps(item["gold"], ensure_ascii=False) + "\n")
            if coder_fh is not None:
                for ev in item["coder"]:
                    coder_fh.write(json.dumps(ev, ensure_ascii=False) + "\n")
            counts["documents"] += 1
            counts["gold_events"] += len(item["gold"]["events"])
            counts["unreviewed_events"] += len(item["gold"]["unreviewed"])
            counts["coder_events"] += len(item["coder"])
    return counts


def register(app: typer.Typer) -> None:
    users = typer.Typer(help="Reviewers and readers of `eventwire serve`, each with a bearer token.",
                        no_args_is_help=True)  # fmt: skip
    app.add_typer(users, name="users")

    @users.command("add")
    def users_add(
        name: str = typer.Argument(..., help="The user's name (shown in the history of every review it makes)."),
        role: str = typer.Option(..., "--role", help="reviewer (reads, confirms, rejects and corrects) or reader (reads)."),
        db: str | None = typer.Option(None, "--db", help=DB_HELP),
    ) -> None:  # fmt: skip
        """Add a user and print its token, once, alone on the last line (only its SHA-256 digest is
        stored: keep it now)."""
        from eventwire.store import USER_ROLES, UserError, Users

        if role not in USER_ROLES:
            raise usage_error(f"--role {role!r} is not one of {', '.join(USER_ROLES)}")
        store = open_store(db)
        with store:
            try:
                token = Users(store).add(name, role)
            except UserError as exc:
                raise usage_error(str(exc)) from None
        info_line(f"added {role} {name!r}; its token follows, shown this once (send it as 'Authorization: Bearer TOKEN')")
        with open_output(None) as fh:
            fh.write(token + "\n")

    @users.command("list")
    def users_list(db: str | None = typer.Option(None, "--db", help=DB_HELP)) -> None:
        """List the users: name, role, added, revoked."""
        from eventwire.store import Users

        store = open_store(db, read_only=True)
        with store:
            found = Users(store).list()
        table = Table(title=f"{len(found)} users")
        for col in ("name", "role", "added", "revoked"):
            table.add_column(col)
        for u in found:
            table.add_row(cell(u.name), u.role, u.created_at or "", u.revoked_at or "")
        with open_output(None) as fh:
            Console(file=fh, highlight=False, emoji=False).print(table)

    @users.command("revoke")
    def users_revoke(
        name: str = typer.Argument(..., help="The user whose token stops working."),
        db: str | None = typer.Option(None, "--db", help=DB_HELP),
    ) -> None:
        """Revoke a user's token (its reviews keep its name); `users add` gives it a new one."""
        from eventwire.store import UserError, Users

        store = open_store(db)
        with store:
            try:
                done = Users(store).revoke(name)
            except UserError as exc:
                raise usage_error(str(exc)) from None
        if not done:
            error_line(name, "no such active user")
            raise typer.Exit(1)
        info_line(f"revoked {name!r}")

    @app.command()
    def recode(
        doc_ids: list[str] = typer.Argument(None, help="Stored documents to code again (default: all of them)."),
        db: str | None = typer.Option(None, "--db", help=DB_HELP),
        model: str | None = typer.Option(None, "--model", help="An installed spaCy pipeline to use."),
        batch_size: int = typer.Option(32, "--batch-size", min=1, help="Documents coded and stored together."),
    ) -> None:  # fmt: skip
        """Code stored documents again with this version of the coder, from their stored text.

        Every review is kept: corrections apply to the events found again (same document,
        overlapping evidence); events whose new output disagrees with a review, and reviewed
        events not found again, are flagged for another look."""
        from eventwire.cli.common import load_pipeline
        from eventwire.store import EventFilter, Reviews

        store = open_store(db)
        tally = {"recoded": 0, "failed": 0, "missing": 0, "events": 0}
        with store:
            flagged_before = Reviews(store).counts()["flagged"]
            wanted = list(dict.fromkeys(doc_ids or []))
            pipe = None
            batch: list[Any] = []

            def flush() -> None:
                nonlocal pipe
                if not batch:
                    return
                pipe = pipe or load_pipeline(model)
                results = list(pipe.pipe(batch, batch_size=len(batch)))
                for doc, outcome in zip(batch, store.add_results(results, recode=True), strict=True):
                    if isinstance(outcome, Exception):
                        error_line(doc.id, f"could not be stored ({outcome})")
                        tally["failed"] += 1
                    else:
                        tally["recoded"] += 1
                        tally["events"] += outcome.n_events
                batch.clear()

            seen: set[str] = set()
            for doc in store.iter_documents(wanted or None):
                seen.add(doc.id)
                batch.append(doc)
                if len(batch) >= batch_size:
                    flush()
            flush()
            for missing in [x for x in wanted if x not in seen]:
                error_line(missing, "no such document in the store (or a copy of another, which is not coded)")
                tally["missing"] += 1
            counts = Reviews(store).counts()
            flagged = store.event_counts(EventFilter(flagged=True))["total"]
        info_line(f"{tally['recoded']} documents coded again ({tally['events']} events), {tally['failed']} failed,"
             f" {tally['missing']} not found; reviews flagged for another look: {counts['flagged']}"
             f" (before: {flagged_before}; {flagged} of them on events, {counts['lost']} not found again)")  # fmt: skip
        raise typer.Exit(1 if tally["failed"] or tally["missing"] else 0)

    @app.command("export-gold")
    def export_gold(
        out_dir: Path = typer.Argument(..., help="Folder to write NAME.docs.jsonl and NAME.gold.jsonl into."),
        db: str | None = typer.Option(None, "--db", help=DB_HELP),
        name: str = typer.Option(GOLD_NAME, "--name", help="The set's name (the files' stem)."),
        coder: bool = typer.Option(False, "--coder", help="Also write the coder's own output for these documents "
                                                          "(NAME.coder.jsonl), to score with --predictions."),
    ) -> None:  # fmt: skip
        """Write the reviewed events as a gold set that `eventwire evaluate` reads (PLOVER gold:
        per document its confirmed and corrected events; rejected ones left out; events no one
        reviewed listed apart, neither right nor wrong when scored)."""
        if not name or any(ch in name for ch in "/\\") or name.startswith("."):
            raise usage_error(f"--name {name!r}: a plain file stem")
        if out_dir.exists() and not out_dir.is_dir():
            raise usage_error(f"{out_dir}: not a folder")
        store = open_store(db, read_only=True)
        with store:
            counts = write_gold(store, out_dir, name, coder)
        info_line(f"{counts['documents']} reviewed documents, {counts['gold_events']} gold events "
             f"({counts['unreviewed_events']} unreviewed events beside them) in {out_dir / (name + '.gold.jsonl')}")  # fmt: skip
        if not counts["documents"]:
            error_line(str(out_dir), "no reviewed events in the store")
            raise typer.Exit(1)
