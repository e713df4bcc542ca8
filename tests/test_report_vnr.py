"""The VNR statistical annex on a small real store: four UK Open SDG indicator files and the UN
demo subset's rows for the World, Kenya and the UK. Content is checked against the source files
read here with pandas, in every format and language; bad input gives one message and no file."""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

import sdgtrack
from sdgtrack.errors import UserInputError
from sdgtrack.report.vnr import build_annex

from .conftest import REPO, shared_path

UK_FILES = ("1-1-1", "3-2-1", "5-5-1", "7-1-1")
AREAS = {"1", "404", "826"}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("vnr")
    uk = shared_path("opensdg", "uk")
    repo = tmp / "uk"
    (repo / "data").mkdir(parents=True)
    (repo / "meta").mkdir()
    shutil.copy(uk / "config_data.yml", repo)
    for code in UK_FILES:
        shutil.copy(uk / "data" / f"indicator_{code}.csv", repo / "data")
        shutil.copy(uk / "meta" / f"{code}.md", repo / "meta")
    demo = pd.read_csv(REPO / "src" / "sdgtrack" / "demo" / "unsd_demo_2020.csv.gz", dtype=str, keep_default_na=False)
    un = demo[demo["GeoAreaCode"].isin(AREAS)]
    with gzip.open(tmp / "unsd_subset.csv.gz", "wt", encoding="utf-8", newline="") as f:
        un.to_csv(f, index=False)
    ws = sdgtrack.open(tmp / "vnr.duckdb")
    ws.ingest(repo, dataset="opensdg-uk")
    ws.ingest(tmp / "unsd_subset.csv.gz", dataset="unsd")
    ws.close()
    ws = sdgtrack.open(tmp / "vnr.duckdb", read_only=True)
    yield {"ws": ws, "repo": repo, "un": un, "path": tmp / "vnr.duckdb"}
    ws.close()


@pytest.fixture(scope="module")
def uk_annex(store):
    return build_annex(store["ws"], "GBR")


def _world_text(un: pd.DataFrame, series: str) -> tuple[str, str]:
    rows = un[(un["SeriesCode"] == series) & (un["GeoAreaCode"] == "1")]
    last = rows.loc[rows["TimePeriod"].astype(int).idxmax()]
    return last["TimePeriod"], last["Value"]


def test_uk_annex_content(store, uk_annex):
    table = uk_annex.table.set_index("indicator")
    ws = store["ws"]
    indicators = [c for c, level, _p, _t in ws.current_nodes("sdg") if level == "indicator"]
    assert list(table.index) == indicators  # every indicator of the framework, in its order
    # national series first (the store's preference), the UN series of other indicators after
    row = table.loc["1.1.1"]
    assert row["dataset"] == "opensdg-uk" and row["source_kind"] == "national" and row["series"].startswith("GB:1.1.1")
    src = pd.read_csv(store["repo"] / "data" / "indicator_1-1-1.csv", dtype=str)
    latest = src.loc[src["Year"].astype(int).idxmax()]
    assert row["latest_period"] == latest["Year"] and row["latest_text"] == latest["Value"]
    since = src[src["Year"].astype(int) >= 2015].iloc[0]
    assert row["baseline_period"] == since["Year"] and row["baseline_text"] == since["Value"]
    # the World figure beside it is the UN series of the same indicator, as the UN file wrote it
    year, value = _world_text(store["un"], "SI_POV_DAY1")
    assert (row["world_series"], str(row["world_year"]), row["world_text"]) == ("SI_POV_DAY1", year, value)
    # an indicator the UK files lack comes from the UN data; one nobody has is listed as without data
    un_only = table[(table["dataset"] == "unsd")]
    assert len(un_only) and set(un_only["source_kind"]) == {"global"}
    assert table["series"].isna().sum() == uk_annex.counts["total"] - uk_annex.counts["with_data"]
    goal1 = next(g for g in uk_annex.goals if g["code"] == "1")
    listed = {r["indicator"] for r in goal1["without_data"]}
    assert listed == set(table[(table["goal"] == "1") & table["series"].isna()].index)
    # each indicator with data has its trend points, the series' headline values
    years, values = uk_annex.trends["1.1.1"]
    assert len(years) == len(src) and float(values[-1]) == float(latest["Value"])
    # a method named wherever there is a status
    assert set(table.loc[table["series"].notna(), "method"]) == {"unsd"}


