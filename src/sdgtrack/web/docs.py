"""`/docs`: Swagger UI served by the app itself (the swagger-ui-bundle package's files), so the API
documentation works offline and under a CSP without inline script or other origins."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse, HTMLResponse, Response

router = APIRouter(include_in_schema=False)

ASSETS = {
    "swagger-ui-bundle.js": "application/javascript",
    "swagger-ui.css": "text/css",
    "favicon-32x32.png": "image/png",
}
PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>sdgtrack API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
<link rel="icon" href="/docs/assets/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/docs-init.js"></script>
</body>
</html>
"""


def _swagger_dir() -> Path:
    import swagger_ui_bundle

    return Path(swagger_ui_bundle.swagger_ui_path)


@router.get("/docs")
def docs() -> HTMLResponse:
    return HTMLResponse(PAGE)


@router.get("/docs/assets/{name}")
def asset(name: str) -> Response:
    if name == "docs-init.js":
        text = (resources.files("sdgtrack.web") / "static" / "docs-init.js").read_bytes()
        return Response(text, media_type="application/javascript", headers={"Cache-Control": "max-age=86400"})
    if name not in ASSETS:
        raise HTTPException(404, f"no asset {name!r}")
    return FileResponse(_swagger_dir() / name, media_type=ASSETS[name], headers={"Cache-Control": "max-age=86400"})
