"""The front door: `sdgtrack.open()` gives the workspace, whose analyses return one Result kind."""

from __future__ import annotations

import json

import pytest

import sdgtrack
from sdgtrack.errors import UserInputError
from sdgtrack.results import Result, ResultDocument
from sdgtrack.workspace import Workspace

from .conftest import shared_path


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("ws") / "demo.duckdb"
    with sdgtrack.open(path) as ws:
        ws.build_demo()
    return path


def test_open_returns_the_workspace(tmp_path):
    with sdgtrack.open(tmp_path / "s.duckdb") as ws:
        assert isinstance(ws, Workspace) and isinstance(ws.store, sdgtrack.Database)
        with pytest.raises(TypeError, match="unexpected keyword argument 'area'"):
            ws.observations("3.2.1", area=["AFG"])  # a typo is refused where it was written
    with pytest.raises(UserInputError, match="no database at"):
        sdgtrack.open(tmp_path / "missing.duckdb", read_only=True)


def _check_document(result: Result) -> dict:
    doc = result.to_json()
    ResultDocument.model_validate(doc)  # the published schema holds
    text = json.dumps(doc, allow_nan=False)  # plain JSON: no NaN, no numpy types
    assert doc["analysis"] == result.analysis and doc["description"] == result.describe()
    assert list(doc["tables"]) == list(result.tables)
    return json.loads(text)


def test_progress_result_is_typed(demo):
    with sdgtrack.open(demo, read_only=True) as ws:
        result = ws.assess("unsd", areas=["World", "AFG"], level="goal", save=False)
    doc = _check_document(result)
    rows = doc["tables"]["goal"]
    assert {r["area"] for r in rows} == {"1", "4"} and all(isinstance(r["score"], (float, type(None))) for r in rows)
    assert doc["parameters"] == {"base_year": 2015, "level": "goal"}
    assert doc["datasets"] == {"unsd": doc["datasets"]["unsd"]} and doc["datasets"]["unsd"] > 0
    assert "base year 2015" in result.describe() and "data window" in result.describe()


def test_links_result_and_its_charts(demo, tmp_path):
    with sdgtrack.open(demo, read_only=True) as ws:
        result = ws.links(level="goal", areas=["AFG", "NPL", "BRA"], min_years=4, null_permutations=0)
    doc = _check_document(result)
    assert set(doc["tables"]) == {"goal", "top_goal_pairs", "goal_pairs"}
    assert any(line.startswith("method:") for line in result.notes)
    path = result.write_chart("heatmap", tmp_path / "heat.svg")
    assert path.read_text(encoding="utf-8").lstrip().startswith("<svg")
    with pytest.raises(UserInputError, match="expected one of heatmap, network"):
        result.write_chart("bars", tmp_path / "x.svg")
    with pytest.raises(UserInputError, match=r"\.svg, \.png or \.html"):
        result.write_chart("heatmap", tmp_path / "x.jpg")


def test_framework_reads(demo):
    with sdgtrack.open(demo, read_only=True) as ws:
        node = ws.framework_node("3.2.1")
        kpi = ws.framework_node("EC.ICT.ICT.2C")
        goals = ws.framework_nodes(level="goal")
    assert node["framework"] == "sdg" and node["parent"] == "3.2" and node["series"]
    assert kpi["framework"] == "u4ssc" and {link["framework"] for link in kpi["links"]} == {"sdg"}
    assert goals["code"].tolist() == [str(g) for g in range(1, 18)]


def test_coverage_result_lists_are_lists(tmp_path):
    answer = shared_path("questionnaires", "itu-2023.txt")
    with sdgtrack.open(tmp_path / "c.duckdb") as ws:
        ws.contributions.import_file(answer)
        result = ws.contributions.coverage(by="kind").to_result()
        records = ws.contributions.records()
    doc = _check_document(result)
    assert doc["parameters"] == {"by": "kind", "sdgs": "effective", "include_all_goals": False}
    assert {r["group"] for r in doc["tables"]["per_sdg"]} == set(records["kind"])
    assert doc["datasets"] == {"contributions registry": len(records)}
