"""The same record text gets the same SDGs, evidence and why-not message in every face: the
questionnaire form's suggestions, `contributions infer`, `sdgtrack tag` and the Python API."""

from __future__ import annotations

import csv
import json
import re
import warnings

import pytest

from sdgtrack.contributions.infer import record_text
from sdgtrack.tagging import TaggingWarning, model_available, tag_texts

from .test_tagging_cli import run
from .web_entry_app import build

needs_model = pytest.mark.skipif(not model_available(), reason="tagging models not installed (pip install sdgtrack)")

# (kind, form fields): what people type or paste into the form
RECORDS = [
    ("resource", {"name": "Midwifery toolkit", "description": "Midwives in rural clinics cut maternal deaths."}),
    (
        "event",
        {
            "name": "Water forum",
            "description": "<p>Utilities&nbsp;and ministries met on <b>safely managed drinking water</b> and "
            'sanitation for rural households.</p><p>See <a href="https://example.org/forum">the programme</a>.</p>',
        },
    ),
    # a HII's stored name is its initiative, not the name typed
    ("hii", {"name": "Typed name", "initiative": "Broadband for rural schools", "description": "Connect schools."}),
    # a recommendation without a name is named by the first words of its description
    (
        "recommendation",
        {"description": "Countries should report disaggregated data on women in parliament and local government."},
    ),
    ("resource", {"name": "Hebammen", "description": "Hebammen in ländlichen Kliniken senken die Müttersterblichkeit"}),
    ("resource", {"name": "Furniture", "description": ""}),
]


@pytest.fixture(scope="module")
def entry(tmp_path_factory):
    built = build(tmp_path_factory.mktemp("faces") / "faces.duckdb")
    yield built
    built.ws.close()


def _stored(entry, kind: str, fields: dict) -> str:
    """Save the record through the form, submit and approve it: the stored record's id."""
    client, csrf = entry.sessions["ed_a"], entry.csrf["ed_a"]
    data = {"csrf_token": csrf, "kind": kind, "year": "2023", "action": "save", **fields}
    answer = client.post("/entry/records/new", data=data, follow_redirects=False)
    assert answer.status_code == 303, answer.text[:800]
    request_id = int(answer.headers["location"].rsplit("/", 1)[1])
    entry.ws.review.submit(entry.user("ed_a"), request_id)
    return entry.ws.review.approve(entry.user("rev"), request_id)["result"]["record"]


@needs_model
def test_form_suggestions_infer_cli_and_api_agree(entry, tmp_path):
    client, csrf = entry.sessions["ed_a"], entry.csrf["ed_a"]
    suggested, pages = [], []
    for kind, fields in RECORDS:
        data = {"csrf_token": csrf, "kind": kind, "year": "2023", "action": "suggest", **fields}
        page = client.post("/entry/records/new", data=data)
        assert page.status_code == 200
        pages.append(page.text)
        typed = {f: v for f, v in fields.items() if v}
        suggested.append(entry.ws.review.suggest_record_goals(kind, "2023", typed))
    records = [_stored(entry, kind, fields) for kind, fields in RECORDS]
    texts = [record_text(entry.ws.contributions.record(r)) for r in records]
    assert texts[2].startswith("Broadband for rural schools. ") and texts[3].startswith("Countries should report")

    with pytest.warns(TaggingWarning, match=r"record res-[0-9a-f]{10} looks German, a language not read"):
        inferred = entry.ws.contributions.infer_sdgs()
    why_inferred = {u["record"]: u["message"] for u in inferred.attrs["untagged"]}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TaggingWarning)
        api = tag_texts(texts)
    why_api = {u["text_id"]: u["message"] for u in api.attrs["untagged"]}
    table = tmp_path / "records.csv"
    with table.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([["text"], *[[t] for t in texts]])
    out = run("--input", str(table), "--format", "json")
    assert out.returncode == 0, out.stderr
    cli = json.loads(out.stdout)

    for i, record in enumerate(records):
        from_api = api[api["text_id"] == i]
        goals = from_api["goal"].tolist()
        evidence = from_api["evidence"].tolist()
        mine = inferred[inferred["record"] == record]
        assert mine["goal"].tolist() == goals and mine["evidence"].tolist() == evidence, RECORDS[i]
        assert [s["goal"] for s in suggested[i]["goals"]] == goals, (RECORDS[i], suggested[i])
        assert [s["evidence"] for s in suggested[i]["goals"]] == evidence
        rows = [r for r in cli if r["id"] == str(i + 1)]
        if goals:
            assert [r["sdg"] for r in rows] == goals and [r["evidence"] for r in rows] == evidence
            assert f"SDG {goals[0]}" in pages[i] and "No SDG suggested" not in pages[i]
        else:  # one why-not message, the same everywhere
            message = why_api[i]
            assert why_inferred[record] == message and suggested[i]["note"] == message
            assert [r["evidence"] for r in rows] == [f"({message})"]
            shown = re.sub(r"\s+", " ", pages[i])
            assert f"No SDG suggested: {message}".replace("'", "&#39;") in shown
    # the record texts hold something of each kind of answer
    assert {u["reason"] for u in api.attrs["untagged"]} >= {"language", "too_short"}
    assert len(api) > 0