def test_kenya_un_only(store):
    annex = build_annex(store["ws"], "Kenya")
    t = annex.table.dropna(subset=["series"])
    assert set(t["dataset"]) == {"unsd"} and len(t) > 10
    assert annex.chart is not None and annex.counts["assessed"] > 0
    # the chart's title and summary are the document's text, not drawn in the picture
    assert "title" not in annex.chart and annex.chart_notes[0].endswith(": Kenya") and len(annex.chart_notes) == 3
    un = store["un"]
    ken = un[(un["GeoAreaCode"] == "404") & (un["Indicator"] == "3.2.1")]
    row = t.set_index("indicator").loc["3.2.1"]
    # the shared headline rule: under-5 mortality (its 2030 target), not infant mortality (first by code)
    assert row["series"] == "SH_DYN_MORT" and "SH_DYN_IMRT" in set(ken["SeriesCode"])
    ken = ken[ken["SeriesCode"] == row["series"]]
    last = ken.loc[ken["TimePeriod"].astype(int).idxmax()]
    assert row["latest_text"] == last["Value"] and row["latest_period"] == last["TimePeriod"]
    assert isinstance(row["status"], str) and row["status_text"]  # assessed: the method's status in words
    # the UN's unit code, named (and in French in a French annex)
    assert row["unit"] == last["Units"] and row["unit_label"] not in ("", last["Units"])
    fr = build_annex(store["ws"], "Kenya", lang="fr").table.set_index("indicator").loc["3.2.1"]
    assert fr["unit"] == row["unit"]


def test_docx_opens_back_with_its_tables(store, uk_annex, tmp_path):
    import docx

    path = uk_annex.write(tmp_path / "annex.docx")
    doc = docx.Document(str(path))
    paragraphs = [p.text for p in doc.paragraphs]
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert paragraphs[0] == "Statistical annex" and doc.paragraphs[0].style.name == "Title"
    assert sum(h.startswith("Goal ") for h in headings) == 17
    goal1 = uk_annex.goals[0]
    assert goal1["heading"] in headings
    with_data = uk_annex.table.dropna(subset=["series"])
    assert len(doc.tables) == with_data["goal"].nunique()  # one table per goal with data
    rows = {t.rows[i].cells[0].text.split(" ")[0]: t.rows[i] for t in doc.tables for i in range(1, len(t.rows))}
    assert set(rows) == set(with_data["indicator"])
    r = with_data.set_index("indicator").loc["1.1.1"]
    cells = [c.text for c in rows["1.1.1"].cells]
    assert cells[3].split("\n") == [r["baseline_text"], r["baseline_period"]]
    assert cells[4].split("\n")[0] == r["latest_text"] and "National" in cells[6]
    # pictures: the progress chart (if any) and one trend per indicator with data
    assert len(doc.inline_shapes) == len(with_data) + (uk_annex.chart is not None)
    assert all(note in paragraphs for note in uk_annex.chart_notes)
    # the contents field Word refreshes
    assert "TOC" in doc.element.body.xml


def test_xlsx_one_row_per_indicator(store, uk_annex, tmp_path):
    import openpyxl

    path = uk_annex.write(tmp_path / "annex.xlsx")
    wb = openpyxl.load_workbook(path)
    sheet = wb.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert len(body) == uk_annex.counts["total"]
    by_indicator = {r[header.index("Indicator")]: dict(zip(header, r)) for r in body}
    r = uk_annex.table.set_index("indicator").loc["1.1.1"]
    got = by_indicator["1.1.1"]
    assert got["Latest: value"] == pytest.approx(r["latest_value"]) and got["Latest"] == r["latest_text"]
    assert got["Source"] == "National" and got["Dataset"] == "opensdg-uk"
    assert by_indicator[next(i for i, x in by_indicator.items() if x["Series"] is None)]["Progress"] == "No data"
    assert [s.title for s in wb.worksheets] == ["Indicators", "Sources", "About"]


