"""Data entry with review in the live app: sign-in, forms and the write API (docs/web-entry.md).

``mount_entry(app)`` adds the routers of this package's entry modules to an app whose
``app.state.workspace`` is the process's one read-write :class:`~sdgtrack.workspace.Workspace`.
Pages are server-rendered Jinja2 with autoescape and no inline script or style, so a
Content-Security-Policy without 'unsafe-inline' holds.
"""

from __future__ import annotations

from importlib import resources

from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from ..errors import NotAllowed, NotFound
from . import auth
from .entry_pages import Words, render

router = APIRouter()


def mount_entry(app: FastAPI) -> None:
    """Include the data-entry routers and what they need (login limiter, error pages)."""
    from . import admin, data_requests, forms
    from .forms import SUGGESTIONS_PER_MINUTE
    from .limits import RateLimit

    app.state.login_limiter = auth.LoginLimiter()
    app.state.suggest_limit = RateLimit(SUGGESTIONS_PER_MINUTE)
    owner = getattr(app.state, "owner", None)
    if owner is not None:
        # the server's own writes and these share one lock on the store's connection
        app.state.workspace.lock = owner.write_lock
    # where a CLI that finds the store held by this server is told to send a file
    app.state.upload_route = "/api/requests/data"
    for module in (router, data_requests.router, forms.router, admin.router):
        app.include_router(module)

    @app.exception_handler(auth.SignInNeeded)
    def _sign_in(request: Request, exc: auth.SignInNeeded):
        return auth.redirect_to_login(exc.next_url)

    @app.exception_handler(NotAllowed)
    def _not_allowed(request: Request, exc: NotAllowed):
        return _error(request, 403, str(exc))

    @app.exception_handler(NotFound)
    def _not_found(request: Request, exc: NotFound):
        return _error(request, 404, str(exc))


def _error(request: Request, status: int, message: str) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": message}, status_code=status)
    return render(
        request, "message.html", {"title": "Not allowed" if status == 403 else "Not found", "message": message}, status
    )


# -- sign-in -----------------------------------------------------------------------------------
@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_page(request: Request, next: str = "/entry"):  # noqa: A002
    token = auth.login_token(request)
    response = render(request, "login.html", {"next": auth.safe_next(next), "login_token": token})
    response.set_cookie(
        auth.LOGIN_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=auth.is_https(request),
        path="/login",
        max_age=3600,
    )
    return response


@router.post("/login", include_in_schema=False)
def login(
    request: Request,
    name: str = Form(""),
    password: str = Form(""),
    next: str = Form("/entry"),  # noqa: A002
    login_token: str = Form(""),
):
    ws = request.app.state.workspace
    limiter: auth.LoginLimiter = request.app.state.login_limiter
    address = auth.client_address(request)
    cookie = request.cookies.get(auth.LOGIN_COOKIE, "")
    # a name is at most 64 characters (store/accounts.py): a longer one is never echoed back whole
    context = {"next": auth.safe_next(next)[:2000], "login_token": auth.login_token(request), "name": name[:64]}
    if not cookie or not login_token or not auth.hmac.compare_digest(cookie, login_token):
        return render(request, "login.html", {**context, "error": Words("the sign-in form expired: try again")}, 403)
    wait = limiter.wait_seconds(name, address)
    if wait:
        return render(
            request,
            "login.html",
            {**context, "error": Words("too many failed sign-ins: try again in {n} min", n=(wait + 59) // 60)},
            429,
        )
    user = ws.accounts.check_password(name[:64], password[:1024])
    if user is None:
        limiter.failed(name, address)
        return render(request, "login.html", {**context, "error": Words("wrong name or password")}, 401)
    limiter.succeeded(name)
    token, _ = ws.accounts.start_session(user["name"])
    response = RedirectResponse(auth.safe_next(next), status_code=303)
    auth.set_session_cookie(response, request, token)
    response.delete_cookie(auth.LOGIN_COOKIE, path="/login")
    return response


@router.post("/logout", include_in_schema=False)
def logout(request: Request, csrf_token: str = Form("")):
    user = auth.form_user(request)
    auth.check_csrf(user, csrf_token)
    request.app.state.workspace.accounts.end_session(request.cookies.get(auth.SESSION_COOKIE, ""))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(auth.SESSION_COOKIE, path="/")
    return response


@router.get("/entry/static/entry.css", include_in_schema=False)
def stylesheet():
    css = (resources.files("sdgtrack.web") / "templates" / "entry" / "entry.css").read_text("utf-8")
    return Response(css, media_type="text/css", headers={"Cache-Control": "max-age=3600"})
