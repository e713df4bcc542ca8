"""Display settings of Open SDG metadata honoured on the indicator pages (issue 20): chart type (bar,
binary), no map tab, start values, target lines and annotations, series breaks, axis limits,
precision, footer texts. A small fixture repository sets them (tests/fixtures/opensdg/settings);
the page's HTML, its page data and the no-script SVG are checked. The real repositories' settings:
tests/test_metadata_national.py (its store holds them)."""

from __future__ import annotations

import json
import re
import shutil

import pandas as pd
import pytest

import sdgtrack
from sdgtrack.publish.pages import svg_chart
from sdgtrack.publish.pages.indicator_data import _positions
from sdgtrack.publish.site import Site, SiteOptions
from sdgtrack.store.display import applies, limits_for, match, parse_settings

from .conftest import FIXTURES

REPO = FIXTURES / "opensdg" / "settings"
PLOT_W = svg_chart.WIDTH - svg_chart.LEFT - svg_chart.RIGHT


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    workspace = sdgtrack.open(tmp_path_factory.mktemp("settings") / "store.duckdb")
    workspace.ingest(REPO)
    yield workspace
    workspace.close()


@pytest.fixture(scope="module")
def site(ws):
    return Site(ws, SiteOptions(langs=("en", "fr")))


def _page(site, code: str, lang: str = "en") -> str:
    return site.file(f"{lang}/indicators/{code}/index.html").render().decode("utf-8")


