"""Registry: exchange (JSON, CSV), corrections and status, coverage and its chart, the CLI."""

import json

import pytest
from typer.testing import CliRunner

import sdgtrack
from sdgtrack import UserInputError
from sdgtrack.cli import app
from sdgtrack.contributions import Registry
from sdgtrack.errors import InvalidInputError

from .conftest import FIXTURES

ANSWERS = FIXTURES / "contributions"


@pytest.fixture
def reg(tmp_path):
    database = sdgtrack.Database(tmp_path / "reg.duckdb")
    registry = Registry(database)
    registry.import_file(ANSWERS / "wwco-2024.txt")
    registry.import_file(ANSWERS / "crp-2025.txt", year=2025, status="draft")
    yield registry
    database.close()


def test_json_and_csv_round_trips(reg, tmp_path):
    js, cs = tmp_path / "out.json", tmp_path / "out.csv"
    reg.export(js, "json")
    reg.export(cs, "csv")
    frame_rows = cs.read_text("utf-8")
    assert frame_rows.splitlines()[0].startswith("entity,entity_code,year,questionnaire,status,id,kind")
    for path in (js, cs):
        other = Registry(sdgtrack.Database(tmp_path / f"copy-{path.suffix[1:]}.duckdb"))
        (a, b) = other.import_file(path)
        assert (a.new, b.new) == (6, 10)  # ordered by entity: Coastal ..., World Water ...
        again = tmp_path / f"again{path.suffix}"
        other.export(again, path.suffix[1:])
        assert again.read_text("utf-8") == path.read_text("utf-8")
        # importing an export into the store it came from changes nothing
        assert all(not r.changed for r in reg.import_file(path))
        other.db.close()
    doc = json.loads(js.read_text("utf-8"))
    assert doc["format"] == "sdgtrack-contributions" and len(doc["submissions"]) == 2
    assert doc["submissions"][1]["duplicates"][0]["name"] == "Basin Managers Week"


def test_hand_written_csv_is_parsed_like_the_text(db, tmp_path):
    path = tmp_path / "new.csv"
    path.write_text(
        "entity,year,kind,name,dates_text,location,sdg_text,websites\n"
        'Ocean Office,2024,event,Reef Week,13 to 17 May 2024,"Suva, Fiji","SDG 14, 13",https://x.org\n'
        "Ocean Office,2024,partnership,Blue Data,,,All 17 SDGs,\n",
        encoding="utf-8",
    )
    reg = Registry(db)
    (report,) = reg.import_file(path)
    assert report.records["event"] == 1 and report.status == "draft"
    rows = reg.records(entity="Ocean Office").set_index("name")
    assert rows.loc["Reef Week", ["start_date", "end_date"]].tolist() == ["2024-05-13", "2024-05-17"]
    assert (list(rows.loc["Reef Week", "sdgs"]), list(rows.loc["Reef Week", "countries"])) == ([13, 14], ["242"])
    assert list(rows.loc["Blue Data", "sdgs"]) == list(range(1, 18))


def test_bad_exchange_files(db, tmp_path):
    reg = Registry(db)
    bad = tmp_path / "bad.csv"
    bad.write_text("entity,year,kind,name\nX,20x4,meeting,\n", encoding="utf-8")
    with pytest.raises(InvalidInputError) as exc:
        reg.import_file(bad)
    text = str(exc.value)
    assert "bad.csv, line 2, column 'kind': got 'meeting'; expected one of decision, event" in text
    assert "column 'year': got '20x4'" in text and "nothing was loaded" in text
    nocol = tmp_path / "nocol.csv"
    nocol.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InvalidInputError, match="column 'entity'"):
        reg.import_file(nocol)
    js = tmp_path / "bad.json"
    js.write_text('{"submissions": [{"entity": "X", "year": "soon", "records": [{"kind": "party"}]}]}')
    with pytest.raises(InvalidInputError, match="submissions.0.year"):
        reg.import_file(js)
    js.write_text("{not json")
    with pytest.raises(InvalidInputError, match="valid JSON"):
        reg.import_file(js)
    assert reg.submissions().empty


