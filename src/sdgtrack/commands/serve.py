"""`sdgtrack serve`: the web pages and API over a database."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..errors import UserInputError
from ..store.files import check_store_path
from ._common import DbOption


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(db: Optional[Path] = DbOption,
              host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
              port: int = typer.Option(8000, min=1, max=65535, help="Port (1-65535).")) -> None:
        """Serve the web pages and the JSON API at http://HOST:PORT."""
        import uvicorn

        import sdgtrack

        from ..web.app import create_app

        path = sdgtrack.default_db_path(db)
        if path.exists():  # open it once now: a damaged store is one message here, not a 500 on every page
            check_store_path(path)
            sdgtrack.open(path, read_only=True).close()
        elif db is not None:  # a mistyped --db would serve a fresh, empty store
            raise UserInputError(f"no database at {path}: load data first with `sdgtrack ingest` "
                                 "(or `sdgtrack demo build --db FILE`)")

        uvicorn.run(create_app(db), host=host, port=port, log_level="info")
