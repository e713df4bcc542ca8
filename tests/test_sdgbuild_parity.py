"""tools/sdgbuild_parity.py on a small pair of sites (tests/fixtures/sdgbuild_parity: sdg-build's files
and sdgtrack's for four indicators), so the comparison itself is tested: identical files in another
order, the listed differences, and differences it must not explain away."""

from __future__ import annotations

import importlib.util
import re
import sys

import pytest

from .conftest import FIXTURES, REPO

PAIR = FIXTURES / "sdgbuild_parity"


@pytest.fixture(scope="module")
def parity():
    spec = importlib.util.spec_from_file_location("sdgbuild_parity", REPO / "tools" / "sdgbuild_parity.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["sdgbuild_parity"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def results(parity):
    return {(r.kind, r.item): r for r in parity.compare_sites(PAIR / "sdgtrack", PAIR / "sdgbuild" / "fx")}


def test_the_table_counts_each_file_kind(parity, results):
    table = parity.table(list(results.values())).set_index("file")
    assert table.loc["data/ID.csv", ["in both", "identical", "listed", "unexplained", "only sdg-build"]].tolist() == [
        3, 1, 1, 1, 1
    ]  # fmt: skip
    assert table.loc["edges/ID.json", ["identical", "unexplained"]].tolist() == [2, 1]
    assert table.loc["stats/*.json", "unexplained"] == 1


def test_order_free_records_are_identical(results):
    # rows and columns in another order, 9 and 9.0, a null and a blank cell: the same records
    for key in (("data", "1-1-1"), ("headline", "1-1-1"), ("comb", "1-1-1"), ("headline/all", "1-1-1")):
        assert results[key].status == "identical", (key, results[key].details)
    assert results[("edges", "1-2-1")].status == "identical"  # the same pairs in another order


def test_listed_differences_need_their_reason(results):
    listed = results[("data", "1-2-1")]
    # sdg-build's 5.0 for a label 5, its row without a value, its altered 17-digit decimal
    assert listed.status == "listed" and listed.reasons == {"numeric-label", "blank-value", "float-digits"}
    assert results[("headline", "1-2-1")].reasons == {"blank-value"}
    meta = results[("meta", "1-1-1")]
    assert meta.status == "listed" and meta.reasons == {"meta-additions", "safe-html"}


def test_real_differences_are_unexplained_and_listed(results):
    data = results[("data", "1-3-1")]
    assert data.status == "unexplained"
    assert data.details[0] == "columns only in sdg-build: ['Observation status']"
    assert "  sdg-build: Value='12.6', Year='2015'" in data.details
    assert "  sdgtrack:  Value='12.5', Year='2015'" in data.details
    meta = results[("meta", "1-2-1")]
    assert meta.details == [
        'field only in sdg-build: goal_number="1"',
        'field graph_type: sdg-build "bar", sdgtrack "line"',
    ]
    assert results[("edges", "1-3-1")].details == [
        "edges only in sdg-build: [('Region', 'Age')]; only in sdgtrack: [('Age', 'Region')]"
    ]
    stats = results[("stats", "reporting")]
    assert "/overall/statuses/status=complete/count: sdg-build 3, sdgtrack 2" in stats.details
    assert not any("goals" in line for line in stats.details)  # the goal's counts agree
    assert results[("data", "1-4-1")].status == "only-sdgbuild"


def test_float_digits_explain_only_the_last_digits(parity):
    import pandas as pd

    out = parity.Outcome("data", "en", "x", "")
    ours = pd.DataFrame({"Year": ["2015", "2016"], "Value": ["0.1", "2"]})
    parity.compare_records(ours, pd.DataFrame({"Year": ["2015", "2016"], "Value": ["0.10000000000000002", "2.0"]}), out)
    assert out.reasons == {"float-digits"} and not out.details
    out = parity.Outcome("data", "en", "x", "")
    parity.compare_records(ours, pd.DataFrame({"Year": ["2015", "2016"], "Value": ["0.1000000001", "2"]}), out)
    assert out.details and "float-digits" not in out.reasons


def test_the_command_lists_one_indicator(parity, capsys):
    code = parity.main(
        ["fx", "--site", str(PAIR / "sdgtrack"), "--reference", str(PAIR / "sdgbuild"), "--indicator", "1-3-1"]
    )
    printed = capsys.readouterr().out
    assert code == 0
    assert re.search(r"en +data/ID\.csv +3 +1 +1 +1 +1 +0\n", printed)
    assert "-- en data/ID.csv 1-3-1: unexplained" in printed and "sdgtrack:  Value='12.5', Year='2015'" in printed
    assert "1-2-1:" not in printed  # only the indicator asked for


def test_json_rounding_is_listed_only_for_sdg_builds_json(parity):
    import pandas as pd

    ours = pd.DataFrame({"Year": ["2015"], "Value": ["12.739383846821"]})
    ref = pd.DataFrame({"Year": ["2015"], "Value": ["12.7393838468"]})
    out = parity.Outcome("comb", "en", "x", "")
    parity.compare_records(ours, ref, out, rounded_json=True)
    assert out.reasons == {"json-rounding"} and not out.details
    out = parity.Outcome("data", "en", "x", "")
    parity.compare_records(ours, ref, out)  # a CSV of sdg-build's is not rounded: a real difference
    assert out.details and not out.reasons


def test_values_cut_at_16_decimals_pair_but_other_values_do_not(parity):
    import pandas as pd

    # sdg-build cuts 0.00044312295332585934 to 0.0004431229533258; two rows of one key pair in value order
    ours = pd.DataFrame({"Year": ["1990", "1990"], "Sex": ["F", "F"], "Value": ["0.00044312295332585934", "0.5"]})
    ref = pd.DataFrame({"Year": ["1990", "1990"], "Sex": ["F", "F"], "Value": ["0.5", "0.0004431229533258"]})
    out = parity.Outcome("data", "en", "x", "")
    parity.compare_records(ours, ref, out)
    assert out.reasons == {"float-digits"} and not out.details
    # the same rows with one value really different: the whole key is unexplained
    ref = pd.DataFrame({"Year": ["1990", "1990"], "Sex": ["F", "F"], "Value": ["0.6", "0.0004431229533258"]})
    out = parity.Outcome("data", "en", "x", "")
    parity.compare_records(ours, ref, out)
    assert out.details and out.details[0].startswith("rows only in sdg-build: 2, only in sdgtrack: 2")


def test_year_floats_and_exact_repeats_are_listed(parity):
    import pandas as pd

    ours = pd.DataFrame({"Year": ["2021", "2021"], "Sex": ["F", "M"], "Value": ["1", "2"]})
    ref = pd.DataFrame({"Year": ["2021.0", "2021.0", "2021.0"], "Sex": ["F", "M", "M"], "Value": ["1", "2", "2"]})
    out = parity.Outcome("data", "en", "x", "")
    parity.compare_records(ours, ref, out)
    assert out.reasons == {"year-float", "exact-repeat"} and not out.details
    # a second copy with another value is no repeat
    ref = pd.DataFrame({"Year": ["2021", "2021", "2021"], "Sex": ["F", "M", "M"], "Value": ["1", "2", "3"]})
    out = parity.Outcome("data", "en", "x", "")
    parity.compare_records(ours, ref, out)
    assert out.details and "exact-repeat" not in out.reasons


def test_package_fields_named_by_code_pair_with_their_column(parity):
    """sdg-build names an SDMX field by its code and titles it by the column its data.csv has."""
    import pandas as pd

    def package(*fields):
        return {"resources": [{"schema": {"fields": list(fields)}}]}

    sex = {"type": "string", "constraints": {"enum": ["Female", ""]}}
    ref_rows = pd.DataFrame({"Year": ["2020"], "Sex": ["Female"], "Value": ["1"]})
    out = parity.Outcome("data-packages", "en", "x", "")
    parity.compare_package(
        package({"name": "Sex", **sex}), package({"name": "SEX", "title": "Sex", **sex}), out, ref_rows
    )
    assert out.reasons == {"package-field-names"} and not out.details
    # a code field whose title is no column of sdg-build's own file stays a difference
    out = parity.Outcome("data-packages", "en", "x", "")
    parity.compare_package(
        package({"name": "Sex", **sex}),
        package({"name": "SEX", "title": "Sex", **sex}),
        out,
        ref_rows.rename(columns={"Sex": "SEX"}),
    )
    assert out.details and "package-field-names" not in out.reasons


def test_series_the_dsd_does_not_list_are_found_and_their_rows_listed(parity, tmp_path):
    import shutil

    import pandas as pd

    repo = tmp_path / "repo"
    shutil.copytree(FIXTURES / "opensdg" / "sdmx_repo", repo)
    assert parity.unlisted_series(repo) == frozenset()
    message = repo / "sdmx-data" / "data.xml"
    text = message.read_text("utf-8").replace('SERIES="XX_NEW_ONE"', 'SERIES="ZZ_NOT_IN_DSD"')
    message.write_text(text, "utf-8")
    assert parity.unlisted_series(repo) == frozenset({"ZZ_NOT_IN_DSD"})
    out = parity.Outcome("data", "en", "x", "")
    ours = pd.DataFrame({"Year": ["2020", "2020"], "SERIES": ["A", "ZZ_NOT_IN_DSD"], "Value": ["1", "2"]})
    kept = parity._without_unlisted(ours, frozenset({"ZZ_NOT_IN_DSD"}), out)
    assert kept["SERIES"].tolist() == ["A"] and out.reasons == {"unplaced-series"}
    assert parity.unlisted_series(None) == frozenset() and parity.unlisted_series(tmp_path) == frozenset()


def test_non_finite_trimmed_and_notes_are_listed_only_where_they_apply(parity):
    import pandas as pd

    ours = pd.DataFrame({"Year": ["2023"], "Series": ["Superficie"], "Value": ["5"]})
    # sdg-build's `inf` row (rejected at load by sdgtrack) and a translation's closing line break
    ref = pd.DataFrame({"Year": ["2023", "2023"], "Series": ["Superficie\n", "Superficie\n"], "Value": ["5.0", "inf"]})
    out = parity.Outcome("data", "en", "x", "")
    parity.compare_records(ours, ref, out)
    assert out.reasons == {"non-finite", "trimmed"} and not out.details
    # a label that differs by more than its ends is no trimming
    out = parity.Outcome("data", "en", "x", "")
    parity.compare_records(ours, pd.DataFrame({"Year": ["2023"], "Series": ["Superficie 2\n"], "Value": ["5"]}), out)
    assert out.details  # unexplained: the cells differ after trimming
    # a total with a note: sdg-build's headline has no row (it takes the note for a breakdown)
    noted = pd.DataFrame({"Year": ["2015", "2016"], "COMMENT_OBS_0": ["Estimate", ""], "Value": ["2.5", "3"]})
    out = parity.Outcome("headline", "en", "x", "")
    parity.compare_records(noted, pd.DataFrame({"Year": ["2016"], "Value": ["3"]}), out, headline=True)
    assert out.reasons == {"observation-attributes"} and not out.details
    out = parity.Outcome("data", "en", "x", "")  # in a data file a note column is a column like any other
    parity.compare_records(noted, pd.DataFrame({"Year": ["2016"], "Value": ["3"]}), out)
    assert out.details


def test_notes_nested_under_a_breakdown_are_listed_other_edges_are_not(parity):
    out = parity.Outcome("edges", "en", "x", "")
    parity.compare_edges({"From": ["Sex"], "To": ["Age"]}, {"From": ["Sex", "Age"], "To": ["Age", "COMMENT_OBS"]}, out)
    assert out.reasons == {"observation-attributes"} and not out.details
    out = parity.Outcome("edges", "en", "x", "")
    parity.compare_edges({"From": ["Sex"], "To": ["Age"]}, {"From": ["Age"], "To": ["Sex"]}, out)
    assert out.details and not out.reasons


def test_package_fields_pair_by_title_with_sdg_builds_own_header(parity):
    import pandas as pd

    def package(fields):
        return {"resources": [{"schema": {"fields": fields}}]}

    ours = package(
        [{"name": "Géographie", "type": "string", "title": "Géographie", "constraints": {"enum": ["Yukon", ""]}}]
    )
    ref = package(
        [{"name": "Geography", "type": "string", "title": "Géographie", "constraints": {"enum": ["Yukon", ""]}}]
    )
    rows = pd.DataFrame({"Year": ["2020"], "Géographie": ["Yukon"], "Value": ["1"]})  # sdg-build's data.csv
    out = parity.Outcome("data-packages", "fr", "x", "")
    parity.compare_package(ours, ref, out, rows)
    assert out.reasons == {"package-names"} and not out.details
    # a field whose name is not the header of sdg-build's own file is not paired
    out = parity.Outcome("data-packages", "fr", "x", "")
    parity.compare_package(ours, ref, out, rows.rename(columns={"Géographie": "Région"}))
    assert "field only in sdg-build: Geography" in out.details


def test_every_listed_reason_is_in_the_docs_table_and_back(parity):
    text = (REPO / "docs" / "site.md").read_text("utf-8")
    section = text[text.index("## sdg-build parity") :]
    section = section[: section.index("\n## ", 1)]
    documented = set(re.findall(r"^\| `([a-z0-9-]+)` \|", section, flags=re.M))
    assert documented == set(parity.EXPLAINED)