@needs_model
def test_suggestions_from_a_long_text_say_they_read_its_start(entry):
    from sdgtrack.data_entry import MAX_SUGGEST_CHARS

    long_text = "<p>" + "Solar mini-grids bring affordable electricity to rural villages. " * 200 + "</p>"
    answer = entry.ws.review.suggest_goals(long_text)
    assert [g["goal"] for g in answer["goals"]][:1] == [7]
    assert answer["note"] == (
        f"has {len(long_text):,} characters (12,999 once markup is removed): only the first "
        f"{MAX_SUGGEST_CHARS:,} were tagged"
    )


def test_record_text_is_what_infer_tags_for_every_itu_record(tmp_path):
    import sdgtrack
    from sdgtrack.contributions import Registry
    from sdgtrack.contributions.infer import record_texts

    from .conftest import shared_path

    answer = shared_path("questionnaires", "itu-2023.txt")
    with sdgtrack.Database(tmp_path / "itu.duckdb") as database:
        registry = Registry(database)
        registry.import_file(answer)
        stored = record_texts(registry)
        assert len(stored) == 32
        built = [record_text(registry.record(r)) for r in stored["record"]]
        assert built == stored["text"].tolist()
        # a decision's topics and resolution titles are part of its text
        assert any(
            registry.record(r).kind == "decision" and len(t) > len(registry.record(r).description) + 50
            for r, t in zip(stored["record"], built)
        )


@needs_model
def test_infer_names_each_untagged_record(tmp_path):
    import os
    import subprocess
    import sys

    from .conftest import shared_path
    from .test_tagging_cli import REPO

    env = dict(os.environ, PYTHONPATH=str(REPO / "src"), COLUMNS="80")
    db = str(tmp_path / "itu.duckdb")
    cli = [sys.executable, "-m", "sdgtrack.cli", "contributions"]
    answer = str(shared_path("questionnaires", "itu-2023.txt"))
    subprocess.run([*cli, "import", answer, "--db", db], check=True, capture_output=True, env=env, timeout=120)
    out = subprocess.run([*cli, "infer", "--db", db], capture_output=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr
    err = out.stderr.decode()
    assert "Traceback" not in err and "TaggingWarning" not in err
    lines = [line for line in err.splitlines() if line.startswith("  record ")]
    assert lines, err
    # one line each, long as it is: the record's id, its name, the reason
    assert all(re.match(r"  record [a-z]{3}-[0-9a-f]{10} \(.+\): (no SDG reached|the text)", line) for line in lines)
