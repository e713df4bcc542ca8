"""`sdgtrack index` from the command line: output, chart files and bad inputs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from sdgtrack.index import load_codebook
from sdgtrack.index.codebook import IndexInputError
from sdgtrack.ingest import load

HEADER = "indicator,goal,optimum,lower_bound,green_threshold,red_threshold,in_index,trend\n"
GOOD = HEADER + "up,1,100,0,80,40,yes,yes\ndown,2,0,50,10,30,yes,no\n"


def run(*args, env_db: Path):
    env = {**os.environ, "COLUMNS": "400"}  # rich wraps messages at the terminal width
    return subprocess.run(
        [sys.executable, "-m", "sdgtrack.cli", *args, "--db", str(env_db)],
        capture_output=True,
        text=True,
        cwd=env_db.parent,
        env=env,
    )


@pytest.fixture
def store(db, tmp_path):
    data = tmp_path / "data.csv"
    pd.DataFrame(
        {
            "series": ["up", "up", "down", "down"],
            "area": ["FIN", "SWE", "FIN", "SWE"],
            "year": 2022,
            "value": [90, 50, 5, 40],
        }
    ).to_csv(data, index=False)
    load(db, data)
    path = db.path
    db.close()
    return path


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_cli_areas_json_and_chart(store, tmp_path):
    book = write(tmp_path, "book.csv", GOOD)
    proc = run("index", "--codebook", str(book), "--format", "json", "--chart", str(tmp_path / "d.html"), env_db=store)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)  # the Result document, nothing else on stdout
    assert doc["analysis"] == "index" and doc["parameters"]["max_missing"] == 0.2 and list(doc["tables"]) == ["areas"]
    rows = doc["tables"]["areas"]
    assert [(r["area"], r["rank"], r["index"]) for r in rows] == [("246", 1, 90.0), ("752", 2, 35.0)]
    assert rows[0]["goal_1_colour"] == "green" and rows[1]["goal_2_colour"] == "red"
    page = (tmp_path / "d.html").read_text(encoding="utf-8")
    assert "<script src=" not in page and "vega" in page and "SDG Dashboard" in page


def test_cli_indicator_rows_and_svg(store, tmp_path):
    book = write(tmp_path, "book.csv", GOOD)
    proc = run(
        "index",
        "--codebook",
        str(book),
        "--indicators",
        "--format",
        "csv",
        "--chart",
        str(tmp_path / "d.svg"),
        env_db=store,
    )
    assert proc.returncode == 0, proc.stderr
    assert "down,2,True,2022,5.0,90.0,green" in proc.stdout
    assert (tmp_path / "d.svg").read_text(encoding="utf-8").startswith("<svg")


@pytest.mark.parametrize(
    "text, message",
    [
        (HEADER + "up,1,50,50,50,50,yes,yes\n", "line 2, column 'optimum': got '50'; expected an optimum different"),
        (HEADER.replace("goal,", "") + "up,100,0,80,40,yes,yes\n", "column 'goal'"),
        (HEADER + "up,1,100,0,120,40,yes,yes\n", "column 'green_threshold': got '120'; expected a threshold between"),
        (HEADER + "up,1,100,0,80,40,yes,yes\nnope,2,0,50,10,30,yes,no\n", "line 3, column 'indicator': got 'nope'"),
    ],
)
def test_cli_bad_codebook_one_clear_error(store, tmp_path, text, message):
    book = write(tmp_path, "bad.csv", text)
    chart = tmp_path / "d.svg"
    proc = run("index", "--codebook", str(book), "--chart", str(chart), env_db=store)
    assert proc.returncode == 1
    assert message in proc.stderr and "nothing was computed" in proc.stderr
    assert "Traceback" not in proc.stderr and not chart.exists()


def test_cli_bad_regions_and_options(store, tmp_path):
    book = write(tmp_path, "book.csv", GOOD)
    regions = write(
        tmp_path, "regions.csv", "area,region,goals_not_applicable\nFIN,North,\nAtlantis,North,\nSWE,North,x\n"
    )
    proc = run("index", "--codebook", str(book), "--regions", str(regions), env_db=store)
    assert proc.returncode == 1 and "line 3, column 'area': got 'Atlantis'" in proc.stderr
    assert "line 4, column 'goals_not_applicable'" in proc.stderr
    proc = run("index", "--codebook", str(book), "--max-missing", "150", env_db=store)
    assert proc.returncode == 1 and "max_missing" in proc.stderr and "Traceback" not in proc.stderr
    proc = run("index", "--codebook", str(tmp_path / "missing.csv"), env_db=store)
    assert proc.returncode == 1 and "missing.csv" in proc.stderr and "Traceback" not in proc.stderr


def test_api_reports_every_codebook_problem(tmp_path):
    bad = pd.DataFrame(
        {
            "indicator": ["a", "a", "b"],
            "goal": [1, 18, 2],
            "optimum": [100, 100, 0],
            "lower_bound": [0, 0, 10],
            "green_threshold": [80, 80, 5],
            "red_threshold": [90, 40, 8],
            "in_index": ["yes", "maybe", "no"],
            "trend": ["no", "no", "no"],
        }
    )
    with pytest.raises(IndexInputError) as info:
        load_codebook(bad)
    text = str(info.value)
    assert "line 2, column 'green_threshold'" in text  # green worse than red
    assert "line 3, column 'indicator'" in text and "line 3, column 'goal'" in text
    assert "line 3, column 'in_index'" in text
    assert "line 4, column 'green_threshold'" not in text  # lower is better: 5 is better than 8


def test_cli_dataset_without_the_codebook_values_is_one_clear_error(store, tmp_path):
    other = tmp_path / "other.csv"
    other.write_text("series,area,year,value\nup,NOR,2022,1\n")
    assert run("ingest", str(other), env_db=store).returncode == 0
    book = write(tmp_path, "book.csv", GOOD)
    out = run("index", "--codebook", str(book), "--dataset", "data", "--format", "csv", env_db=store)
    assert out.returncode == 0 and "NOR" not in out.stdout  # the index of one dataset's values
    out = run("index", "--codebook", str(book), "--year", "2021", "--dataset", "other", env_db=store)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "no values for the codebook's indicators up to 2021 in dataset(s) other" in out.stderr
