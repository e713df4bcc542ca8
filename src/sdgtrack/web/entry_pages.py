"""What every data-entry page module shares: the templates (autoescaped), a page rendered for the
signed-in user, and the word to the server's read caches that published data changed. Apart from
``entry.py`` (which mounts the page modules) so that no page module imports the one that mounts it."""

from __future__ import annotations

from importlib import resources

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from . import auth

TEMPLATES = Jinja2Templates(directory=str(resources.files("sdgtrack.web") / "templates"))
TEMPLATES.env.autoescape = True  # every template, whatever its name ends with


def render(request: Request, name: str, context: dict | None = None, status: int = 200) -> HTMLResponse:
    user = auth.session_user(request)
    return TEMPLATES.TemplateResponse(request, f"entry/{name}", {"user": user, **(context or {})}, status_code=status)


def store_changed(request: Request) -> None:
    """Tell the server's read caches that published data changed (no-op in a bare app)."""
    owner = getattr(request.app.state, "owner", None)
    if owner is not None:
        owner.changed()