def _page_data(page: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" id="page-data">(.*?)</script>', page, re.S).group(1))


def _svg(site, code: str) -> str:
    return site.file(f"assets/charts/{code}.svg").render().decode("utf-8")


def _x(year: float, first: float, last: float) -> float:
    return svg_chart.LEFT + PLOT_W * (year - first) / (last - first)


# -- the read --------------------------------------------------------------------------------------
def test_settings_are_read_checked_and_shaped(ws):
    settings = ws.display_settings(["1.4.2", "16.1.4", "5.5.1", "3.2.1"])
    assert set(settings) == {"1.4.2", "16.1.4", "5.5.1"}  # 3.2.1 has no metadata here
    bar = settings["1.4.2"]
    assert (bar["dataset"], bar["graph_type"], bar["show_map"]) == ("opensdg-settings", "bar", False)
    assert [(line["value"], line["label"], line["unit"]) for line in bar["lines"]] == [
        (70.0, "Aim for 2030", None),
        (7.0, None, "Number"),
    ]
    # the target line without a number is left out and said
    assert bar["problems"] == ['graph_target_lines: {"value": "high"} (expected a number as value)']
    # the inactive second source is no footer text; the footnote keeps its Markdown for the page
    assert [f["field"] for f in bar["footer"]] == [
        "source_organisation",
        "national_geographical_coverage",
        "data_footnote",
        "copyright",
    ]
    assert bar["footer"][0]["value"] == "Office for National Statistics"
    line = settings["16.1.4"]
    assert line["start_values"] == [{"field": "Sex", "value": "Female", "series": None}]
    # a vertical annotation is a break; the target_line preset a line
    assert [(b["position"], b["kind"]) for b in line["breaks"]] == [(2.0, "break"), (1.0, "break"), (0.5, "annotation")]
    assert [(item["value"], item["kind"]) for item in line["lines"]] == [(50.0, "annotation"), (1.0, "target")]
    assert settings["5.5.1"]["graph_type"] == "binary"
    # one read for the headline rule and the page's first selection
    rows = ws.start_values()
    assert rows.values.tolist() == [["opensdg-settings", "16.1.4", "Sex", "Female", None, 0]]


def test_bad_settings_are_left_out_with_a_reason():
    settings, problems = parse_settings(
        {
            "graph_type": "pie",
            "data_show_map": "perhaps",
            "precision": [{"decimals": 2.5}, {"decimals": 1, "unit": "Tonnes"}],
            "graph_limits": [{"minimum": 5, "maximum": 1}],
            "graph_series_breaks": [{"value": -1}],
            "data_start_values": "Sex=Female",
            "graph_titles": [{"Series": "A label, not a title"}],
        }
    )
    assert settings["graph_type"] == "line" and settings["show_map"] is True
    assert settings["precision"] == [{"series": None, "unit": "Tonnes", "decimals": 1}]
    assert settings["limits"] == settings["breaks"] == settings["start_values"] == settings["graph_titles"] == []
    fields = [p.split(":")[0] for p in problems]
    assert fields == [
        "graph_type",
        "data_show_map",
        "data_start_values",
        "graph_series_breaks",
        "graph_limits",
        "precision",
        "graph_titles",
    ]
    assert "expected one of line, bar, binary" in problems[0]


def test_matching_follows_open_sdg():
    items = [
        {"series": None, "unit": None, "decimals": 0},
        {"series": None, "unit": "tonnes", "decimals": 1},
        {"series": "Waste", "unit": None, "decimals": 2},
        {"series": "Waste", "unit": "Tonnes", "decimals": 3},
    ]
    assert match(items, ["W1", "Waste"], "Tonnes")["decimals"] == 3  # series and unit first
    assert match(items, ["Waste"], "Kg")["decimals"] == 2
    assert match(items, ["Other"], "TONNES")["decimals"] == 1  # names compare without case
    assert match(items, ["Other"], None)["decimals"] == 0
    assert not applies({"series": "Waste", "unit": None}, ["Other"], None)
    # Canada's two items meant together: a minimum from one, a maximum from the other
    assert limits_for([{"minimum": 0, "maximum": None}, {"minimum": None, "maximum": 80}], ["x"], None) == (0, 80)


# -- the pages -------------------------------------------------------------------------------------
def test_bar_chart_with_limits_precision_target_line_and_no_map(site):
    page = _page(site, "1-4-2")
    assert 'id="tab-map"' not in page and 'id="panel-map"' not in page  # data_show_map: false
    assert 'id="tab-chart"' in page and 'id="tab-table"' in page
    # precision: two decimals in the static table, however the value was written
    assert re.findall(r'<td class="num">([^<]*)</td>', page)[:4] == ["61.23", "63.50", "64.25", "90.00"]
    data = _page_data(page)["settings"]
    assert data["graph_type"] == "bar" and data["precision"][0]["decimals"] == 2
    assert "problems" not in data and "footer" not in data  # the footer is the page's HTML
    # footer texts with labels, the footnote's Markdown rendered, the inactive source left out
    footer = re.search(r'<dl class="chart-footer national-footer".*?</dl>', page, re.S).group(0)
    assert "<dt>Organisation:</dt><dd>Office for National Statistics</dd>" in footer
    assert "<dd>Provisional figures for <strong>2019</strong>.</dd>" in footer
    assert "Crown copyright 2024" in footer and "England" in footer
    assert "An inactive source" not in page
    svg = _svg(site, "1-4-2")
    assert svg.count("<rect x=") == 1 + 4  # the plot's clip and four bars
    # the axis runs 0 to 80 (graph_limits); 90 is cut at the top, as Open SDG cuts it
    ticks = re.findall(r'dy="0.32em">([^<]*)</text>', svg)
    assert (ticks[0], ticks[-1]) == ("0", "80")
    assert 'clip-path="url(#plot)"' in svg
    # the target line at 70 with its label and two decimals; the one for another unit is not drawn
    assert svg.count('class="annotation"') == 1 and "Aim for 2030: 70.00" in svg
    y70 = svg_chart.TOP + (svg_chart.HEIGHT - svg_chart.TOP - svg_chart.BOTTOM) * (1 - 70 / 80)
    assert f'y1="{y70:.1f}"' in svg
    # French: the same footer under French labels
    french = _page(site, "1-4-2", "fr")
    assert "<dt>Organisation:</dt><dd>Office for National Statistics</dd>" in french
    assert "<dt>Note de bas de page:</dt>" in french and "61,23" in french


def test_line_chart_with_breaks_annotations_and_start_values(site):
    page = _page(site, "16-1-4")
    assert 'id="tab-map"' in page  # data_show_map: true
    data = _page_data(page)["settings"]
    assert data["start_values"] == [{"field": "Sex", "value": "Female", "series": None}]
    assert data["graph_titles"] == [{"series": "Feeling safe at home", "unit": None, "title": "Safety at home"}]
    svg = _svg(site, "16-1-4")
    # the headline series "Feeling safe after dark", 2015-2019 with 2017 blank in the source: the
    # break at position 2 falls on 2017 (years without gaps), the annotation at 0.5 between 2015 and 2016
    found = sorted(float(x) for x in re.findall(r'class="series-break" x1="([\d.]+)"', svg))
    assert found == pytest.approx([_x(2015.5, 2015, 2019), _x(2017, 2015, 2019)], abs=0.1)
    assert "Survey change" in svg
    # the horizontal annotation for every series; the target line of the other series is not drawn
    assert svg.count('class="annotation"') == 1 and "Halfway: 50" in svg


def test_binary_chart_reads_yes_and_no(site):
    svg = _svg(site, "5-5-1")
    labels = re.findall(r'dy="0.32em">([^<]*)</text>', svg)
    assert labels == ["No", "", "Yes"]
    assert svg.count("<rect x=") == 1 + 3
    page = _page(site, "5-5-1")
    assert re.findall(r'<td class="num">([^<]*)</td>', page)[:3] == ["No", "Yes", "Yes"]
    assert re.findall(r'<td class="num">([^<]*)</td>', _page(site, "5-5-1", "fr"))[:3] == ["Non", "Oui", "Oui"]
    assert 'id="tab-map"' not in page


def test_an_indicator_without_settings_keeps_the_defaults(site):
    page = _page(site, "3-2-1")  # a data file without a meta file
    assert 'id="tab-map"' in page and 'id="national-footer"' not in page
    assert _page_data(page)["settings"] is None
    assert re.findall(r'<td class="num">([^<]*)</td>', page)[:2] == ["4.50", "4.25"]  # two decimals by default
    svg = _svg(site, "3-2-1")
    assert 'class="series"' in svg and 'class="bars"' not in svg and 'class="annotation"' not in svg


def test_periods_of_one_year_share_it_on_the_axis():
    """Monthly or quarterly rows of a year sit apart on the chart (bars of one year would cover each
    other); the page's script places them the same way."""
    rows = pd.DataFrame(
        {
            "year": [2020, 2020, 2020, 2021, 2022, 2022],
            "period": ["2020-01", "2020-02", "2020-03", "2021", "2022 Q1", "2022 Q2"],
        }
    )
    assert _positions(rows).tolist() == pytest.approx([2020, 2020 + 1 / 3, 2020 + 2 / 3, 2021, 2022, 2022.5])
    svg = svg_chart.line_chart(_positions(rows), [1, 2, 3, 4, 5, 6], title="monthly", kind="bar")
    bars = svg.decode().split('class="bars"')[1]
    lefts = [float(x) for x in re.findall(r'<rect x="([\d.]+)" y=', bars)]
    assert len(lefts) == 6 and len(set(lefts)) == 6


def test_cli_lists_the_settings_and_their_problems(tmp_path):
    from typer.testing import CliRunner

    from sdgtrack.cli import app

    db = tmp_path / "cli.duckdb"
    with sdgtrack.open(db) as ws:
        ws.ingest(REPO)
    result = CliRunner().invoke(app, ["metadata", "1.4.2", "--settings", "--format", "json", "--db", str(db)])
    assert result.exit_code == 0, result.output
    rows = {r["setting"]: r["value"] for r in json.loads(result.output)}
    assert json.loads(rows["graph_type"]) == "bar" and json.loads(rows["show_map"]) is False
    assert rows["problem"] == 'graph_target_lines: {"value": "high"} (expected a number as value)'
    missing = CliRunner().invoke(app, ["metadata", "3.2.1", "--settings", "--db", str(db)])
    assert missing.exit_code == 0 and "no national metadata" in missing.output


def test_hostile_settings_are_text_and_odd_ones_are_left_out(tmp_path):
    """Labels and titles are the repository's words, never markup; values out of any range are
    passed over without breaking the page."""
    import shutil

    repo = tmp_path / "repo"
    shutil.copytree(REPO, repo)
    (repo / "meta" / "1-4-2.md").write_text(
        "---\nindicator_number: 1.4.2\ngraph_type: bar\n"
        "graph_title: '<script>alert(1)</script>Tenure'\n"
        "graph_target_lines:\n  - value: 1.0e+300\n    label_content: '<img src=x onerror=alert(1)>'\n  - value: .nan\n"
        "graph_series_breaks:\n  - value: 1000\n"
        "graph_limits: '0-80'\n"
        "precision:\n  - decimals: 100\n"
        "footer_fields:\n  - label: '<b onclick=x()>Note</b>'\n    value: '<a href=\"javascript:alert(1)\">see</a> <em>this</em>'\n"
        "    unit: '\"><script>x</script>'\n"
        "data_footnote: '<iframe src=//evil></iframe>Kept words'\n---\n",
        encoding="utf-8",
    )
    ws = sdgtrack.open(tmp_path / "store.duckdb")
    try:
        ws.ingest(repo)
        problems = ws.display_settings("1.4.2")["1.4.2"]["problems"]
        assert [p.split(":")[0] for p in problems] == ["graph_target_lines", "graph_limits", "precision"]
        site = Site(ws, SiteOptions(langs=("en",)))
        page, svg = _page(site, "1-4-2"), _svg(site, "1-4-2")
    finally:
        ws.close()
    # the page data keeps the words as JSON text with every "<" escaped; the script draws them as text
    block = re.search(r'id="page-data">(.*?)</script>', page, re.S).group(1)
    assert "<" not in block and _page_data(page)["settings"]["graph_title"] == "<script>alert(1)</script>Tenure"
    for markup in ("<script>alert", "<img src=x", "onerror=", "<iframe", "javascript:", "<b onclick", "<script>x"):
        assert markup not in page.replace(block, ""), markup
    assert "<img" not in svg and "<script" not in svg and "<iframe" not in svg
    assert "Kept words" in page and "<em>this</em>" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in svg  # the label, as words
    assert 'class="series-break"' not in svg  # position 1000 is past the last year
    assert svg.count('class="bars"') == 1


def test_no_map_speaks_for_its_own_dataset_only(tmp_path):
    """A site that also shows another dataset's series of the indicator keeps the map tab."""
    ws = sdgtrack.open(tmp_path / "both.duckdb")
    try:
        ws.ingest(REPO)
        (tmp_path / "other.csv").write_text(
            "series,area,year,value,indicator\nSI_X,826,2019,5,1.4.2\n", encoding="utf-8"
        )
        ws.ingest(tmp_path / "other.csv", dataset="other")
        both = Site(ws, SiteOptions(langs=("en",)))
        assert 'id="tab-map"' in _page(both, "1-4-2")
        alone = Site(ws, SiteOptions(langs=("en",), datasets=("opensdg-settings",)))
        assert 'id="tab-map"' not in _page(alone, "1-4-2")
    finally:
        ws.close()


def test_an_area_with_only_breakdowns_says_it_has_no_total(tmp_path):
    """UK 1.4.2 holds values by sex and tenure only: its headline figure must not say "No data yet"
    above a chart of data; an indicator with no data says so."""
    repo = tmp_path / "repo"
    shutil.copytree(REPO, repo)
    for extra in (repo / "data").glob("*.csv"):
        if extra.name != "indicator_3-2-1.csv":
            extra.unlink()
    (repo / "data" / "indicator_1-4-1.csv").write_text("Year,Sex,Value\n2018,Female,10\n2018,Male,12\n")
    workspace = sdgtrack.open(tmp_path / "store.duckdb")
    try:
        workspace.ingest(repo)
        site = Site(workspace, SiteOptions(langs=("en", "fr")))
        broken_down = _page(site, "1-4-1")
        facts = re.search(r'<dl class="facts">.*?</dl>', broken_down, re.S).group(0)
        assert "No total: every value is broken down" in facts and "No data yet" not in facts
        assert "Pas de total" in _page(site, "1-4-1", "fr")
        empty = re.search(r'<dl class="facts">.*?</dl>', _page(site, "1-1-1"), re.S).group(0)
        assert "No data yet" in empty and "No total" not in empty  # nothing at all for this one
        figure = _page(site, "3-2-1")
        assert '<span class="headline-figure">4.25</span>' in figure and "No total" not in figure
    finally:
        workspace.close()
