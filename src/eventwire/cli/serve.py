"""``eventwire serve``: the HTTP API and the web page over a store, with uvicorn."""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path

import typer

from eventwire.cli.common import err_console, usage_error

DB_HELP = "Store: a SQLite file path or a database URL (postgresql://user@host/db). Default: $EVENTWIRE_DB or ~/.local/share/eventwire/eventwire.sqlite."


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_port(host: str, port: int) -> None:
    """Fail early, in one line, when the address cannot be listened on."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise usage_error(f"--host {host!r}: {exc.strerror}") from None
    family, _, _, _, addr = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(addr)
        except OSError as exc:
            raise usage_error(f"--port {port}: cannot listen on {host}:{port} ({exc.strerror})") from None


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        db: str | None = typer.Option(None, "--db", help=DB_HELP),
        host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (loopback by default)."),
        port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
        token_file: Path | None = typer.Option(
            None, "--token-file",
            help="Tokens that may use the write endpoints, one a line (TOKEN, NAME:TOKEN or NAME:ROLES:TOKEN); "
                 "$EVENTWIRE_API_TOKEN adds one. Without any, the server is read-only.",
        ),
        private: bool = typer.Option(False, "--private", help="Reads need a token with the reader role too."),
        model: str | None = typer.Option(None, "--model", help="spaCy pipeline for the write endpoints."),
        rate_limit: float = typer.Option(0.0, "--rate-limit", min=0, help="API requests a second per client (0: no limit)."),
        max_documents: int = typer.Option(100, "--max-documents", min=1, help="Documents per POST request."),
        max_body: int = typer.Option(5_000_000, "--max-body", min=1024, help="Bytes per request body."),
        timeout: float = typer.Option(30.0, "--timeout", min=0.1, help="Seconds a store query may take."),
        log_level: str = typer.Option("info", "--log-level", help="uvicorn log level (warning, info, debug)."),
    ) -> None:  # fmt: skip
        """Serve the store over HTTP: the API under /api (OpenAPI at /openapi.json) and the web page at /."""
        import uvicorn
        from sqlalchemy.engine import make_url

        from eventwire.api import ApiSettings, TokenAuthenticator, create_app
        from eventwire.store import Store, StoreError, default_db_path

        try:
            auth = TokenAuthenticator.from_config(token_file)
        except ValueError as exc:
            raise usage_error(f"--token-file: {exc}") from None
        path = None if db is not None and "://" in db else Path(db).expanduser() if db else default_db_path()
        if path is not None and not path.exists() and not len(auth):
            raise usage_error(f"--db {path}: no store there (eventwire ingest makes one)")
        _check_port(host, port)
        try:
            store = Store(db)
        except StoreError as exc:
            raise usage_error(f"--db: {exc}") from None
        from eventwire.store import Users

        n_users = Users(store).count()
        if private and not len(auth) and not n_users:
            store.close()
            raise usage_error("--private needs tokens (--token-file, $EVENTWIRE_API_TOKEN or eventwire users add)")
        settings = ApiSettings(
            db=db, authenticator=auth, read_token_required=private, model=model, rate_limit=rate_limit,
            max_documents=max_documents, max_body_bytes=max_body, request_timeout_s=timeout,
        )  # fmt: skip
        api = create_app(settings, store=store)
        where = f"http://{'[' + host + ']' if ':' in host else host}:{port}/"
        mode = f"writes with {len(auth)} token(s)" if settings.writes_enabled else "read-only"
        mode += f"; reviews by {n_users} user(s)" if n_users else "; no reviewers yet (eventwire users add)"
        shown = make_url(store.url).render_as_string(hide_password=True)
        err_console.print(f"eventwire: serving {shown} at {where} ({mode}); Ctrl-C stops",
                          markup=False, soft_wrap=True)  # fmt: skip
        if not _loopback(host) and not private:
            err_console.print(f"eventwire: warning: --host {host} is reachable from other machines and reads need "
                              "no token (--private)", markup=False, soft_wrap=True)  # fmt: skip
        try:
            uvicorn.run(api, host=host, port=port, log_level=log_level, server_header=False, proxy_headers=False)
        finally:
            store.close()