def test_corrections_and_status(reg):
    (rid,) = reg.records(query="Basin Managers").id
    with pytest.raises(UserInputError, match="is published: reopen it first"):
        reg.correct(rid, "sdgs", "SDG 6")
    with pytest.raises(UserInputError, match="can become submitted, not draft"):
        reg.set_status("WWCO", "draft")
    assert reg.set_status("WWCO", "submitted", note="fix SDGs") == "published"
    rec = reg.correct(rid, "sdgs", "SDG 6, 15", note="the answer named no goal")
    assert rec.sdgs.goals == [6, 15] and rec.unparsed == [] and not any(w.startswith("SDGs") for w in rec.warnings)
    assert "Training week" in rec.description and "Health and wellbeing" in rec.raw_text  # verbatim text stays
    row = reg.records(query="Basin Managers").iloc[0]
    assert (list(row.sdgs), bool(row.corrected)) == ([6, 15], True)
    rec = reg.correct(rid, "dates", "16-20 September 2024")
    assert (str(rec.dates.start), str(rec.dates.end)) == ("2024-09-16", "2024-09-20")
    with pytest.raises(UserInputError, match="does not apply to a event"):
        reg.correct(rid, "partners", "X")
    with pytest.raises(UserInputError, match="no SDG in 'health'"):
        reg.correct(rid, "sdgs", "health")
    changes = reg.changes(rid)
    assert changes[["field", "old_value", "new_value"]].values.tolist() == [
        ["status", "published", "submitted"],
        ["sdgs", "Health and wellbeing", "SDG 6, 15"],
        ["dates", "16 September 2024", "16-20 September 2024"],
    ]
    # re-importing the answer keeps the correction
    (again,) = reg.import_file(ANSWERS / "wwco-2024.txt")
    assert (again.kept_corrected, again.new, again.removed, again.status) == (1, 0, 0, "submitted")
    assert reg.record(rid).sdgs.goals == [6, 15]
    assert reg.set_status("WWCO/2024/2023", "published") == "submitted"


def test_coverage_figures(reg):
    cov = reg.coverage(by="entity")
    per = cov.per_sdg.set_index(["group", "goal"]).records
    # WWCO: 6 in dialogue, clinic, handbook, partnership; CRP: 14 in 3 events + partnership (all-goal summit)
    assert per[("WWCO", 6)] == 4 and per[("WWCO", 13)] == 2 and per[("WWCO", 1)] == 1
    assert per[("Coastal Resilience Programme", 14)] == 4 and per[("Coastal Resilience Programme", 1)] == 1
    totals = cov.totals.set_index("goal")
    assert totals.loc[14, "records"] == 4 and totals.loc[14, "primary"] == 1 and totals.loc[13, "primary"] == 1
    co = cov.cooccurrence.set_index(["goal_a", "goal_b"]).records
    assert co[(6, 13)] == 2 and co[(13, 6)] == 2 and co[(6, 15)] == 2 and co[(14, 17)] == 1
    assert co[(1, 14)] == 0  # the all-goal summit is left out ...
    assert (
        cov.method["records_all_goals"] == 1 and "leaving out the 1 record that names all 17 goals" in cov.statement()
    )
    with_all = reg.coverage(by="kind", include_all_goals=True).cooccurrence.set_index(["goal_a", "goal_b"]).records
    assert with_all[(1, 14)] == 1  # ... unless asked
    assert "16 records (7 without SDGs) in 2 submissions, years 2024-2025" in cov.statement()
    by_year = reg.coverage(by="year").per_sdg
    assert sorted(by_year.group.unique()) == ["2024", "2025"]
    with pytest.raises(UserInputError, match="--by 'country'"):
        reg.coverage(by="country")


