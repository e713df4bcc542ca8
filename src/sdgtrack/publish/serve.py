"""Serving a built site folder over HTTP (``sdgtrack site serve``): the standard library's static
file server, confined to the folder (paths are resolved inside it; ``..`` and hidden files such as
the build manifest are refused, and a folder without ``index.html`` is a 404, never a listing), with
media types for the site's GeoJSON and Parquet files."""

from __future__ import annotations

import os
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..errors import UserInputError
from .build import is_site


class SiteRequestHandler(SimpleHTTPRequestHandler):
    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".geojson": "application/geo+json",
        ".json": "application/json",
        ".parquet": "application/vnd.apache.parquet",
        ".js": "text/javascript",
        ".csv": "text/csv; charset=utf-8",
    }

    def send_head(self):
        parts = [p for p in unquote(urlsplit(self.path).path).split("/") if p]
        root = Path(self.directory).resolve()
        target = root.joinpath(*parts).resolve() if parts else root
        # ".." or a link leading out of the folder, or a hidden file (the manifest): not part of the site
        if any(p.startswith(".") for p in parts) or (target != root and root not in target.parents):
            self.send_error(404, "not found")
            return None
        return super().send_head()

    def list_directory(self, path):
        """A folder without ``index.html`` is no page of the site: never a listing of its files."""
        self.send_error(404, "not found")
        return None

    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        if os.environ.get("SDGTRACK_QUIET_SERVER") != "1":
            super().log_message(format, *args)


def make_server(folder: str | Path, host: str = "127.0.0.1", port: int = 8000) -> ThreadingHTTPServer:
    """A server for the built site in ``folder`` (not started: call ``serve_forever``)."""
    folder = Path(folder)
    if not folder.is_dir() or not is_site(folder):
        raise UserInputError(f"{folder}: no site built there; expected a folder made by `sdgtrack site build {folder}`")
    try:
        return ThreadingHTTPServer((host, port), partial(SiteRequestHandler, directory=str(folder)))
    except OSError as exc:
        raise UserInputError(
            f"cannot serve on {host}:{port}: {exc.strerror or exc}; expected a free port "
            "(--port) on an interface of this machine (--host)"
        ) from None
