"""`sdgtrack serve`: the reporting site, the API and the forms over a store the server owns."""

from __future__ import annotations

import errno
import socket
from pathlib import Path
from typing import Optional

import typer

from ..errors import UserInputError
from ..storefiles import check_store_path
from ._common import DbOption
from .site import AllAreasOption, AreaOption


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        db: Optional[Path] = DbOption,
        host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
        port: int = typer.Option(8000, min=1, max=65535, help="Port (1-65535)."),
        lang: str = typer.Option("en", "--lang", help="The site's languages, comma-separated (as `site build`)."),
        title: Optional[str] = typer.Option(
            None, "--title", help="Site title (default: 'SDG data for' and the site's area)."
        ),
        area: Optional[str] = AreaOption,
        all_areas: bool = AllAreasOption,
    ) -> None:
        """Serve the site's pages, the JSON/CSV API (/docs) and the forms at http://HOST:PORT.

        The server holds the store for writing while it runs: other commands on the same store
        are told to go through the server."""
        import sdgtrack

        from ..publish.site import SiteOptions
        from ..web.app import create_app
        from ..web.server import run
        from .site import parse_langs

        path = sdgtrack.default_db_path(db)
        if path.exists():  # a file that is not a store is one message here, not a 500 on every page
            check_store_path(path)
        elif db is not None:  # a mistyped --db would serve a fresh, empty store
            raise UserInputError(
                f"no database at {path}: load data first with `sdgtrack ingest` (or `sdgtrack demo build --db FILE`)"
            )
        options = SiteOptions(langs=parse_langs(lang), title=title, area=area, all_areas=all_areas)
        if area:  # an unknown area is one message now, not a 500 on every page
            if not path.exists():
                raise UserInputError(f"--area {area}: the store {path} holds no areas yet; load data first")
            with sdgtrack.open(path, read_only=True) as workspace:
                workspace.resolve_area(area)
        _check_port(host, port)
        url = f"http://{host if ':' not in host else f'[{host}]'}:{port}"
        application = create_app(
            path, url=url, site=options
        )  # opens the store: a locked or damaged one is refused here
        try:  # every request's headers within a deadline: trickling connections are dropped
            run(application, host=host, port=port, log_level="info")
        finally:
            application.state.owner.close()


def _check_port(host: str, port: int) -> None:
    """Refuse a port that is taken or a host that is not this machine's, before opening the store."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise UserInputError(
            f"--host {host!r}: not an address or name of this machine (e.g. 127.0.0.1, 0.0.0.0 or localhost)"
        ) from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise UserInputError(
                    f"port {port} on {host} is in use by another program: choose another with --port"
                ) from None
            if exc.errno == errno.EACCES:
                raise UserInputError(
                    f"port {port} needs administrator rights: choose one above 1023 with --port"
                ) from None
            raise UserInputError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