def test_chart_files(reg, tmp_path):
    cov = reg.coverage(by="kind")
    svg = cov.save_chart(tmp_path / "c.svg").read_text("utf-8")
    assert svg.startswith("<svg") and "Records per SDG, by kind" in svg and "SDGs named together" in svg
    png = cov.save_chart(tmp_path / "c.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    html = cov.save_chart(tmp_path / "c.html").read_text("utf-8")
    assert "<script" in html and "cdn.jsdelivr" not in html and "vegaEmbed" in html
    with pytest.raises(UserInputError, match="expected a name ending in"):
        cov.save_chart(tmp_path / "c.pdf")


def test_cli(tmp_path):
    runner = CliRunner()
    dbp = str(tmp_path / "cli.duckdb")
    r = runner.invoke(app, ["contributions", "import", str(ANSWERS / "wwco-2024.txt"), "--db", dbp])
    assert r.exit_code == 0, r.output
    assert "stored 10 records: 1 decision, 4 event, 1 resource, 1 hii, 1 partnership, 2 recommendation" in " ".join(
        r.output.split()
    )
    assert "repeated entry stored once: Basin Managers Week (lines 104-126)" in " ".join(r.output.split())
    r = runner.invoke(app, ["contributions", "import", str(ANSWERS / "wwco-2024.txt"), "--db", dbp])
    assert "10 unchanged, 0 removed: nothing changed" in " ".join(r.output.split())
    r = runner.invoke(app, ["contributions", "list", "--sdg", "13", "--format", "csv", "--db", dbp])
    assert r.exit_code == 0 and r.output.count("\nevt") == 0
    lines = r.output.strip().splitlines()
    assert len(lines) == 3 and "Regional Dialogue on Drought Resilience" in r.output
    r = runner.invoke(
        app,
        [
            "contributions",
            "coverage",
            "--by",
            "kind",
            "--format",
            "json",
            "--db",
            dbp,
            "--chart",
            str(tmp_path / "c.svg"),
        ],
    )
    payload = json.loads(r.output[: r.output.rindex("}") + 1])
    assert payload["parameters"]["by"] == "kind" and payload["analysis"] == "coverage" and (tmp_path / "c.svg").exists()
    r = runner.invoke(app, ["contributions", "export", str(tmp_path / "x.csv"), "--db", dbp])
    assert r.exit_code == 0 and (tmp_path / "x.csv").read_text("utf-8").count("\n") > 10
    r = runner.invoke(app, ["contributions", "status", "WWCO", "submitted", "--db", dbp])
    assert "WWCO/2024/2023: published -> submitted" in r.output


@pytest.mark.parametrize(
    "args, message, status",
    [
        (["contributions", "list", "--kind", "meeting"], "'meeting' is not one of 'decision', 'event'", 2),
        (["contributions", "list", "--sdg", "18"], "Input should be less than or equal to 17", 2),
        (["contributions", "status", "UNKNOWN", "draft"], "no submission 'UNKNOWN'", 1),
        (["contributions", "show", "eve-0000"], "no contribution record 'eve-0000'", 1),
        (["contributions", "coverage"], "no contribution records: import an answer first", 1),
        (["contributions", "import", str(ANSWERS / "missing.txt")], "missing.txt: no such file", 1),
    ],
)
def test_cli_errors_are_one_message(tmp_path, args, message, status, capsys, monkeypatch):
    from sdgtrack.cli import main

    Registry(sdgtrack.Database(tmp_path / "e.duckdb")).db.close()  # an empty registry (reading commands create none)
    monkeypatch.setattr("sys.argv", ["sdgtrack", *args, "--db", str(tmp_path / "e.duckdb")])
    with pytest.raises(SystemExit) as exc:
        main()
    err = capsys.readouterr().err.replace("│", " ")  # usage errors come in a box
    assert exc.value.code == status
    assert message in " ".join(err.split()) and "Traceback" not in err


def fake_tagger(texts):
    """Tags by words, so the test knows the answer: 'water' -> 6, 'ocean'/'reef' -> 14, 'data' -> 17."""
    import pandas as pd

    words = {"water": 6, "ocean": 14, "reef": 14, "data": 17}
    rows = [
        (i, goal, f"{goal}.1", 0.9, word)
        for i, t in enumerate(texts)
        for word, goal in words.items()
        if word in t.lower()
    ]
    frame = pd.DataFrame(rows, columns=["text_id", "goal", "target", "probability", "evidence"])
    return frame.drop_duplicates(["text_id", "goal"])


def test_inferred_sdgs_fill_records_without_declared_ones(reg):
    rows = reg.infer_sdgs(fake_tagger)
    assert set(rows.columns) == {"record", "goal", "target", "score", "method", "evidence"}
    # the decision declares nothing: its inferred goal 6 (water security strategy) now counts
    dec = reg.records(kind="decision").iloc[0]
    assert (list(dec.sdgs), dec.sdg_source) == ([6], "inferred")
    assert reg.records(sdg=6, kind="decision").shape[0] == 1
    totals = reg.coverage().totals.set_index("goal")
    assert totals.loc[6, "inferred"] >= 1
    review = reg.review()
    reef = review[review.name == "Reef Monitoring Network meetings"]
    assert reef.empty  # declares 14, inferred 14: no disagreement
    clinic = review[review.name == "Water Data Clinic series"].iloc[0]
    assert (clinic.declared, clinic.inferred, clinic.only_declared, clinic.only_inferred, clinic.agreement) == (
        "6, 11",
        "6, 17",
        "11",
        "17",
        0.333,
    )
    # tagging again replaces the earlier inferred goals instead of adding to them
    again = reg.infer_sdgs(fake_tagger)
    assert len(again) == len(rows)
    n = reg.con.execute("SELECT count(*) FROM contribution_sdg WHERE source = 'inferred' AND target IS NULL").fetchone()
    assert n[0] == len(rows)
    # a correction keeps the inferred goals of the record
    (rid,) = reg.records(query="Basin Managers").id
    reg.set_status("WWCO", "submitted")
    reg.correct(rid, "name", "Basin Managers Week 2024")
    assert (
        reg.con.execute(
            "SELECT count(*) FROM contribution_sdg WHERE record = ? AND source = 'inferred'", [rid]
        ).fetchone()[0]
        == (rows.record == rid).sum()
    )


def test_inferred_sdgs_with_the_keyword_tagger(reg):
    rows = reg.infer_sdgs(method="keywords", only_undeclared=True)
    assert rows.attrs["method"] == "keywords" and rows.attrs["n_records"] == 7
    assert rows.goal.between(1, 17).all() and rows.record.str[:3].isin(["dec", "eve", "hii", "rec"]).all()


def test_read_only_store(tmp_path):
    path = tmp_path / "ro.duckdb"
    with sdgtrack.Database(path) as database:
        Registry(database).import_file(ANSWERS / "wwco-2024.txt")
    with sdgtrack.Database(path, read_only=True) as database:
        assert len(Registry(database).records()) == 10
    fresh = tmp_path / "fresh.duckdb"
    sdgtrack.Database(fresh).close()
    with sdgtrack.Database(fresh, read_only=True) as database:  # the registry's tables come with every store
        assert len(Registry(database).records()) == 0
