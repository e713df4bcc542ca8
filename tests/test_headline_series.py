"""The headline series of an indicator (one rule, progress/headline.py) and comparisons of like with like."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sdgtrack.progress.headline import REASONS, _words, choose, headline_series
from sdgtrack.progress.targets import default_targets
from sdgtrack.store.comparison import like_with_like


def candidates(*rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["indicator", "dataset", "series", "rank", "rows", "description"])


NO_START = pd.DataFrame(columns=["dataset", "indicator", "field", "value", "position"])


def test_every_un_indicator_gets_one_headline_series_and_its_reason(un_db, capsys):
    chosen = headline_series(un_db)
    offered = un_db.headline_candidates()
    with capsys.disabled():  # the list a statistician reads to check the rule, one line per indicator
        print(f"\n{len(chosen)} indicators of the UN extract: headline series and reason")
        for r in chosen.itertuples():
            print(f"  {r.indicator:8} {r.series:18} {r.reason:13} of {r.candidates}")
    assert chosen["indicator"].is_unique and set(chosen["indicator"]) == set(offered["indicator"])
    pairs = set(zip(offered["indicator"], offered["series"]))
    assert all((i, s) in pairs for i, s in zip(chosen["indicator"], chosen["series"]))
    counts = offered.groupby("indicator").size()
    assert (chosen["candidates"].to_numpy() == counts.reindex(chosen["indicator"]).to_numpy()).all()
    assert set(chosen["reason"]) <= set(REASONS)
    assert ((chosen["reason"] == "only") == (chosen["candidates"] == 1)).all()
    by_code = chosen.set_index("indicator")
    # the quantity the SDG target is stated in, not the alphabetically first series
    assert by_code.loc["3.2.1", ["series", "reason"]].tolist() == ["SH_DYN_MORT", "target"]
    assert by_code.loc["3.2.2", ["series", "reason"]].tolist() == ["SH_DYN_NMRT", "target"]
    assert by_code.loc["15.1.1", "series"] == "AG_LND_FRST"  # "Forest area as a proportion of total land area"
    # a series chosen for its target has a numeric target; no other candidate beat it on that step
    table = default_targets()
    numeric = set(table.loc[table["target"].notna(), "series"])
    assert set(chosen.loc[chosen["reason"] == "target", "series"]) <= numeric
    by_target = chosen[chosen["reason"] == "target"]
    for indicator in by_target["indicator"]:
        rivals = offered.loc[offered["indicator"] == indicator, "series"]
        assert not rivals.isin(numeric).all()  # else the target would not have decided
    # where the title decided, no candidate holds more of the title's words
    titles = un_db.node_titles("sdg")
    for r in chosen[chosen["reason"] == "title"].itertuples():
        words = _words(titles[r.indicator])
        mine = len(_words(r.description) & words)
        others = offered.loc[(offered["indicator"] == r.indicator) & ~offered["series"].isin(numeric), "description"]
        assert all(len(_words(str(d)) & words) <= mine for d in others) or r.series in numeric


def test_each_step_of_the_rule_in_order():
    titles = {"3.2.1": "Under-5 mortality rate", "9.9.9": "Proportion of widgets repaired"}
    rows = candidates(
        ("3.2.1", "unsd", "SH_DYN_IMRT", 3, 900, "Infant mortality rate (deaths per 1,000 live births)"),
        ("3.2.1", "unsd", "SH_DYN_MORT", 3, 100, "Under-five mortality rate, by sex (deaths per 1,000 live births)"),
        ("9.9.9", "unsd", "A", 3, 50, "Widgets repaired, proportion (%)"),
        ("9.9.9", "unsd", "B", 3, 60, "Proportion of widgets repaired by women (%)"),
        ("9.9.9", "unsd", "C", 3, 70, "Number of widgets"),
    )
    # 1. a numeric 2030 target decides before anything else
    got = choose(rows, {"SH_DYN_MORT"}, NO_START, titles).set_index("indicator")
    assert got.loc["3.2.1", ["series", "reason"]].tolist() == ["SH_DYN_MORT", "target"]
    # 3. without one: the title's words (under, 5, mortality, rate), before observations
    got = choose(rows, set(), NO_START, titles).set_index("indicator")
    assert got.loc["3.2.1", ["series", "reason"]].tolist() == ["SH_DYN_MORT", "title"]
    # equal share of the title: the one with fewest other words (the plain series before a breakdown)
    assert got.loc["9.9.9", ["series", "reason", "candidates"]].tolist() == ["A", "title", 3]
    # 2. the source's own default selection beats the title
    start = pd.DataFrame([("unsd", "9.9.9", "Series", "Number of widgets", 0)], columns=NO_START.columns)
    got = choose(rows, set(), start, titles).set_index("indicator")
    assert got.loc["9.9.9", ["series", "reason"]].tolist() == ["C", "start"]
    # 4. nothing else tells them apart: most observations, then the first code
    same = candidates(
        ("1.1.1", "unsd", "Y", 3, 10, "Same words"),
        ("1.1.1", "unsd", "X", 3, 10, "Same words"),
        ("2.2.2", "unsd", "P", 3, 5, "Same words"),
        ("2.2.2", "unsd", "Q", 3, 9, "Same words"),
    )
    got = choose(same, set(), NO_START, {}).set_index("indicator")
    assert got.loc["1.1.1", ["series", "reason"]].tolist() == ["X", "code"]
    assert got.loc["2.2.2", ["series", "reason"]].tolist() == ["Q", "observations"]
    # the most preferred dataset with headline values speaks first (a national site's own figures)
    mixed = candidates(
        ("3.2.1", "unsd", "SH_DYN_MORT", 2, 100, "Under-five mortality rate"),
        ("3.2.1", "opensdg-uk", "GB:3.2.1", 1, 20, "Infant deaths"),
    )
    got = choose(mixed, {"SH_DYN_MORT"}, NO_START, titles)
    assert got[["dataset", "series", "reason", "candidates"]].values.tolist() == [["opensdg-uk", "GB:3.2.1", "only", 1]]


def values(*rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["dataset", "series", "area", "year", "value", "unit", "rank"])


def test_only_like_is_compared_with_like():
    links = pd.DataFrame({"series": ["GB:3.2.2", "SH_DYN_NMRT"], "other": ["SH_DYN_NMRT", "GB:3.2.2"]})
    rows = values(
        ("opensdg-uk", "GB:3.2.1", "826", 2018, 4.31, "Rate per 1,000 live births", 1),  # under-5: no link
        ("unsd", "SH_DYN_IMRT", "826", 2018, 3.6, "PER_1000_LIVE_BIRTHS", 2),  # infant mortality
        ("opensdg-uk", "GB:3.2.2", "826", 2018, 2.7, "Rate per 1,000 live births", 1),
        ("opensdg-uk", "GB:3.2.2", "826", 2019, 2.8, "Rate per 1,000 live births", 1),
        ("unsd", "SH_DYN_NMRT", "826", 2018, 2.8, "PER_1000_LIVE_BIRTHS", 2),
        ("unsd", "SH_DYN_NMRT", "826", 2017, 2.9, "PER_1000_LIVE_BIRTHS", 2),
        ("opensdg-rwanda", "SH_DYN_MORT", "646", 2000, 196.0, "PER_1000_LIVE_BIRTHS", 1),
        ("unsd", "SH_DYN_MORT", "646", 2000, 178.7, "PER_1000_LIVE_BIRTHS", 2),
        ("opensdg-rwanda", "EN_X", "646", 2000, 5.0, "CU_USD", 1),  # same code, units of another measure
        ("unsd", "EN_X", "646", 2000, 5.0, "CU_USD_M", 2),
    )
    long = like_with_like(rows, links)
    pairs = set(zip(long["series"], long["other_series"], long["match"]))
    assert pairs == {("GB:3.2.2", "SH_DYN_NMRT", "crosswalk"), ("SH_DYN_MORT", "SH_DYN_MORT", "same series")}
    neonatal = long[long["series"] == "GB:3.2.2"].set_index("year")
    assert neonatal.index.tolist() == [2017, 2018, 2019]  # a year either source has
    assert neonatal.loc[2018, "difference"] == 0.1 and np.isnan(neonatal.loc[2017, "difference"])
    under5 = long[long["series"] == "SH_DYN_MORT"].iloc[0]
    assert (under5["dataset"], under5["other_dataset"], under5["difference"]) == ("opensdg-rwanda", "unsd", -17.3)
    assert like_with_like(rows.iloc[:2], links).empty  # under-5 beside infant mortality: nothing


def test_the_cli_and_the_api_give_the_same_choice(tmp_path):
    """examples/data.csv (UN under-5 mortality and electricity access for Kenya and the UK) beside a
    national file with infant and under-5 mortality for Kenya: the same choice from every face."""
    from fastapi.testclient import TestClient

    import sdgtrack
    from sdgtrack.cli import run
    from sdgtrack.web.app import create_app

    examples = Path(__file__).resolve().parents[1] / "examples" / "data.csv"
    national = tmp_path / "kenya.csv"
    national.write_text(
        "series,area,year,value,indicator,unit\n"
        "KE_IMR,KEN,2019,31.9,3.2.1,PER_1000_LIVE_BIRTHS\nKE_IMR,KEN,2020,30.5,3.2.1,PER_1000_LIVE_BIRTHS\n"
        "KE_U5MR,KEN,2019,43.2,3.2.1,PER_1000_LIVE_BIRTHS\n",
        encoding="utf-8",
    )
    store = tmp_path / "store.duckdb"
    with sdgtrack.open(store) as ws:
        ws.ingest(examples)
        ws.ingest(national, dataset="kenya-nso", dataset_info={"kind": "national", "title": "Kenya NSO"})
        everywhere = ws.headline_series().set_index("indicator")
        kenya = ws.headline_series(areas=["KEN"]).set_index("indicator")
    assert everywhere.loc["3.2.1", "dataset"] == "kenya-nso"  # the national dataset speaks first
    assert kenya.loc["3.2.1", "dataset"] == "kenya-nso" and kenya.loc["3.2.1", "candidates"] == 2
    assert run(["headline", "--db", str(store), "--indicator", "3.2.1", "--area", "KEN", "--format", "csv"]) == 0
    app = create_app(store)
    try:
        with TestClient(app) as client:
            answer = client.get("/api/headline", params={"indicator": "3.2.1", "area": "KEN"})
            assert answer.status_code == 200
            (item,) = answer.json()["items"]
            assert (item["series"], item["reason"]) == (kenya.loc["3.2.1", "series"], kenya.loc["3.2.1", "reason"])
            assert client.get("/api/headline", params={"area": "Atlantis"}).status_code == 400
            gbr = client.get("/api/headline", params={"area": "GBR", "indicator": "3.2.1"}).json()["items"]
            assert [(i["series"], i["reason"]) for i in gbr] == [("SH_DYN_MORT", "only")]
    finally:
        app.state.owner.close()
