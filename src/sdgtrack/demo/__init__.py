"""The demo data set: a real subset of the UN SDG Global Database shipped with the package
(made by ``tools/build_demo_data.py``)."""
from __future__ import annotations

from importlib import resources
from pathlib import Path


def demo_data_path() -> Path:
    return Path(str(resources.files("sdgtrack.demo") / "unsd_demo_2020.csv.gz"))


def build(db):
    """Load the demo subset into ``db``; returns the load report."""
    return db.ingest(demo_data_path())