@pytest.mark.parametrize("lang", ["en", "fr", "es", "ar", "ru", "zh-Hans"])
def test_annex_speaks_each_language(store, lang, tmp_path):
    from sdgtrack.report.words import strings_file

    annex = build_annex(store["ws"], "Kenya", lang=lang)
    page = annex.write(tmp_path / "annex.html").read_text(encoding="utf-8")
    strings = strings_file()["strings"]
    assert f'lang="{lang}"' in page and strings["title"][lang] in page
    assert ('dir="rtl"' in page) == (lang == "ar")
    title = store["ws"].titles_in(lang)["1"][0]
    assert annex.goals[0]["title"] == title and title in page
    if lang != "en":  # the framework's translation, not the English title
        assert title != store["ws"].titles_in("en")["1"][0]
    assert "<script" not in page and "http" not in page.split("<body")[0]  # self-contained


def test_every_string_in_six_languages():
    from sdgtrack.report.words import languages, strings_file

    langs = set(languages())
    assert langs == {"en", "fr", "es", "ar", "ru", "zh-Hans"}
    missing = [(k, sorted(langs - set(v))) for k, v in strings_file()["strings"].items() if langs - set(v)]
    assert missing == []


def test_arabic_docx_and_xlsx_right_to_left(store, tmp_path):
    import docx
    import openpyxl

    annex = build_annex(store["ws"], "Kenya", lang="ar")
    doc = docx.Document(str(annex.write(tmp_path / "a.docx")))
    assert "<w:bidi/>" in doc.paragraphs[0]._p.xml and doc.paragraphs[0].text == "المرفق الإحصائي"
    wb = openpyxl.load_workbook(annex.write(tmp_path / "a.xlsx"))
    assert wb.worksheets[0].sheet_view.rightToLeft


def test_pdf_pages(store, tmp_path):
    pytest.importorskip("weasyprint")
    annex = build_annex(store["ws"], "Kenya")
    path = annex.write(tmp_path / "annex.pdf")
    assert path.read_bytes()[:5] == b"%PDF-"
    if not (shutil.which("pdfinfo") and shutil.which("pdftotext")):
        pytest.skip("poppler-utils (pdfinfo, pdftotext) not installed: the PDF's pages are not read back")
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages >= 3 + 17 + 1  # cover, contents, progress chart, a page at least per goal, sources
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages_text = text.split("\f")
    assert "Statistical annex" in pages_text[0] and "Contents" in pages_text[1]
    assert "Goal 17: " in text and "Sources and methods" in pages_text[-2 if pages_text[-1] == "" else -1]
    shown = annex.table.dropna(subset=["series"]).set_index("indicator").loc["3.2.1"]
    assert shown["latest_text"] in text


