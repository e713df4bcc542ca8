"""`sdgtrack serve`: the web pages and API over a database."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ._common import DbOption


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(db: Optional[Path] = DbOption,
              host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
              port: int = typer.Option(8000, help="Port.")) -> None:
        """Serve the web pages and the JSON API at http://HOST:PORT."""
        import uvicorn

        from ..web.app import create_app

        uvicorn.run(create_app(db), host=host, port=port, log_level="info")