def test_bad_input_one_message_no_file(store, tmp_path, monkeypatch):
    ws = store["ws"]
    with pytest.raises(UserInputError, match="Atlantis"):
        build_annex(ws, "Atlantis")
    with pytest.raises(UserInputError, match="has no headline values"):
        build_annex(ws, "Andorra")  # a country the store has no value for
    with pytest.raises(UserInputError, match="dataset 'nope' is not in the store"):
        build_annex(ws, "GBR", datasets=["nope"])
    with pytest.raises(UserInputError, match="language 'de'"):
        build_annex(ws, "GBR", lang="de")
    annex = build_annex(ws, "Kenya")
    with pytest.raises(UserInputError, match=r"expected a name ending in \.html, \.pdf, \.docx, \.xlsx"):
        annex.write(tmp_path / "annex.txt")
    with pytest.raises(UserInputError, match="does not exist"):
        annex.write(tmp_path / "no" / "such" / "annex.docx")
    (tmp_path / "folder.docx").mkdir()
    with pytest.raises(UserInputError, match="is a folder"):
        annex.write(tmp_path / "folder.docx")
    (tmp_path / "folder.docx").rmdir()
    # a writer failing half way leaves neither the file nor its temporary
    from sdgtrack.report import workbook

    def broken(a, path: Path) -> None:
        path.write_bytes(b"half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(workbook, "write_xlsx", broken)
    with pytest.raises(UserInputError, match="No space left on device"):
        annex.write(tmp_path / "full.xlsx")
    assert os.listdir(tmp_path) == []


def test_cli(store, tmp_path, capsys):
    from sdgtrack.cli import run

    out = tmp_path / "kenya.xlsx"
    db = str(store["path"])
    assert run(["report", "vnr", "--area", "KEN", "--lang", "fr", "--output", str(out), "--db", db]) == 0
    assert "Kenya" in capsys.readouterr().out and out.exists()
    import openpyxl

    assert openpyxl.load_workbook(out).worksheets[0]["C1"].value == "Indicateur"
    for args, words in (
        (["--area", "Atlantis", "--output", str(tmp_path / "a.html")], "unknown area 'Atlantis'"),
        (["--area", "KEN", "--output", str(tmp_path / "a.odt")], "expected a name ending in"),
        (["--area", "KEN", "--output", str(tmp_path / "x" / "a.pdf")], "does not exist"),
        (["--area", "KEN", "--dataset", "nope", "--output", str(tmp_path / "a.html")], "'nope'"),
    ):
        assert run(["report", "vnr", *args, "--db", db]) == 1
        err = capsys.readouterr().err
        assert words in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert sorted(os.listdir(tmp_path)) == ["kenya.xlsx"]


def test_html_shows_what_the_table_says(store, uk_annex, tmp_path):
    page = uk_annex.write(tmp_path / "uk.html").read_text(encoding="utf-8")
    with_data = uk_annex.table.dropna(subset=["series"])
    for r in with_data.itertuples():
        assert f'id="ind-{r.indicator}"' in page
    assert page.count("data:image/svg+xml;base64,") == len(with_data) + (uk_annex.chart is not None)
    for d in uk_annex.datasets:
        assert d["title"] in page
    assert page.count('class="goal"') == 18  # 17 goals and the sources, each from a new page


def test_national_series_take_the_global_direction(store, uk_annex):
    from sdgtrack.progress.targets import default_targets

    row = uk_annex.table.set_index("indicator").loc["1.1.1"]
    direction = default_targets().set_index("series").loc["SI_POV_DAY1", "direction"]
    assert row["target_source"] == "direction of SI_POV_DAY1 (indicator 1.1.1); no numeric target"
    # the UN method without a target: the sign of the growth against the desired direction
    growth = (row["latest_value"] - row["baseline_value"]) * (1 if direction == "increase" else -1)
    assert row["status"] == ("regression" if growth < 0 else row["status"]) and row["status"] != "insufficient_data"
    assert any("global series" in line for line in uk_annex.method_lines())
    own = build_annex(store["ws"], "GBR", global_directions=False).table.set_index("indicator").loc["1.1.1"]
    assert pd.isna(own["status"]) and own["status_text"] == "Not assessed (no target)"


def test_pdf_needs_a_font_for_its_language(store, tmp_path):
    pytest.importorskip("weasyprint")
    if not shutil.which("fc-list"):
        pytest.skip("no fontconfig: fonts are not checked")
    has_cjk = bool(subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout.strip())
    annex = build_annex(store["ws"], "Kenya", lang="zh-Hans")
    if has_cjk:
        assert annex.write(tmp_path / "zh.pdf").exists()
    else:
        with pytest.raises(UserInputError, match="fonts-noto-cjk"):
            annex.write(tmp_path / "zh.pdf")
        assert os.listdir(tmp_path) == []


def test_hostile_text_stays_text(tmp_path):
    """A dataset's title, publisher and series text are whatever a source wrote: no formula in the
    workbook, no markup in the page, no control character stopping the Word writer."""
    import docx
    import openpyxl

    csv = tmp_path / "evil.csv"
    csv.write_text(
        "series,area,year,value,indicator,unit\n"
        + "".join(f"XX_EVIL,KEN,{y},{v},3.2.1,=cmd|' /C calc'!A0\n" for y, v in ((2015, 10), (2018, 12)))
    )
    title = '=HYPERLINK("http://evil.example","click")\x0b<script>alert(1)</script>'
    with sdgtrack.open(tmp_path / "e.duckdb") as ws:
        ws.ingest(csv, dataset="evil", dataset_info={"title": title, "kind": "national", "publisher": "@SUM(1)"})
        annex = build_annex(ws, "KEN")
        sheet = openpyxl.load_workbook(annex.write(tmp_path / "e.xlsx"))
        cells = [c for s in sheet.worksheets for row in s.iter_rows() for c in row if isinstance(c.value, str)]
        assert all(c.data_type == "s" for c in cells)
        assert any(c.value.startswith("=HYPERLINK") for c in cells) and any(c.value.startswith("=cmd") for c in cells)
        page = annex.write(tmp_path / "e.html").read_text()
        assert "<script>alert" not in page and "&lt;script&gt;alert(1)" in page
        text = "\n".join(p.text for p in docx.Document(str(annex.write(tmp_path / "e.docx"))).paragraphs)
        assert '=HYPERLINK("http://evil.example","click")<script>' in text  # written, the vertical tab dropped


def test_source_organisations_from_national_metadata(store, uk_annex, tmp_path):
    import openpyxl
    import yaml

    table = uk_annex.table.set_index("indicator")
    for code in ("3-2-1", "5-5-1"):
        text = (store["repo"] / "meta" / f"{code}.md").read_text(encoding="utf-8")
        front = yaml.safe_load(text.split("---")[1])
        keys = sorted(
            (k for k in front if k.startswith("source_organisation_") and front[k]),
            key=lambda k: int(k.rsplit("_", 1)[1]),
        )
        expected = "; ".join(dict.fromkeys(str(front[k]).strip() for k in keys))
        assert table.loc[code.replace("-", "."), "source_organisation"] == expected
    assert pd.isna(table.loc["3.2.2", "source_organisation"]) or table.loc["3.2.2", "dataset"] != "opensdg-uk"
    sheet = openpyxl.load_workbook(uk_annex.write(tmp_path / "uk.xlsx")).worksheets[0]
    header = [c.value for c in sheet[1]]
    rows = {r[header.index("Indicator")]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["5.5.1"][header.index("Source organisation")].startswith("House of Commons Library; House of Lords")
    page = uk_annex.write(tmp_path / "uk.html").read_text(encoding="utf-8")
    assert ": nan" not in page and "National: Office for National Statistics (ONS)" in page


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes in any folder")
def test_unwritable_folder(store, tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(UserInputError, match="permission denied"):
            build_annex(store["ws"], "Kenya").write(folder / "annex.xlsx")
        assert os.listdir(folder) == []
    finally:
        folder.chmod(0o700)


def test_nothing_assessable_says_so(tmp_path):
    import docx

    csv = tmp_path / "one.csv"
    csv.write_text(
        "series,area,year,value,indicator,unit\nXX_A,KEN,2015,10,3.2.1,NUMBER\nXX_A,KEN,2018,12,3.2.1,NUMBER\n"
    )
    with sdgtrack.open(tmp_path / "s.duckdb") as ws:
        ws.ingest(csv, dataset="one")
        annex = build_annex(ws, "KEN", global_directions=False)
        total = sum(level == "indicator" for _c, level, _p, _t in ws.current_nodes("sdg"))
        assert annex.chart is None and annex.counts == {"total": total, "with_data": 1, "assessed": 0}
        sentence = "No series of Kenya could be assessed, so there is no progress chart."
        assert sentence in annex.write(tmp_path / "a.html").read_text(encoding="utf-8")
        assert sentence in [p.text for p in docx.Document(str(annex.write(tmp_path / "a.docx"))).paragraphs]
